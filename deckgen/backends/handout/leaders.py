"""Dotted leaders (the contents page's `leader(dotted)`) drawn as one text run per line.

WeasyPrint lays a leader out as one copy of its text box (". ") per repetition, about ninety
on a contents line, and paints each copy on its own: a new Pango layout, shaping and a text
object per dot.  On a 54-section lecture that was 40 % of the PDF writing, on a 1,000-section
note more than all the rest of it.  After layout the copies of one leader sit side by side,
each one text-box width after the previous, so one text box holding the text repeated draws
the same glyphs at the same places; this module swaps them for it before painting.
"""
from __future__ import annotations

import copy
from typing import Any

__all__ = ["merge_leader_dots"]

PLACE_TOLERANCE = 0.01
"""CSS px: copies further apart than their width (or out of order) are left as they are."""


def merge_leader_dots(pages: list[Any]) -> int:
    """Replace the repeated text boxes of every laid-out leader in *pages* (WeasyPrint Page
    objects) by one text box; the number of leaders merged."""
    merged = 0
    for page in pages:
        for box in page._page_box.descendants():
            if getattr(box, "is_leader", False) and len(box.children) > 1:
                run = _one_run(box.children)
                if run is not None:
                    box.children = (run,)
                    merged += 1
    return merged


def _one_run(copies: tuple[Any, ...]) -> Any | None:
    """One text box drawing all *copies* (laid out right to left, one width apart), or None
    when they are not such a row."""
    ordered = sorted(copies, key=lambda b: b.position_x)
    first = ordered[0]
    text, width, layout = first.text, first.width, first.pango_layout
    for n, box in enumerate(ordered):
        same = box.text == text and box.width == width and box.pango_layout is layout
        if not same or abs(box.position_x - (first.position_x + n * width)) > PLACE_TOLERANCE:
            return None
    run = first.copy()
    run.text = text * len(ordered)
    run.width = width * len(ordered)
    run.pango_layout = copy.copy(layout)   # the copies share one; it is re-set from .text when drawn
    run.pango_layout.text = run.text
    return run
