"""Inline math on slides: italic variables and real sub/superscript runs, never ASCII like `N_(vm)`."""
from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from deckgen.model import MathRun
from deckgen.render.mathruns import MathTooComplex, tex_to_runs

CASES = [
    (r"\rho = \frac{N_{vm}}{N_{host}}",
     [("ρ", True, 0), (" = ", False, 0), ("N", True, 0), ("vm", True, -1), ("/", False, 0), ("N", True, 0),
      ("host", True, -1)]),
    (r"E=mc^2", [("E", True, 0), (" = ", False, 0), ("mc", True, 0), ("2", False, 1)]),
    (r"\frac{a+b}{2}", [("(", False, 0), ("a", True, 0), (" + ", False, 0), ("b", True, 0), (")/2", False, 0)]),
    (r"\sin\theta", [("sin ", False, 0), ("θ", True, 0)]),
    (r"\sum_{i=1}^{n} x_i",
     [("∑", False, 0), ("i", True, -1), ("=1", False, -1), ("n", True, 1), ("x", True, 0), ("i", True, -1)]),
]


@pytest.mark.parametrize("tex,expected", CASES)
def test_common_inline_math_becomes_styled_runs(tex: str, expected: list) -> None:
    assert tex_to_runs(tex) == tuple(MathRun(*e) for e in expected)


def test_structure_runs_cannot_show_is_reported_then_flattened_without_ascii() -> None:
    with pytest.raises(MathTooComplex):
        tex_to_runs(r"\begin{pmatrix}a&b\\c&d\end{pmatrix}")
    flat = "".join(r.text for r in tex_to_runs(r"x^{y^z} + \begin{pmatrix}a&b\\c&d\end{pmatrix}", strict=False))
    assert "^" not in flat and "_" not in flat and "a, b; c, d" in flat


def test_the_deck_draws_inline_math_with_baseline_runs(tmp_path: Path) -> None:
    note = tmp_path / "m.md"
    note.write_text("---\ntitle: 수식\n---\n\n## 밀도\n\n통합 비율은 $\\rho = \\frac{N_{vm}}{N_{host}}$ 이고 "
                    "에너지는 $E=mc^2$ 입니다.\n", encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "deckgen", "build", str(note), "-o", str(tmp_path / "out"),
                        "--format", "pptx"], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    xml = zipfile.ZipFile(tmp_path / "out" / "m.pptx").read("ppt/slides/slide2.xml").decode("utf-8")
    assert xml.count('baseline="-25000"') == 2 and xml.count('baseline="30000"') == 1
    assert "N_(" not in xml and "^" not in xml
    assert '<a:t>vm</a:t>' in xml
