"""Predicted lines get their runs' styles back (backends/slides_pdf/lines.py): text in, styled lines out."""
from __future__ import annotations

import pytest

from deckgen.backends.slides_pdf.lines import line_runs
from deckgen.layout.geometry import Para, Run

CASES = [
    # (runs as (text, bold), predicted lines, expected [(text, bold), ...] per line)
    ([("가상화는 ", False), ("여러 대의 가상 머신", True), ("으로 나눈다.", False)],
     ("가상화는 여러 대의", "가상 머신으로 나눈다."),
     [[("가상화는 ", False), ("여러 대의", True)], [("가상 머신", True), ("으로 나눈다.", False)]]),
    ([("둘  사이의\n", False), ("괴리", True)],                      # collapsed spaces, a hard break
     ("둘 사이의", "괴리"),
     [[("둘 사이의", False)], [("괴리", True)]]),
    ([("    indent = 4", False)], ("    indent = 4",), [[("    indent = 4", False)]]),   # code keeps spaces
    ([("", False)], ("",), [[]]),
]


@pytest.mark.parametrize("runs,lines,expected", CASES)
def test_each_line_keeps_the_style_of_its_characters(runs, lines, expected):
    para = Para(tuple(Run(t, bold=b) for t, b in runs), 24.0, 30.0, lines=lines)
    got = [[(r.text, r.bold) for r in line] for line in line_runs(para)]
    assert got == expected


def test_nothing_is_lost_when_a_line_does_not_match_the_runs():
    para = Para((Run("abc", color="FF0000"),), 24.0, 30.0, lines=("abc", "x"))
    got = line_runs(para)
    assert ["".join(r.text for r in line) for line in got] == ["abc", "x"]
    assert got[1][0].color == "FF0000"


@pytest.mark.parametrize("run,css", [
    (Run("n", italic=True), "transform:skewX(-12deg)"),          # no italic face: slanted like viewers do
    (Run("x", bold=True, underline=True), "font-weight:bold;text-decoration:underline"),
    (Run("2", baseline=1), 'class="r-body sup"'),
    (Run("키", role="mono", highlight="FFF3A3"), 'class="r-mono" style="background:#FFF3A3"'),
])
def test_run_styles_become_css(run: Run, css: str):
    from deckgen.backends.slides_pdf.boxes import run_html

    assert css in run_html(run)
