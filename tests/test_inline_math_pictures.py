"""Inline math that text runs cannot show is a picture on a line of its own (issue 14).

A slide paragraph holding a matrix or a script on a script is cut around the formula: the text
before it, the formula drawn (one em = the body size, aligned like the text), the text after it,
in source order. Simple formulas stay text runs with real sub/superscripts. Nothing is ASCII like
`N_(vm)`, nothing of the sentence is lost, and the fitter counts the picture's height.
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.util import Emu

from conftest import FIXTURES, assert_golden, build
from deckgen.render.svg import size_of

NOTE = FIXTURES / "figures" / "inline-math.md"
GOLDEN = FIXTURES / "figures" / "inline-math.yaml"
SVG_BLIP = "{http://schemas.microsoft.com/office/drawing/2016/SVG/main}svgBlip"
R_EMBED = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed"
PICTURE = 13          # MSO_SHAPE_TYPE.PICTURE


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("inline-math")
    r = build(NOTE, out, "--format", "pptx", "--embed-fonts", "none", "-v")
    assert r.returncode == 0, r.stderr
    return out / "inline-math.pptx", r.stderr


def _shapes(slide) -> list[dict]:
    """The slide's body shapes top to bottom: text frames by their paragraphs, pictures by their alt."""
    out = []
    for sh in sorted(slide.shapes, key=lambda s: (s.top, s.left)):
        if sh == slide.shapes.title:
            continue
        if sh.shape_type == PICTURE:
            out.append({"picture": sh._element.nvPicPr.cNvPr.get("descr")})
        elif sh.has_text_frame:
            out.append({"text": [p.text for p in sh.text_frame.paragraphs]})
    return out


def test_slides_hold_text_and_formula_pictures_in_source_order(built) -> None:
    prs = Presentation(str(built[0]))
    got = [{"title": s.shapes.title.text, "shapes": _shapes(s)} for s in list(prs.slides)[1:]]   # after the title slide
    assert_golden(GOLDEN, got)


def test_simple_formulas_are_scripted_runs_and_no_part_holds_ascii_structure(built) -> None:
    with zipfile.ZipFile(built[0]) as z:
        xml = {n: z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml")}
    first = xml["ppt/slides/slide2.xml"]
    assert first.count('baseline="-25000"') == 4 and first.count('baseline="30000"') == 1   # vm host i i; 2
    leaks = {n: re.findall(r".{12}[_^]\(.{8}", x) for n, x in xml.items() if re.search(r"[_^]\(", x)}
    assert not leaks


def test_every_word_of_the_sentences_is_on_their_slides(built) -> None:
    prs = Presentation(str(built[0]))
    on_slides: dict[str, str] = {}
    for s in prs.slides:
        title = s.shapes.title.text.replace(" (계속)", "") if s.shapes.title else ""
        on_slides[title] = on_slides.get(title, "") + " ".join(sh.text_frame.text for sh in s.shapes
                                                                if sh.has_text_frame)
    title = ""
    body = NOTE.read_text(encoding="utf-8").split("---\n", 2)[2]          # after the front matter
    for line in re.sub(r"::: notes.*?:::", "", body, flags=re.S).splitlines():
        if line.startswith("## "):
            title = line[3:] if "$" not in line else "행렬 (a, b) 제목"
            continue
        words = re.findall(r"[\uac00-\ud7a3]+", re.sub(r"\$[^$]*\$|<[^>]+>", " ", line))
        missing = [w for w in words if w not in on_slides.get(title, "")]
        assert not missing, (title, missing)


def _pictures(prs) -> list[tuple[object, object, bytes]]:
    out = []
    for s in prs.slides:
        for sh in s.shapes:
            if sh.shape_type == PICTURE:
                blip = next(sh._element.iter(SVG_BLIP))
                out.append((s, sh, s.part.related_part(blip.get(R_EMBED)).blob))
    return out


def test_formula_glyphs_match_the_body_size_and_align_like_the_text(built, theme) -> None:
    prs = Presentation(str(built[0]))
    pictures = _pictures(prs)
    assert len(pictures) == 9
    body = theme.boxes.body
    for slide, pic, svg in pictures:
        em_h = size_of(svg)[1] / 40.0                  # drawn at 40 px per em (render.INLINE_PX)
        assert Emu(pic.height).pt == pytest.approx(em_h * theme.sizes.body, abs=0.5)
        centre = Emu(pic.left + pic.width / 2).pt
        if slide.shapes.title.text == "가운데 정렬":
            assert centre == pytest.approx(body.x + body.w / 2, abs=1.0)
        else:
            texts = [sh for sh in slide.shapes if sh.has_text_frame and sh != slide.shapes.title]
            text_left = min(Emu(sh.left).pt for sh in texts) + theme.insets.text.left
            indent = Emu(pic.left).pt - text_left
            assert indent == pytest.approx(0.0, abs=0.5) or indent == pytest.approx(
                theme.sizes.body * theme.spacing.bullet_indent, abs=0.5)      # under a bullet


def test_the_fitter_counts_formula_heights(built, theme) -> None:
    prs, stderr = Presentation(str(built[0])), built[1]
    assert "[overflow]" not in stderr
    bottom = theme.boxes.body.y + theme.boxes.body.h
    for n, s in enumerate(list(prs.slides)[1:], 2):             # content slides (the title slide has a band)
        for sh in s.shapes:
            assert Emu(sh.top + sh.height).pt <= bottom + 0.5, (n, sh.name)


def test_messages_say_where_a_formula_became_a_picture_or_was_flattened(built) -> None:
    stderr = built[1]
    lines = NOTE.read_text(encoding="utf-8").splitlines()
    heading = next(i for i, t in enumerate(lines, 1) if t.startswith("## 행렬"))
    assert f"inline-math.md:{heading}: info: " in stderr and "[math-inline-simplified]" in stderr
    assert stderr.count("[math-inline-picture]") == 9     # the speaker notes' formulas draw no picture


def test_speaker_notes_read_formulas_as_linear_text(built) -> None:
    prs = Presentation(str(built[0]))
    notes = prs.slides[1].notes_slide.notes_text_frame.text
    assert "(cosθ, −sinθ; sinθ, cosθ)" in notes and "N_{vm}" in notes


MATH_AXIS_EM = 0.25
"""The math axis (where `=` and a matrix's centre sit) is about a quarter em above the baseline."""


def test_handout_sets_inline_formulas_on_the_text_baseline(theme, tmp_path) -> None:
    from deckgen.backends.handout.document import render_handout_html
    from deckgen.diagnostics import Diagnostics
    from deckgen.read.parse import parse_note
    from deckgen.render import render_figures

    diags = Diagnostics()
    doc = parse_note(NOTE, diags, display=NOTE.name, root=NOTE.parent)
    doc = render_figures(doc, diags, cache_dir=tmp_path, theme=theme, project_root=NOTE.parent)
    page = render_handout_html(doc, theme, diags, base_dir=NOTE.parent)
    imgs = re.findall(r'<img class="math-inline"[^>]*alt="([^"]*)"[^>]*style="([^"]*)"', page)
    assert imgs and not re.search(r"[_^]\(", page)
    for alt, style in imgs:
        height = float(re.search(r"height: ([\d.]+)em", style)[1])
        lowered = float((re.search(r"vertical-align: (-[\d.]+)em", style) or [0, "0"])[1])
        if "pmatrix" in alt:                  # symmetric about the axis: its middle is on it
            assert height / 2 + lowered == pytest.approx(MATH_AXIS_EM, abs=0.08), (alt, style)
        if "frac" in alt:                     # the denominator hangs below the baseline
            assert lowered < -0.4, (alt, style)
