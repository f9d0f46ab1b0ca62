"""The slides PDF and the slide handouts: drawn from the laid-out deck, one page per slide.

Data in: fixture notes (a feature note with a table, an SVG, a callout, code
and a link; the real Jekyll lecture).  Out: page counts, words per page,
embedded fonts, bookmarks, page labels and the rule that every predicted line
is exactly one rendered line that fits its box.
"""
from __future__ import annotations

import functools
import math
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import FIXTURES, need
from deckgen.cli import main
from deckgen.diagnostics import Diagnostics
from deckgen.layout.geometry import LaidOutDeck, TableFrame, TextFrame
from deckgen.pipeline import BuildOptions, cached_theme, lay_out
from deckgen.read.assets import AssetResolver
from deckgen.read.parse import parse_source
from deckgen.read.source import read_source
from deckgen.render import render_figures

NOTES = {"features": FIXTURES / "slides" / "features.md", "jekyll": FIXTURES / "notes" / "jekyll-virtualization.md"}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """Both notes built by the real CLI into one folder: deck, handout (slides-3) and slides PDF."""
    src = tmp_path_factory.mktemp("src")
    for f in (FIXTURES / "slides").iterdir():
        shutil.copy(f, src / f.name)
    shutil.copy(NOTES["jekyll"], src / "jekyll.md")
    out = tmp_path_factory.mktemp("out")
    assert main(["build", str(src), "-o", str(out), "--format", "pptx,pdf,slides", "--handout-layout", "slides-3",
                 "-q", "--jobs", "1"]) == 0
    return out


@functools.cache
def laid(name: str) -> LaidOutDeck:
    """The laid-out deck of a fixture note (as the build makes it)."""
    theme, measurer = cached_theme("default")
    diags = Diagnostics()
    note = NOTES[name]
    doc = parse_source(read_source(note, str(note), diags), diags, AssetResolver(note.resolve(), note.parent))
    cache = Path(tempfile.gettempdir()) / "deckgen-test-figures"
    doc = render_figures(doc, diags, cache_dir=cache, theme=theme, project_root=note.parent)
    return lay_out(doc, theme, measurer, BuildOptions(), diags)[1]


def slide_count(pptx: Path) -> int:
    from pptx import Presentation
    return len(Presentation(str(pptx)).slides)


def slide_words(pptx: Path) -> list[list[str]]:
    """The words of every slide of the deck (text frames and table cells)."""
    from pptx import Presentation
    out = []
    for slide in Presentation(str(pptx)).slides:
        words: list[str] = []
        for sh in slide.shapes:
            if sh.has_text_frame:
                words += sh.text_frame.text.split()
            elif sh.has_table:
                words += [w for row in sh.table.rows for c in row.cells for w in c.text.split()]
        out.append(words)
    return out


def page_text(pdf: Path, page: int) -> str:
    return subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-layout", str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("name", ["features", "jekyll"])
def test_one_page_per_slide_at_the_slide_size(built: Path, name: str):
    reader = PdfReader(str(built / f"{name}-slides.pdf"))
    assert len(reader.pages) == slide_count(built / f"{name}.pptx") > 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (960, 540)


@pytest.mark.parametrize("name", ["features", "jekyll"])
def test_every_word_of_a_slide_is_on_its_page(built: Path, name: str):
    need("pdftotext")
    pdf = built / f"{name}-slides.pdf"
    for n, words in enumerate(slide_words(built / f"{name}.pptx"), start=1):
        text = re.sub(r"\s+", "", page_text(pdf, n))
        missing = [w for w in words if w not in text]
        assert not missing, f"slide {n}: {missing}"


def test_fonts_are_embedded(built: Path):
    need("pdffonts")
    out = subprocess.run(["pdffonts", str(built / "features-slides.pdf")], capture_output=True, text=True,
                         check=True).stdout.splitlines()[2:]
    assert out, "no fonts"
    for line in out:
        assert line.split()[-5] == "yes", line            # emb column
    names = " ".join(line.split()[0] for line in out)
    assert "NanumBarunGothic" in names and "NanumGothicCoding" in names


def test_bookmarks_are_slide_titles_and_page_labels_slide_numbers(built: Path):
    reader = PdfReader(str(built / "features-slides.pdf"))
    titles = [o.title for o in reader.outline]
    assert titles == ["하이퍼바이저와 컨테이너", "가상화의 종류", "비교 표", "계층 그림", "명령어"]
    assert list(reader.page_labels) == ["1", "2", "3", "4", "5"]
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "ko-KR" and "/StructTreeRoot" in root          # tagged, with the note's language
    assert reader.metadata.title == "하이퍼바이저와 컨테이너" and reader.metadata.author == "김하늘"
    continued = [o.title for o in PdfReader(str(built / "jekyll-slides.pdf")).outline][1:4]
    assert continued == ["LINUX의 종류", "LINUX의 종류 (계속)", "가상화 (Virtualization)"]   # as the slides show them


def test_web_link_is_a_link_and_svg_stays_vector(built: Path):
    reader = PdfReader(str(built / "features-slides.pdf"))
    annots = [a.get_object() for a in reader.pages[1].get("/Annots", [])]
    assert any(a["/A"].get("/URI") == "https://www.linux-kvm.org/" for a in annots)

    def images(obj) -> int:
        xobjects = obj.get("/Resources", {}).get("/XObject", {})
        n = 0
        for x in xobjects.values():
            x = x.get_object()
            n += 1 if x.get("/Subtype") == "/Image" else images(x)
        return n
    assert images(reader.pages[3]) == 0          # the layers.svg figure: drawn, not a bitmap
    assert "/XObject" in reader.pages[3]["/Resources"] or reader.pages[3].get_contents()


def _classes(box) -> set[str]:
    return set((box.element.get("class") or "").split()) if box.element is not None else set()


def rendered_lines(deck: LaidOutDeck) -> list[tuple[int, str, float, float]]:
    """(line boxes, text, content width, available width in pt) of every predicted line's block."""
    from weasyprint import HTML
    from weasyprint.formatting_structure import boxes

    from deckgen.backends.slides_pdf.pages import slides_document

    doc = HTML(string=slides_document(deck, cached_theme("default")[0])).render()
    out = []

    def walk(box) -> None:
        if isinstance(box, boxes.BlockBox) and _classes(box) >= {"ln"}:
            # a bullet is absolutely placed (its own placeholder); the text's line boxes sit in the
            # block itself or, beside a bullet, in one anonymous block
            flow = [c for c in box.children if type(c).__name__ != "AbsolutePlaceholder"]
            lines = [ln for c in flow for ln in ([c] if isinstance(c, boxes.LineBox) else c.children)
                     if isinstance(ln, boxes.LineBox)]
            right = max((d.position_x + d.margin_width() for ln in lines for d in ln.children),
                        default=box.content_box_x())
            text = "".join(t.text for ln in lines for t in ln.descendants() if isinstance(t, boxes.TextBox))
            out.append((len(lines), text, right - box.content_box_x(), box.width))
            return
        for child in getattr(box, "children", []):
            walk(child)

    for page in doc.pages:
        walk(page._page_box)
    return out


@pytest.mark.parametrize("name", ["features", "jekyll"])
def test_each_predicted_line_is_one_rendered_line_inside_its_box(name: str):
    deck = laid(name)
    predicted = []
    for s in deck.slides:
        for sh in s.shapes:
            paras = sh.paras if isinstance(sh, TextFrame) else \
                [p for row in sh.rows for c in row for p in c.paras] if isinstance(sh, TableFrame) else []
            predicted += [line for p in paras for line in (p.lines or ("",))]
    lines = rendered_lines(deck)
    assert [text for _, text, _, _ in lines] == predicted       # same lines, same order, same breaks
    assert all(n == (1 if text else 0) for n, text, _, _ in lines)
    overflow = [(text, w, room) for _, text, w, room in lines if w > room + 0.5]
    assert not overflow


def test_slides_3_handout_has_three_slides_per_page_and_a_running_header(built: Path):
    need("pdftotext")
    for name, title in (("features", "하이퍼바이저와 컨테이너"), ("jekyll", "가상화")):
        pdf = built / f"{name}.pdf"
        pages = len(PdfReader(str(pdf)).pages)
        assert pages == math.ceil(slide_count(built / f"{name}.pptx") / 3)
        for n in range(1, pages + 1):
            text = page_text(pdf, n)
            assert title in text.splitlines()[0]                       # running header
            assert text.split()[-1] == str(n)                             # page number in the footer


@pytest.mark.parametrize("layout,per_page", [("slides-2", 2), ("slides-6", 6), ("notes", 1)])
def test_other_handout_layouts(layout: str, per_page: int):
    from deckgen.backends.slides_pdf import build_handout_slides_pdf
    from deckgen.model import SourceSpan

    deck = laid("features")
    diags = Diagnostics()
    pdf = build_handout_slides_pdf(deck, cached_theme("default")[0], layout, diags, source=SourceSpan("x", 0))
    reader = PdfReader(__import__("io").BytesIO(pdf))
    assert len(reader.pages) == math.ceil(len(deck.slides) / per_page)
    assert round(float(reader.pages[0].mediabox.width)) == 595          # A4
    text = "".join(p.extract_text() for p in reader.pages)
    if layout == "notes":
        assert "KVM 은 리눅스 커널 모듈이라는 점을 강조한다." in text
    assert not diags.count("warning")


def test_notes_layout_is_written_for_the_instructor_only(tmp_path: Path):
    assert main(["build", str(NOTES["features"]), "-o", str(tmp_path), "--format", "pdf", "--handout-layout",
                 "notes", "-q"]) == 0
    assert len(PdfReader(str(tmp_path / "features-instructor.pdf")).pages) == 5
    student = PdfReader(str(tmp_path / "features.pdf"))
    assert student.pages[0].mediabox.width < 600 and len(student.pages) >= 1   # the document handout


def test_front_matter_layout_and_a_bad_value(tmp_path: Path, capsys):
    note = tmp_path / "a.md"
    note.write_text("---\ntitle: 가\nhandout_layout: slides-2\n---\n\n## 하나\n\n- 일\n\n## 둘\n\n- 이\n\n"
                    "## 셋\n\n- 삼\n", encoding="utf-8")
    assert main(["build", str(note), "-o", str(tmp_path / "o"), "--format", "pdf", "-q"]) == 0
    assert len(PdfReader(str(tmp_path / "o" / "a.pdf")).pages) == 2         # title + 3 slides, 2 a page
    note.write_text(note.read_text(encoding="utf-8").replace("slides-2", "slides-9"), encoding="utf-8")
    capsys.readouterr()
    assert main(["build", str(note), "-o", str(tmp_path / "p"), "--format", "pdf"]) == 0
    err = capsys.readouterr().err
    assert "handout_layout: unknown layout 'slides-9'" in err and "[handout-layout]" in err
    assert (tmp_path / "p" / "a.pdf").is_file()


def test_an_empty_note_gives_its_title_slide_and_says_so(tmp_path: Path, capsys):
    """An empty note still has a title slide (issue 10): one page, and a warning naming the note."""
    note = tmp_path / "empty.md"
    note.write_text("", encoding="utf-8")
    assert main(["build", str(note), "-o", str(tmp_path), "--format", "slides"]) == 0
    assert len(PdfReader(str(tmp_path / "empty-slides.pdf")).pages) == 1
    assert "empty.md:1: warning: the note has no text" in capsys.readouterr().err


def test_a_deck_without_slides_gives_a_blank_page_and_says_so():
    """The backend's own guard: a PDF cannot have no pages, so a slideless deck is one blank page."""
    import dataclasses
    import io

    from deckgen.backends.slides_pdf import build_slides_pdf
    from deckgen.model import SourceSpan

    empty = dataclasses.replace(laid("features"), slides=())
    diags = Diagnostics()
    pdf = build_slides_pdf(empty, cached_theme("default")[0], diags, source=SourceSpan("empty.md", 0))
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    assert [d.code for d in diags.items] == ["slides-empty"]
