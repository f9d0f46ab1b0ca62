"""The contents page's dotted leaders, drawn as one text run per line (handout/leaders.py):
the same dots over the same stretch of the line, and the same text in the PDF."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from deckgen.backends.handout.document import build_handout_pdf, handout_url_fetcher, render_handout_html
from deckgen.backends.handout.leaders import install_line_merge, one_run
from deckgen.backends.handout.pdf import PDF_OPTIONS
from deckgen.diagnostics import Diagnostics
from deckgen.model import Document, Heading, Meta, Paragraph, SourceSpan, Span

from conftest import need

TITLES = ["개요", "가상화와 KVM", "아주 긴 제목이 들어가는 절: 컨테이너 네트워크와 저장소를 함께 설정하는 방법",
          "정리"]


def note() -> Document:
    blocks: list = []
    for n, title in enumerate(TITLES):
        blocks += [Heading(2, (Span(title),), SourceSpan("toc.md", 4 * n + 1), f"s{n}"),
                   Paragraph((Span("본문 문단입니다. " * 40),), SourceSpan("toc.md", 4 * n + 3))]
    return Document(Meta(title="목차 시험"), tuple(blocks), "toc.md")


def leaders(theme, folder: Path) -> list:
    """The leader boxes of the note's laid-out handout."""
    from weasyprint import HTML

    page = render_handout_html(note(), theme, Diagnostics(), base_dir=folder)
    document = HTML(string=page, base_url=folder.as_uri() + "/",
                    url_fetcher=handout_url_fetcher(theme, folder)).render(**PDF_OPTIONS)
    return [b for p in document.pages for b in p._page_box.descendants() if getattr(b, "is_leader", False)]


@pytest.fixture
def weasyprint_as_is(monkeypatch):
    """WeasyPrint's own leader step, as before install_line_merge (put back after the test)."""
    from weasyprint.layout import inline

    step = inline.handle_leader
    monkeypatch.setattr(inline, "handle_leader", getattr(step, "deckgen_original", step))


def extent(boxes) -> tuple[float, float]:
    return (round(min(b.position_x for b in boxes), 3), round(max(b.position_x + b.width for b in boxes), 3))


def test_each_leader_becomes_one_run_over_the_same_stretch(theme, tmp_path: Path, weasyprint_as_is):
    before = [(extent(b.children), b.children[0].text, len(b.children)) for b in leaders(theme, tmp_path)]
    assert len(before) == len(TITLES) and all(n > 10 for _, _, n in before)

    assert install_line_merge() and install_line_merge()      # the second call changes nothing
    after = leaders(theme, tmp_path)
    assert [len(b.children) for b in after] == [1] * len(TITLES)
    assert [(extent(b.children), b.children[0].text) for b in after] == \
        [(stretch, dot * n) for stretch, dot, n in before]


def test_contents_lines_keep_their_dots_and_page_numbers(theme, tmp_path: Path):
    need("pdftotext")
    pdf = tmp_path / "toc.pdf"
    pdf.write_bytes(build_handout_pdf(note(), theme, Diagnostics(), base_dir=tmp_path))
    text = subprocess.run(["pdftotext", "-layout", "-f", "2", "-l", "2", str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout
    lines = [ln for ln in text.splitlines() if "........" in ln]
    assert len(lines) == len(TITLES)
    assert all(ln.rstrip()[-1].isdigit() for ln in lines)


@pytest.mark.parametrize("gap", [0.0, 5.0])
def test_copies_that_are_not_one_row_are_left_alone(theme, tmp_path: Path, weasyprint_as_is, gap: float):
    """A leader whose copies are not evenly one width apart is drawn copy by copy, as before."""
    copies = leaders(theme, tmp_path)[0].children
    copies[0].position_x += gap
    run = one_run(copies)
    assert (run is None) == (gap > 0)
    if run is not None:
        assert len(run.text) == len(copies) * len(copies[0].text)
