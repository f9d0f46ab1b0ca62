"""The handout's page box as numbers: the page size named by handout.page and the margins of
handout.margin_mm, so that wide tables can be fitted before WeasyPrint lays them out."""
from __future__ import annotations

import re
from dataclasses import dataclass

from deckgen.theme.load import Theme

__all__ = ["PageBox", "page_box", "page_size_mm", "PAGE_SIZES_MM"]

PAGE_SIZES_MM = {
    "a3": (297.0, 420.0), "a4": (210.0, 297.0), "a5": (148.0, 210.0), "b4": (250.0, 353.0),
    "b5": (176.0, 250.0), "letter": (215.9, 279.4), "legal": (215.9, 355.6), "ledger": (279.4, 431.8),
}
"""CSS Paged Media's page-size keywords (the ones a lecture handout uses), portrait."""
UNIT_MM = {"mm": 1.0, "cm": 10.0, "in": 25.4, "pt": 25.4 / 72, "px": 25.4 / 96}
_LENGTH = re.compile(r"^(\d+(?:\.\d+)?)(mm|cm|in|pt|px)$")


@dataclass(frozen=True)
class PageBox:
    """A page's size and its content box, in millimetres."""

    width: float
    height: float
    margins: tuple[float, float, float, float]
    """top, right, bottom, left."""

    @property
    def content_width(self) -> float:
        return self.width - self.margins[1] - self.margins[3]

    def landscape(self) -> PageBox:
        """The same page turned sideways (the margins keep their sides)."""
        return PageBox(max(self.width, self.height), min(self.width, self.height), self.margins)


def page_size_mm(value: str) -> tuple[float, float]:
    """(width, height) of a CSS `size` value such as 'A4', 'letter landscape' or '210mm 297mm';
    A4 for anything else."""
    words = value.lower().split()
    turn = "landscape" in words
    words = [w for w in words if w not in ("landscape", "portrait")]
    size = PAGE_SIZES_MM["a4"]
    if len(words) == 1 and words[0] in PAGE_SIZES_MM:
        size = PAGE_SIZES_MM[words[0]]
    elif 1 <= len(words) <= 2 and all(_LENGTH.match(w) for w in words):
        lengths = [float(m[1]) * UNIT_MM[m[2]] for m in map(_LENGTH.match, words) if m]
        size = (lengths[0], lengths[-1])
    return (size[1], size[0]) if turn and size[0] < size[1] else size


def page_box(theme: Theme) -> PageBox:
    """The handout's page as the theme sets it (theme/sections.py has validated both values)."""
    width, height = page_size_mm(theme.handout.page)
    return PageBox(width, height, theme.handout.margin_mm)
