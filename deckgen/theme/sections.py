"""The typed sections of theme.toml, and the one table of their defaults.

Each section is a frozen dataclass: a field with a default may be left out of
a theme (the default below is then used), a field without one is required
(``spacing.line_height: missing``).  The defaults are the ones every reader
used to repeat (``get("width_slack", 0.97)``); they live here and nowhere else.
Field metadata says how a value is checked: ``kind`` (number, colour, text,
positive, flag, box, insets, margins, page).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Box:
    """A rectangle on the slide, in points."""

    x: float
    y: float
    w: float
    h: float


@dataclass(frozen=True, slots=True)
class Insets:
    left: float
    top: float
    right: float
    bottom: float


def _num(default: Any = None, *, positive: bool = False, required: bool = False) -> Any:
    """A number field: never negative, and above zero when *positive* (a type size of 0 is no size)."""
    meta = {"kind": "positive" if positive else "number"}
    return field(metadata=meta) if required else field(default=default, metadata=meta)


def _of(kind: str, default: Any = None, *, required: bool = False) -> Any:
    return field(metadata={"kind": kind}) if required else field(default=default, metadata={"kind": kind})


@dataclass(frozen=True, slots=True, kw_only=True)
class Sizes:
    """Type sizes in points; a ``_min`` is the smallest a shrinking slide may use."""

    title: float = _num(required=True, positive=True)
    title_min: float = _num(required=True, positive=True)
    section_title: float = _num(40, positive=True)
    subtitle: float = _num(22, positive=True)
    body: float = _num(required=True, positive=True)
    body_min: float = _num(required=True, positive=True)
    code: float = _num(required=True, positive=True)
    code_min: float = _num(required=True, positive=True)
    table: float = _num(required=True, positive=True)
    table_min: float = _num(required=True, positive=True)
    notes: float = _num(12, positive=True)
    step: float = _num(required=True, positive=True)
    """One shrink step."""
    byline: float = _num(18, positive=True)
    """The title slide's author and date."""
    tags: float = _num(14, positive=True)
    """The title slide's #tags."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Spacing:
    """Line pitches and gaps, as multiples of the type size (ems)."""

    line_height: float = _num(required=True)
    code_line_height: float = _num(1.2)
    title_line_height: float = _num(1.1)
    paragraph_before: float = _num(0.45)
    bullet_indent: float = _num(0.95)
    width_slack: float = _num(0.97)
    """Lines are measured against this share of the box width."""
    asian_latin_space: float = _num(0.0)
    """Ems LibreOffice adds where Hangul meets Latin text."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Boxes:
    """Where each placeholder sits on the slide."""

    title: Box = _of("box", required=True)
    body: Box = _of("box", required=True)
    title_slide_title: Box = _of("box", Box(60, 150, 840, 150))
    title_slide_subtitle: Box = _of("box", Box(60, 310, 840, 70))
    title_slide_byline: Box = _of("box", Box(60, 400, 840, 80))
    section_title: Box = _of("box", Box(60, 190, 840, 120))
    section_body: Box = _of("box", Box(60, 320, 840, 170))


@dataclass(frozen=True, slots=True, kw_only=True)
class InsetTable:
    """Text box insets in points, per kind of box."""

    text: Insets = _of("insets", Insets(4, 4, 4, 4))
    code: Insets = _of("insets", Insets(10, 8, 10, 8))
    cell: Insets = _of("insets", Insets(6, 4, 6, 4))


@dataclass(frozen=True, slots=True, kw_only=True)
class Colors:
    """RRGGBB colours (no ``#``) and the Pygments style of code."""

    background: str = _of("colour", "FFFFFF")
    text: str = _of("colour", "1F2328")
    heading: str = _of("colour", "17324D")
    accent: str = _of("colour", "2F6FB3")
    muted: str = _of("colour", "8A939C")
    link: str = _of("colour", "1F6FD0")
    code_background: str = _of("colour", "F5F7FA")
    code_border: str = _of("colour", "D8DEE4")
    quote_bar: str = _of("colour", "9DB4CC")
    quote_text: str = _of("colour", "3D4852")
    table_header: str = _of("colour", "E8EEF5")
    table_border: str = _of("colour", "C9D2DC")
    title_slide_band: str = _of("colour", "17324D")
    mark: str = _of("colour", "FFF3A3")
    pygments_style: str = _of("text", "default")

    def palette(self) -> dict[str, str]:
        """Every colour by name (not the Pygments style): the handout's CSS custom properties."""
        return {name: getattr(self, name) for name in self.__dataclass_fields__ if name != "pygments_style"}


@dataclass(frozen=True, slots=True, kw_only=True)
class Handout:
    """The PDF handout's page and type (``margin_mm`` is top, right, bottom, left)."""

    page: str = _of("page", "A4")
    margin_mm: tuple[float, float, float, float] = _of("margins", (20.0, 18.0, 22.0, 18.0))
    body_size: float = _num(10.5, positive=True)
    code_size: float = _num(8.8, positive=True)
    line_height: float = _num(1.6, positive=True)
    speaker_notes: bool = _of("flag", True)
    toc: bool = _of("flag", True)
    link_footnotes: bool = _of("flag", True)
    instructor_edition: bool = _of("flag", True)
    """Write NOTE-instructor.pdf for notes with instructor content (false: the student edition only)."""


SECTIONS: dict[str, type] = {
    "sizes": Sizes, "spacing": Spacing, "boxes": Boxes, "insets": InsetTable,
    "colors": Colors, "handout": Handout,
}
"""theme.toml's typed tables, by key."""
