"""Measured chunks of slide content, and how they stack and split.

A chunk is one item (or part of one) measured at a given size: a paragraph
with its predicted lines, some lines of code, some rows of a table, or an
image.  Stacking rules (gaps, frame insets, box padding) live in one place,
:func:`lead`: :func:`step` (fitting) and ``frames.positions`` (drawing) both
add it, so the height used to decide a page is the height drawn.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, assert_never

from deckgen.layout.flow import BoxRef, CodeItem, ColumnsItem, ImageItem, TableItem, TextItem
from deckgen.layout.geometry import Para, Run


CAPTION_GAP = 4.0
"""Points between a picture and its caption."""


@dataclass(frozen=True)
class Metrics:
    """Sizes in points for one shrink step of a slide."""

    body: float
    code: float
    table: float
    pitch: float
    """Body line height factor."""
    code_pitch: float
    para_gap: float
    """Space between paragraphs in one text frame."""
    block_gap: float
    """Space between frames (text, code, table, image)."""
    indent: float
    """Bullet indent per level."""
    text_insets: tuple[float, float, float, float]
    code_insets: tuple[float, float, float, float]
    cell_insets: tuple[float, float, float, float]
    box_pad: float = 10.0
    """Padding inside quote and callout boxes."""
    quote_indent: float = 18.0
    step: int = 0


@dataclass(frozen=True, eq=False, kw_only=True)
class _Measured:
    """Fields every chunk variant has."""

    height: float
    """Content height in points (images: the smallest height they may take)."""
    context: bool = False
    """A dimmed repeat of a parent bullet on a continuation slide."""
    part: int = 0
    """0 for a whole item; 1, 2... for parts of a split item."""
    noun: ClassVar[str] = ""
    """What messages call this kind of block ('a code block is 40 pt too tall')."""


@dataclass(frozen=True, eq=False, kw_only=True)
class TextChunk(_Measured):
    """One paragraph (or some lines of one) with its predicted lines."""

    item: TextItem
    para: Para
    noun: ClassVar[str] = "text"


@dataclass(frozen=True, eq=False, kw_only=True)
class CodeChunk(_Measured):
    """Some lines of a code block, already wrapped, at one size."""

    item: CodeItem
    lines: tuple[tuple[Run, ...], ...]
    """Laid-out lines, each a tuple of runs."""
    size: float
    noun: ClassVar[str] = "code"


TableRow = tuple[tuple[Para, ...], float]
"""A table row: its cells' paragraphs and its height in points."""


@dataclass(frozen=True, eq=False, kw_only=True)
class TableChunk(_Measured):
    """Some rows of a table, the header rows first (repeated on a continuation)."""

    item: TableItem
    rows: tuple[TableRow, ...]
    header_rows: int = 0
    col_widths: tuple[float, ...] = ()
    noun: ClassVar[str] = "table"


@dataclass(frozen=True, eq=False, kw_only=True)
class ImageChunk(_Measured):
    """A picture (or a placeholder box for a missing file) and its caption."""

    item: ImageItem
    natural: tuple[float, float]
    """The (w, h) in points the picture would like."""
    caption: Para | None = None
    placeholder: Para | None = None
    """Images whose file is missing: the label drawn in the placeholder box."""
    label_pt: float | None = None
    """A diagram's smallest label at the largest size the slide body allows (None: no labels)."""
    noun: ClassVar[str] = "image"


@dataclass(frozen=True, eq=False, kw_only=True)
class ColumnsChunk(_Measured):
    """Side-by-side columns: the measured chunks of each column."""

    item: ColumnsItem
    columns: tuple[tuple[Chunk, ...], ...]
    noun: ClassVar[str] = "columns"


def caption_height(caption: Para | None) -> float:
    """Room an image's caption takes below the picture: its lines and the gap above them."""
    return len(caption.lines) * caption.line_pitch + CAPTION_GAP if caption is not None else 0.0


Chunk = TextChunk | CodeChunk | TableChunk | ImageChunk | ColumnsChunk


def same_frame(prev: Chunk | None, cur: Chunk) -> bool:
    """Whether *cur* continues *prev*'s frame: consecutive text in the same box shares one text frame."""
    return (isinstance(prev, TextChunk) and isinstance(cur, TextChunk)
            and box_id(prev.item.box) == box_id(cur.item.box))


def box_id(box: BoxRef | None) -> int:
    """The box's id, 0 outside any box (box ids start at 1)."""
    return box.id if box else 0


def box_indent(box: BoxRef | None, m: Metrics) -> float:
    """How far a quote's or callout's content sits inside the box, on each side."""
    if box is None:
        return 0.0
    return m.quote_indent if box.kind == "quote" else m.box_pad


def frame_insets(chunk: Chunk, m: Metrics) -> tuple[float, float, float, float]:
    """The frame's (left, top, right, bottom) insets: text and code frames have them, pictures do not."""
    match chunk:
        case TextChunk():
            return m.text_insets
        case CodeChunk():
            return m.code_insets
        case TableChunk() | ImageChunk() | ColumnsChunk():
            return (0.0, 0.0, 0.0, 0.0)
        case _:
            assert_never(chunk)


def lead(prev: Chunk | None, cur: Chunk, m: Metrics) -> float:
    """The stacking rule: space from the end of *prev*'s content to the start of *cur*'s.

    In one text frame: the paragraph's space before.  Between frames: *prev*'s bottom inset, the
    block gap, a box's padding where a quote or callout ends or starts, then *cur*'s top inset.
    At the top of the body (*prev* None): only the box padding and the top inset."""
    if isinstance(cur, TextChunk) and same_frame(prev, cur):
        return cur.para.space_before
    space = 0.0
    if prev is not None:
        space += frame_insets(prev, m)[3] + m.block_gap
        if prev.item.box and box_id(cur.item.box) != prev.item.box.id:
            space += m.box_pad
    if cur.item.box and (prev is None or box_id(prev.item.box) != cur.item.box.id):
        space += m.box_pad
    return space + frame_insets(cur, m)[1]


def step(prev: Chunk | None, cur: Chunk, m: Metrics) -> float:
    """Height added by stacking *cur* after *prev* (None at the top of the body)."""
    return lead(prev, cur, m) + cur.height


def closing(last: Chunk | None, m: Metrics) -> float:
    """Height added after the last chunk of a page: its frame's bottom inset and a box's bottom padding."""
    if last is None:
        return 0.0
    return frame_insets(last, m)[3] + (m.box_pad if last.item.box else 0.0)


def stack_height(chunks: list[Chunk], m: Metrics) -> float:
    total, prev = 0.0, None
    for c in chunks:
        total += step(prev, c, m)
        prev = c
    return total + closing(prev, m)
