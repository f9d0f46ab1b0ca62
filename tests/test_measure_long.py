"""Very long runs of text measure like short ones (Pillow's 26.6 fixed-point sum overflowed).

Cases are data: (text, role) pairs; the width of a run must be its length times the width of
its repeating unit, and a paragraph of it must wrap into as many lines as that width needs.
"""
from __future__ import annotations

import pytest

from deckgen.layout.measure import Piece

UNIT = "가나다라마바사아자차카타파하"
CASES = [
    (UNIT * 5000, "body"),                 # 70,000 syllables without a space (measured -19 pt/char)
    ("abcdefghij" * 12000, "mono"),        # a 120,000-character code line
    ("e\u0301" * 40000, "body"),           # combining marks: chunks never cut a cluster
]


@pytest.mark.parametrize("text,role", CASES, ids=["hangul-70k", "latin-120k", "combining-80k"])
def test_long_run_width_is_additive(measurer, text, role):
    unit = text[:len(UNIT)] if text.startswith(UNIT) else text[:10] if role == "mono" else text[:2]
    expected = measurer.width(unit, role, False, 24.0) * (len(text) / len(unit))
    assert measurer.width(text, role, False, 24.0) == pytest.approx(expected, rel=1e-3)


def test_long_paragraph_wraps_into_many_lines(measurer):
    text = UNIT * 5000
    lines = measurer.wrap([Piece(text)], 24.0, 800.0)
    per_line = 800.0 * measurer.slack / measurer.width("가", "body", False, 24.0)
    assert len(lines) >= len(text) / per_line * 0.99
    assert "".join(lines) == text
