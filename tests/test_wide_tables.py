"""Wide handout tables are never clipped: smaller steps, words broken inside, a landscape page.

Checked on real PDFs: every cell's text is in pdftotext's output (content-stream order, so a
cell's lines stay together) and no word's box passes its page's edge (pdftotext -bbox)."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from deckgen.backends.handout.document import build_handout_pdf, render_handout_html
from deckgen.backends.handout.page import page_box, page_size_mm
from deckgen.backends.handout.tables import fit_table
from deckgen.diagnostics import Diagnostics
from deckgen.model import Cell, Document, Heading, Meta, SourceSpan, Span, Table, plain_text, walk_blocks
from deckgen.read.parse import parse_note

from conftest import FIXTURES, need

KUBECTL = FIXTURES / "handout" / "kubectl-wide.md"


@pytest.fixture(autouse=True, scope="module")
def _tools() -> None:
    need("pdftotext")


def cell(text: str) -> Cell:
    return Cell((Span(text),))


def grid(columns: int, rows: int = 3) -> Table:
    return Table(tuple(cell(f"C{j:02d}") for j in range(columns)),
                 tuple(tuple(cell(f"v{r}x{j:02d}") for j in range(columns)) for r in range(rows)),
                 SourceSpan("wide.md", 5))


def table_doc(table: Table) -> Document:
    return Document(Meta(title="넓은 표"), (Heading(2, (Span("서른 열"),), SourceSpan("wide.md", 3), "s"), table),
                    "wide.md")


def words_outside_pages(pdf: Path) -> list[str]:
    """Words whose box passes the edge of the page they are on."""
    xml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    bad = []
    for page in re.findall(r"<page (.*?)</page>", xml, re.S):
        w, h = (float(v) for v in re.match(r'width="([\d.]+)" height="([\d.]+)"', page).groups())
        for x0, y0, x1, y1, word in re.findall(
                r'<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">(.*?)</word>', page):
            if float(x0) < 0 or float(y0) < 0 or float(x1) > w + 0.5 or float(y1) > h + 0.5:
                bad.append(word)
    return bad


def missing_rows(pdf: Path, table: Table) -> list[str]:
    """Rows whose cells, in order, are not in the PDF's text (whitespace ignored)."""
    raw = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    text = re.sub(r"\s+", "", raw)
    rows = (table.header, *table.rows)
    joined = ["".join(re.sub(r"\s+", "", plain_text(c.spans)) for c in row) for row in rows]
    return [r for r in joined if r not in text]


def page_widths(pdf: Path) -> list[float]:
    out = subprocess.run(["pdfinfo", "-f", "1", "-l", "99", str(pdf)], capture_output=True, text=True).stdout
    return [float(m) for m in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x", out)]


def write(tmp_path: Path, doc: Document, theme, diags: Diagnostics | None = None) -> Path:
    pdf = tmp_path / "out.pdf"
    pdf.write_bytes(build_handout_pdf(doc, theme, diags or Diagnostics(), base_dir=tmp_path))
    return pdf


def test_kubectl_wide_output_keeps_every_column(theme, tmp_path):
    diags = Diagnostics()
    doc = parse_note(KUBECTL, diags, display=KUBECTL.name, root=KUBECTL.parent)
    table = next(b for b in doc.blocks if isinstance(b, Table))
    assert len(table.header) == 9
    assert plain_text(table.rows[0][7].spans) == "<none>"     # a placeholder, not an HTML tag
    pdf = write(tmp_path, doc, theme)
    assert missing_rows(pdf, table) == []
    assert words_outside_pages(pdf) == []


def test_thirty_columns_go_to_a_landscape_page(theme, tmp_path):
    table = grid(30)
    diags = Diagnostics()
    pdf = write(tmp_path, table_doc(table), theme, diags)
    assert missing_rows(pdf, table) == []
    assert words_outside_pages(pdf) == []
    widths = page_widths(pdf)
    assert widths[0] < 600 and max(widths) > 800          # the cover is A4 portrait, the table's page is not
    assert not diags.count("warning")
    html = render_handout_html(table_doc(table), theme, Diagnostics(), base_dir=tmp_path)
    assert re.search(r'<div class="landscape"><h2 [^>]*>.*서른.*</h2>\s*<table', html)  # the heading goes along


def test_size_steps_are_chosen_by_the_widest_words(theme):
    page = page_box(theme)
    assert fit_table(grid(3), theme, page, 10.5).classes == ""          # an ordinary table is untouched
    six = fit_table(grid(14), theme, page, 10.5)
    assert six.step > 0 and not six.landscape                           # shrinks before turning the page
    wide = fit_table(grid(30), theme, page, 10.5)
    assert wide.landscape and not wide.break_anywhere
    huge = fit_table(grid(200), theme, page, 10.5)
    assert huge.break_anywhere and not huge.fits


def test_a_table_no_page_can_hold_is_reported(theme, tmp_path):
    diags = Diagnostics()
    render_handout_html(table_doc(grid(200, rows=1)), theme, diags, base_dir=tmp_path)
    assert [d.code for d in diags.items if d.severity == "warning"] == ["table-too-wide"]
    assert diags.items[0].source.line == 5


@pytest.mark.parametrize("value, size", [("A4", (210, 297)), ("a5 landscape", (210, 148)),
                                         ("letter", (215.9, 279.4)), ("100mm 150mm", (100, 150)),
                                         ("nonsense", (210, 297))])
def test_page_sizes(value, size):
    assert page_size_mm(value) == pytest.approx(size)


def test_wide_tables_in_lists_quotes_callouts_and_columns(theme, tmp_path):
    """A list or box holding a wide table goes onto the landscape page whole (never split across
    the turn), and a table in one of two columns fits half the width."""
    note = FIXTURES / "handout" / "nested-wide.md"
    doc = parse_note(note, Diagnostics(), display=note.name, root=note.parent)
    html = render_handout_html(doc, theme, Diagnostics(), base_dir=tmp_path)
    assert html.count('<div class="landscape">') == 4
    assert re.search(r'<div class="landscape"><h2[^>]*>.*?</h2>\s*<aside class="callout', html)
    assert 'class="fit-3 break-anywhere"' in html                      # the one in a column
    pdf = write(tmp_path, doc, theme)
    tables = [b for b in walk_blocks(doc.blocks) if isinstance(b, Table)]
    assert len(tables) == 4
    for table in tables:
        assert missing_rows(pdf, table) == []
    assert words_outside_pages(pdf) == []
    assert len(page_widths(pdf)) == 3                                   # cover, contents, one landscape page



def test_a_table_no_slide_can_hold_is_split_by_columns():
    """60 columns: the deck shows them as several tables, each column at least 1 em wide for its
    text and inside the slide, every cell kept, the first column repeated (they ran off the slide)."""
    from layout_helpers import frame_text, lay_out
    from deckgen.layout.geometry import EMU_PER_PT, TableFrame
    _, laid, diags = lay_out(Path(__file__).parent / "hostile" / "table-60-columns" / "note.md")
    tables = [sh for s in laid.slides for sh in s.shapes if isinstance(sh, TableFrame)]
    assert len(tables) > 1
    for t in tables:
        assert t.x + sum(t.col_widths) <= laid.width
        inner = min(t.col_widths) - t.insets[0] - t.insets[2]
        assert inner >= t.rows[0][0].paras[0].size * EMU_PER_PT
    cells = [text for t in tables for text in frame_text(t)]
    assert all(f"값{i}" in cells and f"열{i}" in cells for i in range(60))
    assert cells.count("값0") == len(tables)
    assert [d.code for d in diags.items if d.severity == "warning"] == ["table-too-wide"]
    assert diags.items[0].source.line == 5
