"""What keeps a long handout's memory down, and its progress: pseudo-element styles computed on
first use (handout/pseudo.py: the same PDF as WeasyPrint's own cascade makes, far fewer styles
computed), each page's boxes let go once tagged (handout/release.py: the same PDF), and the
page counts reported while it is typeset (handout/logs.report_pages)."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from deckgen.backends.handout import pdf as handout_pdf
from deckgen.backends.handout.document import build_handout_pdf, handout_url_fetcher, render_handout_html
from deckgen.backends.handout.logs import report_pages
from deckgen.backends.handout.pdf import PDF_OPTIONS
from deckgen.backends.handout.pseudo import install_lazy_pseudo_styles
from deckgen.backends.handout.release import RELEASE_MARK, install_page_release, install_stream_packing
from deckgen.diagnostics import Diagnostics
from deckgen.read.parse import parse_note

from conftest import need

EXTRA = """
## 링크와 번호 목록

[WeasyPrint](https://weasyprint.org/) 문서와 [pandoc](https://pandoc.org/)을 본다.

1. 첫째
2. 둘째
   - 안쪽 항목

::: instructor
강사용 메모: 시간이 남으면 예제를 더 보여 준다.
:::
"""


@pytest.fixture
def note(tmp_path: Path) -> Path:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    from notegen import make_note

    path = tmp_path / "n.md"
    path.write_text(make_note(14, seed=3) + EXTRA, encoding="utf-8")
    return path


def weasyprint_cascade():
    """WeasyPrint's own StyleFor, whether or not install_lazy_pseudo_styles has run."""
    from weasyprint import css

    cls = css.StyleFor
    while getattr(cls, "deckgen_lazy", False):
        cls = cls.__mro__[1]
    return cls


@pytest.fixture
def counted(monkeypatch):
    """Styles WeasyPrint computes, by pseudo-element (None: the element itself)."""
    made: list[str | None] = []
    compute = weasyprint_cascade().set_computed_styles

    def counting(self, element, parent, root=None, pseudo_type=None, base_url=None, target_collector=None):
        made.append(pseudo_type)
        return compute(self, element, parent, root=root, pseudo_type=pseudo_type, base_url=base_url,
                       target_collector=target_collector)

    monkeypatch.setattr(weasyprint_cascade(), "set_computed_styles", counting)
    return made


def _pdf(note: Path, theme, edition: str) -> bytes:
    diags = Diagnostics()
    doc = parse_note(note, diags, display=note.name)
    return build_handout_pdf(doc, theme, diags, base_dir=note.parent, edition=edition)


@pytest.mark.parametrize("edition", ["student", "instructor"])
def test_the_same_pdf_with_far_fewer_styles(theme, note: Path, monkeypatch, counted, edition: str):
    from weasyprint import css

    assert install_lazy_pseudo_styles() and install_lazy_pseudo_styles()   # once is enough
    lazy_pdf, lazy = _pdf(note, theme, edition), [p for p in counted if p and not p.startswith("@")]
    counted.clear()
    monkeypatch.setattr(css, "StyleFor", weasyprint_cascade())
    monkeypatch.setattr(handout_pdf, "install_lazy_pseudo_styles", lambda: False)
    eager_pdf, eager = _pdf(note, theme, edition), [p for p in counted if p and not p.startswith("@")]
    assert lazy_pdf == eager_pdf
    assert eager.count("marker") > 200 and eager.count("note-callback") > 200
    assert 0 < lazy.count("marker") < eager.count("marker") / 5       # list items' markers only
    assert 0 < lazy.count("footnote-call") < 20                      # the links' URL footnotes
    assert "note-callback" not in lazy
    assert len(lazy) < len(eager) / 10


def test_page_counts_climb_then_the_pdf_is_written(theme, note: Path, tmp_path: Path):
    need("pdfinfo")
    heard: list[int] = []
    with report_pages(heard.append):
        (tmp_path / "n.pdf").write_bytes(_pdf(note, theme, "student"))
    info = subprocess.run(["pdfinfo", str(tmp_path / "n.pdf")], capture_output=True, text=True, check=True)
    pages = int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))
    assert pages >= 5
    assert heard == list(range(1, pages + 1)) + [0]     # each page once (the contents' re-layout not again)


def test_tagged_pages_are_let_go_and_the_pdf_is_the_same(theme, note: Path):
    from weasyprint import HTML

    diags = Diagnostics()
    page = render_handout_html(parse_note(note, diags, display=note.name), theme, diags, base_dir=note.parent)

    def document():
        return HTML(string=page, base_url=note.parent.as_uri() + "/",
                    url_fetcher=handout_url_fetcher(theme, note.parent)).render(**PDF_OPTIONS)

    assert install_page_release() and install_page_release()
    kept, released = document(), document()
    setattr(released, RELEASE_MARK, True)
    assert kept.write_pdf(**PDF_OPTIONS) == released.write_pdf(**PDF_OPTIONS)
    assert len(released.pages) == len(kept.pages) >= 5
    assert all(p._page_box is None for p in released.pages)
    assert all(p._page_box is not None for p in kept.pages)          # unmarked: as WeasyPrint left it
    assert kept.write_pdf(**PDF_OPTIONS)                             # and still writable again


def test_packed_content_streams_make_the_same_pdf(theme, note: Path, monkeypatch):
    from weasyprint import document

    assert install_stream_packing() and install_stream_packing()
    packed = _pdf(note, theme, "student")
    paint = document.Page.paint
    monkeypatch.setattr(document.Page, "paint", paint.deckgen_original)
    monkeypatch.setattr(handout_pdf, "install_stream_packing", lambda: False)
    assert packed == _pdf(note, theme, "student")


def test_a_painted_page_holds_one_piece_of_content(theme, note: Path, monkeypatch):
    """What the packing is for: each page's operators as one bytes object, not one each."""
    from weasyprint import document

    install_stream_packing()
    painted: list = []
    paint = document.Page.paint

    def recording(self, stream, *args, **kwargs):
        painted.append(stream)
        return paint(self, stream, *args, **kwargs)

    monkeypatch.setattr(document.Page, "paint", recording)
    _pdf(note, theme, "student")
    assert len(painted) >= 5
    assert all(len(s.stream) == 1 and s.stream[0].count(b"\n") > 50 for s in painted)
