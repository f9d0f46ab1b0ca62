"""Fonts travel with the deck: EOT parts that eot2ttf turns back into the faces the runs name.

LibreOffice ignores PPTX-embedded fonts, so the check is independent of it: every
``ppt/fonts/*.fntdata`` part is converted back with libeot's ``eot2ttf``, opened with
fontTools, and its cmap must cover every character the runs naming that family use.
The font list and the EOT headers are a golden (tests/fixtures/embed/*.yaml; regenerate
with DECKGEN_UPDATE_GOLDENS=1 and review the diff).
"""
from __future__ import annotations

import collections
import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from pptx import Presentation

from conftest import FIXTURES, assert_golden, build, need, run

NS = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main",
      "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
      "rel": "http://schemas.openxmlformats.org/package/2006/relationships"}
FIXTURE = FIXTURES / "notes" / "jekyll-virtualization.md"
BUDGET = 3_000_000


@pytest.fixture(scope="module")
def deck(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("embed")
    r = build(FIXTURE, out, "--format", "pptx")
    assert r.returncode == 0, r.stderr
    assert "font-not-embedded" not in r.stderr
    return out / "jekyll-virtualization.pptx"


def east_asian(ch: str) -> bool:
    cp = ord(ch)
    return 0x1100 <= cp <= 0x11FF or 0x2E80 <= cp <= 0x9FFF or 0xAC00 <= cp <= 0xD7FF or 0xFF00 <= cp <= 0xFFEF


def used_characters(z: zipfile.ZipFile) -> dict[tuple[str, bool], set[str]]:
    """(family, bold) -> characters, read from the runs' a:latin / a:ea as a viewer would."""
    used: dict[tuple[str, bool], set[str]] = collections.defaultdict(set)
    for name in z.namelist():
        if not re.match(r"ppt/(slides/slide|notesSlides/notesSlide)\d+\.xml$", name):
            continue
        for r in etree.fromstring(z.read(name)).iterfind(".//a:r", NS):
            rpr = r.find("a:rPr", NS)
            latin, ea = rpr.find("a:latin", NS).get("typeface"), rpr.find("a:ea", NS).get("typeface")
            for ch in r.findtext("a:t", "", NS):
                if not ch.isspace():
                    used[(ea if east_asian(ch) else latin, rpr.get("b") == "1")].add(ch)
    return used


def embedded_fonts(z: zipfile.ZipFile) -> list[dict]:
    """One entry per p:embeddedFont slot: family, style and the part it points to."""
    prs = etree.fromstring(z.read("ppt/presentation.xml"))
    rels = {r.get("Id"): "ppt/" + r.get("Target")
            for r in etree.fromstring(z.read("ppt/_rels/presentation.xml.rels")).iterfind("rel:Relationship", NS)}
    out = []
    for ef in prs.iterfind("p:embeddedFontLst/p:embeddedFont", NS):
        font = ef.find("p:font", NS)
        for slot in ef[1:]:
            out.append({"family": font.get("typeface"), "style": etree.QName(slot).localname,
                        "part": rels[slot.get(f"{{{NS['r']}}}id")], "font": dict(font.attrib)})
    return out


def test_deck_is_under_budget_and_opens(deck: Path) -> None:
    assert deck.stat().st_size < BUDGET, f"{deck.stat().st_size} bytes"
    prs = Presentation(str(deck))
    assert len(prs.slides) >= 5
    with zipfile.ZipFile(deck) as z:
        root = etree.fromstring(z.read("ppt/presentation.xml"))
        assert root.get("embedTrueTypeFonts") == "1" and root.get("saveSubsetFonts") == "1"
        order = [etree.QName(c).localname for c in root]
        assert order.index("embeddedFontLst") == order.index("notesSz") + 1, order
        types = etree.fromstring(z.read("[Content_Types].xml"))
        fnt = [d for d in types if d.get("Extension") == "fntdata" or str(d.get("PartName", "")).endswith(".fntdata")]
        assert fnt and all(d.get("ContentType") == "application/x-fontdata" for d in fnt)


def test_every_named_face_is_embedded_and_covers_its_characters(deck: Path, tmp_path: Path) -> None:
    need("eot2ttf")
    from fontTools.ttLib import TTFont

    with zipfile.ZipFile(deck) as z:
        used = used_characters(z)
        fonts = embedded_fonts(z)
        slots = {(f["family"], f["style"]) for f in fonts}
        for family, bold in used:
            want = (family, "bold") if bold and (family, "bold") in slots else (family, "regular")
            assert want in slots, f"{family} {'bold' if bold else 'regular'} is named by runs but not embedded"
        for f in fonts:
            src, dst = tmp_path / "face.eot", tmp_path / "face.ttf"
            src.write_bytes(z.read(f["part"]))
            r = run(["eot2ttf", str(src), str(dst)])
            assert r.returncode == 0, r.stderr
            ttf = TTFont(str(dst))
            assert ttf["OS/2"].fsType & 0xF in (0, 8), f"{f['family']}: fsType {ttf['OS/2'].fsType}"
            cmap = ttf.getBestCmap()
            chars = used.get((f["family"], f["style"] == "bold"), set())
            if f["style"] == "regular" and (f["family"], "bold") not in slots:
                chars = chars | used.get((f["family"], True), set())
            missing = sorted(c for c in chars if ord(c) not in cmap)
            assert not missing, f"{f['family']} {f['style']} lacks {missing}"
            assert ord("힝") in cmap and ord("ㄱ") in cmap and ord("A") in cmap   # KS X 1001, jamo, ASCII


def test_font_list_and_eot_headers_golden(deck: Path) -> None:
    from deckgen.backends.pptx.eot import read_eot_header

    got = []
    with zipfile.ZipFile(deck) as z:
        for f in embedded_fonts(z):
            h = read_eot_header(z.read(f["part"]))
            got.append({"family": f["family"], "style": f["style"], "p:font": f["font"],
                        "eot": {"version": hex(h.version), "flags": h.flags, "charset": h.charset,
                                "italic": h.italic, "weight": h.weight, "fsType": h.fs_type,
                                "family_name": h.family_name, "style_name": h.style_name,
                                "panose": h.panose.hex()}})
    assert_golden(FIXTURES / "embed" / "jekyll-virtualization.yaml", got)


def test_embedding_off_and_full(tmp_path: Path) -> None:
    from fontTools.ttLib import TTFont

    note = tmp_path / "tiny.md"
    note.write_text("---\ntitle: 가상화\n---\n\n## 하이퍼바이저\n\n- 한 대의 서버\n", encoding="utf-8")
    r = build(note, tmp_path / "none", "--format", "pptx", "--embed-fonts", "none")
    assert r.returncode == 0, r.stderr
    with zipfile.ZipFile(tmp_path / "none" / "tiny.pptx") as z:
        assert not [n for n in z.namelist() if n.startswith("ppt/fonts/")]
        assert b"embeddedFontLst" not in z.read("ppt/presentation.xml")
    r = build(note, tmp_path / "full", "--format", "pptx", "--embed-fonts", "full")
    assert r.returncode == 0, r.stderr
    from deckgen.backends.pptx.eot import read_eot_header
    from deckgen.pipeline import cached_theme

    theme = cached_theme("default")[0]
    with zipfile.ZipFile(tmp_path / "full" / "tiny.pptx") as z:
        assert b"saveSubsetFonts" not in z.read("ppt/presentation.xml")
        body = next(f for f in embedded_fonts(z) if f["family"] == theme.fonts.body.family)
        data = z.read(body["part"])
        h = read_eot_header(data)
        assert h.flags == 0     # not a subset
        assert data[h.data_offset:] == Path(theme.fonts.body.regular.path).read_bytes()
        assert TTFont(theme.fonts.body.regular.path)["maxp"].numGlyphs > 10000


def test_print_only_face_is_not_embedded_and_warned(tmp_path: Path) -> None:
    theme = tmp_path / "themes" / "square"
    theme.mkdir(parents=True)
    theme.joinpath("theme.toml").write_text('extends = "default"\n[fonts]\nheading = ["NanumSquare"]\n',
                                             encoding="utf-8")
    note = tmp_path / "n.md"
    note.write_text("## 제목\n\n본문\n", encoding="utf-8")
    r = build(note, tmp_path / "out", "--format", "pptx", "--theme", str(theme))
    assert r.returncode == 0, r.stderr
    assert re.search(r"n\.md: warning: font 'NanumSquare' bold .*fsType 4, preview & print.*read-only"
                     r".*\[font-not-embedded\]", r.stderr), r.stderr
    with zipfile.ZipFile(tmp_path / "out" / "n.pptx") as z:
        families = {f["family"] for f in embedded_fonts(z)}
    assert "NanumSquare" not in families and "NanumBarunGothic" in families


def test_config_turns_embedding_off_and_the_command_line_wins(tmp_path: Path) -> None:
    from deckgen.cli import main

    (tmp_path / "deckgen.toml").write_text('embed_fonts = "none"\n', encoding="utf-8")
    note = tmp_path / "n.md"
    note.write_text("## 제목\n\n본문 한 줄\n", encoding="utf-8")

    def fonts_in(out: str) -> list[str]:
        with zipfile.ZipFile(tmp_path / out / "n.pptx") as z:
            return [n for n in z.namelist() if n.startswith("ppt/fonts/")]

    assert main(["build", str(note), "-o", str(tmp_path / "a"), "--format", "pptx", "-q"]) == 0
    assert fonts_in("a") == []
    assert main(["build", str(note), "-o", str(tmp_path / "b"), "--format", "pptx", "-q",
                 "--embed-fonts", "subset"]) == 0
    assert len(fonts_in("b")) == 2      # title: heading bold; body: body regular
