"""Wide tables in the handout never lose a column: each table gets the first size step whose
narrowest possible layout fits the page (smaller text, tighter cells), else a landscape page,
else text that may break anywhere.

WeasyPrint lays a table out at least as wide as the sum of its columns' min-content widths (the
longest unbreakable word of each column) and clips what passes the page edge.  So the fit is
decided here from those widths, measured with the theme's font files (Pillow, at 1000 units per
em, as layout/measure.py does), before WeasyPrint sees the table.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from deckgen.backends.handout.page import PageBox
from deckgen.model import Cell, Inline, Table
from deckgen.theme.fonts import FontFile
from deckgen.theme.load import Theme

__all__ = ["TableFit", "fit_table", "STEPS", "CELL_LONG_WORD"]

PT_PER_MM = 72 / 25.4
STEPS = ((0.93, 6.0), (0.8, 3.5), (0.7, 2.0), (0.62, 1.2))
"""(font size in ems of the body text, horizontal cell padding in pt) of each size step;
step 0 is handout.css's ordinary table."""
CELL_LONG_WORD = 20
"""Words this long or longer in a table cell may break anywhere (host names, image digests)."""
BORDER_PT = 0.6
SLACK = 0.96
"""Fit against this share of the content width: the measurement ignores kerning and the
fallback fonts of rare characters."""
_BREAK_AFTER = re.compile(r"(?<=[-/])(?=[^\d\W])")
"""Line break opportunities inside a word (UAX #14: after a hyphen or slash, before a letter)."""


@dataclass(frozen=True)
class TableFit:
    step: int
    """Index into STEPS."""
    landscape: bool
    """Set on the named page `wide` (the page turned sideways)."""
    break_anywhere: bool
    """Every cell's text may break between any two characters (the last resort)."""
    fits: bool = True
    """False when even the last resort is wider than the page (too many columns)."""

    @property
    def classes(self) -> str:
        names = [f"fit-{self.step}"] if self.step else []
        return " ".join(names + (["break-anywhere"] if self.break_anywhere else []))


def fit_table(table: Table, theme: Theme, page: PageBox, body_pt: float, *, inset_mm: float = 0.0,
              share: float = 1.0) -> TableFit:
    """The first step, portrait then landscape, at which every column's longest word fits in the
    width the table gets: the content width less *inset_mm* (list indents, box paddings), times
    *share* (a column of side-by-side columns)."""
    ems = column_min_ems(table, theme)
    pages = (page, page.landscape()) if page.width < page.height else (page,)
    room = [max(box.content_width - inset_mm, 0.0) * share * PT_PER_MM * SLACK for box in pages]
    for box, width in zip(pages, room):
        for step in range(len(STEPS)):
            if _width_pt(ems, step, body_pt) <= width:
                return TableFit(step, box is not page, False)
    last = len(STEPS) - 1
    widest_char = [min(e, 1.0) for e in ems]
    return TableFit(last, len(pages) > 1, True, _width_pt(widest_char, last, body_pt) <= room[-1])


def _width_pt(ems: list[float], step: int, body_pt: float) -> float:
    size, pad = STEPS[step]
    return sum(e * size * body_pt + 2 * pad + BORDER_PT for e in ems) + BORDER_PT


def column_min_ems(table: Table, theme: Theme) -> list[float]:
    """Each column's min-content width in ems: its widest unbreakable piece of text."""
    width = max([len(table.header)] + [len(r) for r in table.rows])
    ems = [0.0] * width
    for row, bold in [(table.header, True)] + [(r, False) for r in table.rows]:
        for j, cell in enumerate(row):
            ems[j] = max(ems[j], _cell_min_em(cell, theme, bold))
    return ems


def _cell_min_em(cell: Cell, theme: Theme, bold: bool) -> float:
    widest = 0.0
    for word, mono in _words(cell.spans):
        if len(word) >= CELL_LONG_WORD:
            continue               # rendered with overflow-wrap: anywhere (inline.py's long words)
        for piece in _BREAK_AFTER.split(word):
            face = theme.fonts.mono if mono else theme.fonts.body
            font = face.bold if bold else face.regular
            widest = max(widest, _em_width(font, piece))
    return widest


def _words(spans: Inline) -> list[tuple[str, bool]]:
    """Whitespace-separated words and whether they are mostly code (monospace)."""
    words: list[tuple[str, bool]] = []
    glued = False
    for span in spans:
        mono = span.code or span.kbd
        for n, chunk in enumerate(re.split(r"\s+", span.text)):
            if chunk and glued and n == 0 and words:
                words[-1] = (words[-1][0] + chunk, words[-1][1] or mono)
            elif chunk:
                words.append((chunk, mono))
        glued = bool(span.text) and not span.text[-1].isspace()
    return words


def _em_width(font: FontFile, text: str) -> float:
    return _pil_font(font.path, font.index).getlength(text) / 1000


@functools.lru_cache(maxsize=16)
def _pil_font(path: str, index: int):
    from PIL import ImageFont
    return ImageFont.truetype(path, 1000, index=index)


