"""Every handout PDF is tagged (PDF/UA-1 through WeasyPrint): checked with the `pdfua` checker
from PyPI (the machine-checkable subset of PDF/UA-1) and with pikepdf checks of our own: the
structure tree, /MarkInfo, /Lang, document info and XMP, /Alt on figures, table headers and a
reading order that follows the note."""
from __future__ import annotations

import re
from pathlib import Path

import pikepdf
import pytest
from pdfua import validate

from deckgen.backends.handout.document import build_handout_pdf
from deckgen.diagnostics import Diagnostics
from deckgen.model import Document, Heading, Image, Meta, Paragraph, SourceSpan, Span

from test_editions import EXPECTED, outputs  # noqa: F401  (the built fixture note)

KNOWN_WARNINGS = {"UA-15-003"}
"""pdfua looks for /Scope or /Headers on header cells; WeasyPrint associates tables the other
way PDF/UA §7.5 allows, /ID on each /TH and /Headers on each /TD (checked below instead)."""


def structure(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    """Structure elements in document order (depth first)."""
    out: list[pikepdf.Dictionary] = []

    def walk(node) -> None:
        if isinstance(node, pikepdf.Array):
            for kid in node:
                walk(kid)
        elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
            out.append(node)
            if "/K" in node:
                walk(node.K)

    walk(pdf.Root.StructTreeRoot.K)
    return out


@pytest.mark.parametrize("name", ["lecture.pdf", "lecture-instructor.pdf"])
def test_pdfua_checker_finds_no_errors(outputs, name):  # noqa: F811
    report = validate(str(outputs / name))
    problems = [(f.rule_id, f.severity.name, f.message) for f in report.findings
                if f.rule_id not in KNOWN_WARNINGS or f.severity.name == "ERROR"]
    assert problems == []


@pytest.mark.parametrize("name", ["lecture.pdf", "lecture-instructor.pdf"])
def test_tagged_with_language_metadata_and_alt_text(outputs, name):  # noqa: F811
    with pikepdf.open(outputs / name) as pdf:
        root = pdf.Root
        assert "/StructTreeRoot" in root
        assert bool(root.MarkInfo.Marked) is True
        assert str(root.Lang) == "ko-KR"
        assert bool(root.ViewerPreferences.DisplayDocTitle) is True
        info = pdf.docinfo
        assert str(info.Title).startswith("컨테이너 네트워크")
        assert str(info.Author) == "김하늘"
        assert str(info.Subject) == "브리지, 호스트, 오버레이"
        assert str(info.Keywords) == "docker, network"
        with pdf.open_metadata() as xmp:
            assert xmp.get("dc:title", "").startswith("컨테이너 네트워크")
            assert "김하늘" in xmp.get("dc:creator", [])
            assert xmp.get("pdfuaid:part") == "1"
        elements = structure(pdf)
        figures = [e for e in elements if e.S == "/Figure" and "/Alt" in e]
        assert EXPECTED["image_alt"] in [str(f.Alt) for f in figures]
        assert all("/Alt" in e for e in elements if e.S == "/Figure")


def test_table_cells_name_their_headers(outputs):  # noqa: F811
    with pikepdf.open(outputs / "lecture.pdf") as pdf:
        elements = structure(pdf)
        header_ids = {bytes(e.ID) for e in elements if e.S == "/TH"}
        cells = [e for e in elements if e.S == "/TD"]
        assert len(header_ids) == EXPECTED["table_columns"] and cells
        for cell in cells:
            assert {bytes(h) for h in cell.A.Headers} <= header_ids and len(cell.A.Headers) == 1


def test_reading_order_follows_the_note(outputs):  # noqa: F811
    """Headings, the figure and the table come in the structure tree in the note's order, after
    the cover and the contents."""
    with pikepdf.open(outputs / "lecture.pdf") as pdf:
        roles = [str(e.S) for e in structure(pdf)]
    content = [r for r in roles if r in ("/H1", "/H2", "/Figure", "/Table")]
    assert content == ["/H1", "/H2", "/H2", "/Figure", "/H2", "/Table"]  # cover, contents title, the note


def small_pdf(tmp_path: Path, theme, meta: Meta, *blocks) -> tuple[bytes, Diagnostics]:
    diags = Diagnostics()
    doc = Document(meta, (Heading(2, (Span("절"),), SourceSpan("n.md", 3), "s"), *blocks), "n.md")
    return build_handout_pdf(doc, theme, diags, base_dir=tmp_path), diags


def test_lang_follows_the_note(theme, tmp_path):
    data, _ = small_pdf(tmp_path, theme, Meta(title="Networks", lang="en-US"),
                        Paragraph((Span("Bridges and hosts."),)))
    out = tmp_path / "en.pdf"
    out.write_bytes(data)
    with pikepdf.open(out) as pdf:
        assert str(pdf.Root.Lang) == "en-US"
        assert str(pdf.docinfo.Subject) == "절"       # no subtitle: the top sections say what it is about


def test_an_image_without_alt_text_gets_its_caption_or_name_and_a_note(theme, tmp_path):
    from PIL import Image as PILImage
    PILImage.new("RGB", (40, 20), "#336699").save(tmp_path / "wiring.png")
    img = Image("wiring.png", "", "wiring.png", source=SourceSpan("n.md", 7))
    data, diags = small_pdf(tmp_path, theme, Meta(title="t"), img)
    out = tmp_path / "alt.pdf"
    out.write_bytes(data)
    with pikepdf.open(out) as pdf:
        alts = [str(e.Alt) for e in structure(pdf) if e.S == "/Figure"]
    assert alts == ["wiring.png"]
    assert [(d.code, d.source.line) for d in diags.items] == [("image-alt-missing", 7)]
    assert not [d for d in diags.items if re.search("alt description", d.message)]
