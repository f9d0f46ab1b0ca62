"""The laid-out model: what is on each physical slide, in integer EMU.

The layout stage decides everything here once; the PPTX backend writes it
without deciding anything (sizes, line pitch, spacing, insets and bullet
indents are all explicit), so PowerPoint and LibreOffice draw the same lines
that were measured.
"""
from __future__ import annotations

from dataclasses import dataclass

from deckgen.model import SourceSpan

EMU_PER_PT = 12700
OUTLINE_W = 0.75
"""Width in points of shape outlines and table borders (PowerPoint's default, 9525 EMU)."""


MARKER_SIZE = {"◦": 0.65, "▣": 0.8, "□": 0.8}
"""Bullet markers drawn smaller than the text: the Korean faces draw these full width (0.89 em),
wider than the room a marker gets, so at full size the circle reads as a letter glued to the word."""


def marker_size(bullet: str | None) -> float:
    """The share of the text size a bullet marker is drawn at."""
    return MARKER_SIZE.get(bullet or "", 1.0)


def emu(pt: float) -> int:
    return int(round(pt * EMU_PER_PT))


@dataclass(frozen=True, slots=True)
class Run:
    text: str
    role: str = "body"
    """Font role: 'heading' | 'body' | 'mono'."""
    bold: bool = False
    italic: bool = False
    strike: bool = False
    underline: bool = False
    color: str | None = None
    """6 hex digits; None means the paragraph's colour."""
    link: str | None = None
    highlight: str | None = None
    """Background colour of marked text, or None."""
    baseline: int = 0


@dataclass(frozen=True, slots=True)
class Para:
    runs: tuple[Run, ...]
    size: float
    """Font size in points."""
    line_pitch: float
    """Exact line spacing in points (a:lnSpc/a:spcPts)."""
    space_before: float = 0.0
    level: int = 0
    """PowerPoint paragraph level (0-8)."""
    margin_left: float = 0.0
    """Left margin of the text in points (a:pPr marL)."""
    indent: float = 0.0
    """First-line indent in points, negative for a hanging bullet."""
    bullet: str | None = None
    """Bullet character ('•', '▣', ...), an ordered marker like '1.', or None."""
    bullet_color: str | None = None
    align: str = "left"
    color: str = "000000"
    lines: tuple[str, ...] = ()
    """The predicted lines (their count decides the paragraph's height)."""

    @property
    def height(self) -> float:
        return self.space_before + len(self.lines) * self.line_pitch


@dataclass(frozen=True, slots=True)
class TextFrame:
    x: int
    y: int
    w: int
    h: int
    paras: tuple[Para, ...]
    role: str = "body"
    """'title' | 'subtitle' | 'body' | 'code' | 'quote' | 'callout' | 'caption' | 'footer' | 'placeholder'."""
    insets: tuple[int, int, int, int] = (0, 0, 0, 0)
    """left, top, right, bottom in EMU."""
    fill: str | None = None
    line: str | None = None
    """Outline colour, or None for no outline."""
    line_width: float = OUTLINE_W
    anchor: str = "top"
    """'top' | 'middle' | 'bottom'."""
    dash: bool = False


@dataclass(frozen=True, slots=True)
class Bar:
    """A plain rectangle (quote bars, callout boxes, accent bands)."""

    x: int
    y: int
    w: int
    h: int
    fill: str
    line: str | None = None


@dataclass(frozen=True, slots=True)
class CellFrame:
    paras: tuple[Para, ...]
    fill: str | None = None


@dataclass(frozen=True, slots=True)
class TableFrame:
    x: int
    y: int
    w: int
    h: int
    col_widths: tuple[int, ...]
    row_heights: tuple[int, ...]
    rows: tuple[tuple[CellFrame, ...], ...]
    header_rows: int
    insets: tuple[int, int, int, int]
    border: str


@dataclass(frozen=True, slots=True)
class PictureFrame:
    x: int
    y: int
    w: int
    h: int
    path: str
    alt: str = ""


Shape = TextFrame | Bar | TableFrame | PictureFrame


@dataclass(frozen=True, slots=True)
class LaidSlide:
    kind: str
    """'title' | 'section' | 'content'."""
    title: str
    """Plain title text (for outlines, tests and messages)."""
    shapes: tuple[Shape, ...]
    notes: tuple[str, ...]
    """Speaker-notes paragraphs."""
    source: SourceSpan
    part: int = 1
    parts: int = 1
    """This slide is part `part` of `parts` of one logical slide."""
    title_shape: int | None = None
    """Index in `shapes` of the slide title (written as the title placeholder)."""
    background: str | None = None


@dataclass(frozen=True, slots=True)
class LaidOutDeck:
    width: int
    height: int
    slides: tuple[LaidSlide, ...]
    lang: str
    title: str
    author: str
