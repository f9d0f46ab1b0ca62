"""A real client draws the decks: LibreOffice renders them to PDF and every
word is found on its slide, inside the shape that holds it, in a Korean font."""
from __future__ import annotations

import collections
import html
import re
import sys
from pathlib import Path

import pytest
from pptx import Presentation

from conftest import FIXTURES, ROOT, build, need, run
from layout_helpers import WORD

TOL = 2.0   # points
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


def rendered_pages(pdf: Path) -> list[list[tuple[float, float, float, float, str]]]:
    xml = run(["pdftotext", "-bbox", str(pdf), "-"]).stdout
    pages = []
    for chunk in xml.split("<page ")[1:]:
        words = re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<', chunk)
        pages.append([(float(a), float(b), float(c), float(d), html.unescape(t)) for a, b, c, d, t in words])
    return pages


def _drawn_text(p) -> str:
    """A paragraph's text (runs, fields, breaks) with each raised or lowered run set apart: a
    client draws a subscript as a word of its own."""
    out = []
    for el in p:
        if el.tag in (f"{A}r", f"{A}fld"):
            rpr = el.find(f"{A}rPr")
            t = el.findtext(f"{A}t") or ""
            out.append(f" {t} " if rpr is not None and rpr.get("baseline") else t)
        elif el.tag == f"{A}br":
            out.append("\n")
    return "".join(out)


def shape_boxes(slide) -> list[tuple[tuple[float, float, float, float], collections.Counter]]:
    out = []
    for sh in slide.shapes:
        text = ""
        if sh.has_text_frame:
            text = "\n".join(_drawn_text(p._p) for p in sh.text_frame.paragraphs)
        elif sh.has_table:
            text = " ".join(c.text for row in sh.table.rows for c in row.cells)
        emu = 12700
        box = (sh.left / emu, sh.top / emu, (sh.left + sh.width) / emu, (sh.top + sh.height) / emu)
        out.append((box, collections.Counter(WORD.findall(text))))
    return out


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    need("soffice", "pdftotext", "pdffonts")
    out = tmp_path_factory.mktemp("client")
    sys.path.insert(0, str(ROOT / "bench"))
    from notegen import make_note
    gen = out / "generated.md"
    gen.write_text(make_note(12, seed=3), encoding="utf-8")
    notes = [gen, FIXTURES / "notes" / "jekyll-virtualization.md", ROOT / "content" / "01-linux-basics.md",
             FIXTURES / "layout" / "long-table.md", FIXTURES / "figures" / "inline-math.md"]
    decks = []
    for note in notes:
        r = build(note, out, "--format", "pptx")
        assert r.returncode == 0, r.stderr
        decks.append(out / f"{note.stem}.pptx")
    # A profile of its own, so parallel test runs (or a running LibreOffice) never share one.
    profile = (out / "lo-profile").as_uri()
    r = run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
             "--outdir", str(out), *map(str, decks)])
    assert r.returncode == 0, r.stderr
    return [(d, d.with_suffix(".pdf")) for d in decks]


def test_every_word_is_drawn_inside_its_own_shape(rendered) -> None:
    for deck, pdf in rendered:
        prs = Presentation(str(deck))
        pages = rendered_pages(pdf)
        assert len(pages) == len(prs.slides), deck.name
        outside = []
        for n, (slide, words) in enumerate(zip(prs.slides, pages), 1):
            boxes = shape_boxes(slide)
            for x0, y0, x1, y1, text in words:
                for w in WORD.findall(text):
                    # a word must lie inside a shape holding it; generated text (list numbers) in any shape
                    owners = [b for b, ws in boxes if w in ws]
                    if w.isdigit() or not owners:
                        owners = [b for b, _ in boxes]
                    inside = any(b[0] - TOL <= x0 and x1 <= b[2] + TOL and b[1] - TOL <= y0 and y1 <= b[3] + TOL
                                 for b in owners)
                    if not inside:
                        outside.append(f"slide {n}: {w!r}")
        assert not outside, f"{deck.name}: {len(outside)} words outside their shapes, e.g. {outside[:8]}"


def test_every_word_of_every_slide_is_visible(rendered) -> None:
    for deck, pdf in rendered:
        prs = Presentation(str(deck))
        for n, (slide, words) in enumerate(zip(prs.slides, rendered_pages(pdf)), 1):
            want = sum((ws for _, ws in shape_boxes(slide)), collections.Counter())
            got = collections.Counter(w for *_, t in words for w in WORD.findall(t))
            lost = want - got
            assert not lost, f"{deck.name} slide {n}: not drawn: {list(lost)[:8]}"


def test_libreoffice_draws_hangul_with_the_theme_fonts(rendered, theme) -> None:
    faces = {theme.fonts.heading.family, theme.fonts.body.family, theme.fonts.mono.family}
    for deck, pdf in rendered:
        lines = run(["pdffonts", str(pdf)]).stdout.splitlines()[2:]
        used = {line.split()[0].split("+")[-1] for line in lines if line.strip()}
        strays = {u for u in used if not any(u.replace("-", "").startswith(f.replace(" ", "")) for f in faces)}
        assert not strays, f"{deck.name}: LibreOffice fell back to {strays}"
