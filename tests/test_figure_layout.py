"""Figures sized to be read and composed with their text (issue 14).

A diagram's smallest label is kept at 14 pt or more on the slide where the slide can hold it;
a sentence before a tall diagram stays on the diagram's slide instead of being left alone on
a near-empty one; a diagram that cannot be legible even at full size is named in a warning.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.util import Emu

from deckgen.render.svg import size_of, smallest_text_px

NOTE = Path(__file__).parent / "fixtures" / "figures" / "composition.md"
SVG_BLIP = "{http://schemas.microsoft.com/office/drawing/2016/SVG/main}svgBlip"
R_EMBED = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Presentation, str]:
    out = tmp_path_factory.mktemp("composition")
    r = subprocess.run([sys.executable, "-m", "deckgen", "build", str(NOTE), "-o", str(out), "--format", "pptx",
                        "--embed-fonts", "none"], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    return Presentation(str(out / "composition.pptx")), r.stderr


def _label_pt(slide) -> float:
    """The smallest label of the slide's diagram as drawn: SVG font size x frame height / SVG height."""
    pic = next(s for s in slide.shapes if s.shape_type == 13)
    blip = next(pic._element.iter(SVG_BLIP))
    svg = slide.part.related_part(blip.get(R_EMBED)).blob
    return smallest_text_px(svg) * Emu(pic.height).pt / size_of(svg)[1]


def test_short_text_and_a_wide_diagram_share_a_slide_with_legible_labels(built) -> None:
    prs, _ = built
    titles = [s.shapes.title.text for s in prs.slides]
    assert titles.count("짧은 설명과 그림") == 1
    slide = prs.slides[titles.index("짧은 설명과 그림")]
    assert _label_pt(slide) >= 14.0


def test_a_sentence_is_not_left_alone_before_its_tall_diagram(built) -> None:
    prs, stderr = built
    titles = [s.shapes.title.text for s in prs.slides]
    assert not any("계속" in t for t in titles), titles
    slide = prs.slides[titles.index("흐름")]
    assert any(s.shape_type == 13 for s in slide.shapes)
    assert "요청이 처리되는 순서입니다." in " ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)


def test_a_diagram_that_cannot_be_legible_is_named_with_its_line(built) -> None:
    _, stderr = built
    line = NOTE.read_text(encoding="utf-8").splitlines().index("```mermaid", 15) + 1
    assert f"composition.md:{line}: warning: " in stderr and "[figure-small-labels]" in stderr
    assert stderr.count("[figure-small-labels]") == 1


def test_smallest_text_is_read_with_inheritance() -> None:
    svg = (b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" font-size="20">'
           b'<g font-size="12pt"><text>a</text></g><text>b</text><text font-size="9px"> </text></svg>')
    assert smallest_text_px(svg) == 16.0
