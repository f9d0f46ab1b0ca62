"""Structural checks of the PPTX: Korean font slots and language on every run,
paragraph levels, native tables, speaker notes, pinned metrics, slide count."""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from pptx import Presentation

from conftest import FIXTURES, build

NS = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main",
      "p": "http://schemas.openxmlformats.org/presentationml/2006/main"}


@pytest.fixture(scope="module")
def decks(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("decks")
    result = {}
    for name in ("blocks", "lists", "inline", "jekyll"):
        r = build(FIXTURES / "model" / f"{name}.md", out, "--format", "pptx")
        assert r.returncode == 0, r.stderr
        result[name] = out / f"{name}.pptx"
    return result


def xml_parts(deck: Path, prefix: str) -> list[etree._Element]:
    with zipfile.ZipFile(deck) as z:
        return [etree.fromstring(z.read(n)) for n in sorted(z.namelist())
                if n.startswith(prefix) and n.endswith(".xml")]


@pytest.mark.parametrize("name", ["blocks", "lists", "inline", "jekyll"])
def test_every_run_names_korean_faces_and_language(decks, name, theme) -> None:
    parts = xml_parts(decks[name], "ppt/slides/slide") + xml_parts(decks[name], "ppt/notesSlides/")
    runs = [r for x in parts for r in x.iter(f"{{{NS['a']}}}r")]
    assert runs
    families = {theme.fonts.heading.family, theme.fonts.body.family, theme.fonts.mono.family}
    for r in runs:
        rpr = r.find("a:rPr", NS)
        assert rpr is not None and rpr.get("lang") == "ko-KR", etree.tostring(r, encoding="unicode")
        for slot in ("latin", "ea", "cs"):
            el = rpr.find(f"a:{slot}", NS)
            assert el is not None and el.get("typeface") in families, (slot, etree.tostring(r, encoding="unicode"))


def test_theme_fonts_name_the_korean_face(decks, theme) -> None:
    for part in xml_parts(decks["blocks"], "ppt/theme/"):
        major = part.find(".//a:majorFont", NS)
        minor = part.find(".//a:minorFont", NS)
        assert major.find("a:ea", NS).get("typeface") == theme.fonts.heading.family
        assert minor.find("a:ea", NS).get("typeface") == theme.fonts.body.family
        hang = [f for f in minor.findall("a:font", NS) if f.get("script") == "Hang"]
        assert hang and hang[0].get("typeface") == theme.fonts.body.family


def test_nested_bullets_are_paragraph_levels(decks) -> None:
    prs = Presentation(str(decks["lists"]))
    levels = {}
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                for p in shape.text_frame.paragraphs:
                    levels[p.text] = p.level
    assert levels["첫째 항목"] == 0
    assert levels["둘째 수준"] == 1
    assert levels["셋째 수준"] == 2


def test_bullets_checkboxes_and_numbers(decks) -> None:
    xml = "".join(etree.tostring(x, encoding="unicode") for x in xml_parts(decks["lists"], "ppt/slides/slide"))
    assert 'char="▣"' in xml and 'char="□"' in xml
    assert re.search(r'<a:buAutoNum type="arabicPeriod" startAt="3"/>', xml)
    assert "[x]" in xml     # a bare `- [x]` with no text is literal, as GFM renders it


def test_full_width_markers_are_drawn_smaller_than_the_text(decks) -> None:
    """The Korean faces draw ◦ ▣ □ 0.89 em wide, wider than a marker's room: at full size
    the third level's circle read as a letter O glued to its word."""
    sizes = {}
    for x in xml_parts(decks["lists"], "ppt/slides/slide"):
        for ppr in x.iter(f"{{{NS['a']}}}pPr"):
            char, size = ppr.find("a:buChar", NS), ppr.find("a:buSzPct", NS)
            if char is not None and size is not None:
                sizes[char.get("char")] = int(size.get("val"))
    assert sizes["•"] == 100000
    assert sizes["◦"] < 70000 and sizes["▣"] < 100000 and sizes["□"] < 100000


def test_section_titles_keep_the_authors_case(tmp_path) -> None:
    note = tmp_path / "case.md"
    note.write_text("# Part 1. 개요\n\n## Intro 소개\n\n본문\n", encoding="utf-8")
    assert build(note, tmp_path, "--format", "pptx").returncode == 0
    with zipfile.ZipFile(tmp_path / "case.pptx") as z:
        layouts = [z.read(n).decode() for n in z.namelist() if n.startswith("ppt/slideLayouts/slideLayout")]
    assert layouts and not any('cap="all"' in x for x in layouts)


def test_table_is_native(decks) -> None:
    prs = Presentation(str(decks["blocks"]))
    tables = [s.table for slide in prs.slides for s in slide.shapes if s.has_table]
    assert len(tables) == 1
    t = tables[0]
    assert (len(t.rows), len(t.columns)) == (3, 2)
    assert t.cell(0, 0).text == "이름" and t.cell(2, 0).text == "나"
    assert t.cell(1, 1).text_frame.paragraphs[0].alignment is not None   # right-aligned column


def test_speaker_notes_and_dropped_comments(decks) -> None:
    prs = Presentation(str(decks["blocks"]))
    notes = [s.notes_slide.notes_text_frame.text for s in prs.slides if s.has_notes_slide]
    assert any("발표자 노트입니다." in n and "노트 안 목록" in n for n in notes)
    body = " ".join(sh.text_frame.text for s in prs.slides for sh in s.shapes if sh.has_text_frame)
    assert "발표자 노트" not in body
    inline = Presentation(str(decks["inline"]))
    every = " ".join(sh.text_frame.text for s in inline.slides for sh in s.shapes if sh.has_text_frame)
    assert "주석" not in every and "<!--" not in every


def test_metrics_are_pinned_and_autofit_off(decks) -> None:
    for part in xml_parts(decks["blocks"], "ppt/slides/slide"):
        for body in part.findall(".//p:sp/p:txBody/a:bodyPr", NS):
            assert body.find("a:noAutofit", NS) is not None
        for p in part.iter(f"{{{NS['a']}}}p"):
            ppr = p.find("a:pPr", NS)
            if ppr is None:      # table cells of an empty shape
                continue
            assert ppr.find("a:lnSpc/a:spcPts", NS) is not None
            assert ppr.find("a:spcBef/a:spcPts", NS) is not None
            assert ppr.get("marL") is not None and ppr.get("indent") is not None


def test_slide_titles_are_title_placeholders(decks) -> None:
    prs = Presentation(str(decks["blocks"]))
    titles = [s.shapes.title.text if s.shapes.title is not None else None for s in prs.slides]
    # title slide (no title in front matter -> the lone # heading), then its content slides
    assert titles[0] == "블록 요소"
    assert all(t for t in titles)
    assert len(prs.slides) == 3      # title, content, the slide after `---`
