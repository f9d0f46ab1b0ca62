"""Decks built on real templates nobody here wrote (pandoc's reference.pptx, LibreOffice's
Impress templates saved as PPTX, one of them 4:3): the template's size, colours and layouts
are kept, titles sit in title placeholders, Korean faces are named, and LibreOffice draws
the words inside their shapes."""
from __future__ import annotations

import collections
import shutil
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from pptx import Presentation

from conftest import FIXTURES, build, need, run
from layout_helpers import WORD
from test_real_client import TOL, rendered_pages, shape_boxes

from deckgen.theme.fonts import has_hangul, resolve_family
from deckgen.theme.template import read_template
from deckgen.theme.template_roles import choose_roles
from deckgen.theme.template_safety import TemplateError, read_xml
from deckgen.theme.templates import check_pptx_zip

TEMPLATES = FIXTURES / "templates"
NOTE = FIXTURES / "notes" / "jekyll-virtualization.md"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"

# file -> (slide size in pt, layout per role, roles that fall back)
EXPECTED = {
    "pandoc-reference.pptx": ((720.0, 405.0), {"title": "Title Slide", "section": "Section Header",
                                               "content": "Title and Content", "two": "Two Content"}, set()),
    "lo-nature-illustration-4x3.pptx": ((793.75, 595.25), {"title": "Title Slide", "content": "Title, Content",
                                                          "two": "Title, 2 Content"}, {"section"}),
    "lo-sunset.pptx": ((793.75, 446.5), {"title": "Title Slide", "content": "Title, Content"}, {"section"}),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_template_is_read_into_sizes_and_roles(name) -> None:
    size, roles, fallbacks = EXPECTED[name]
    tpl = read_template(TEMPLATES / name)
    assert (round(tpl.width, 2), round(tpl.height, 2)) == size
    chosen = choose_roles(tpl)
    assert {r: chosen[r].layout.name for r in roles} == roles
    assert {r for r in ("title", "section", "content") if chosen[r].how.startswith("fallback")} == fallbacks
    content = chosen["content"].layout
    assert content.title.box and content.bodies[0].box and content.bodies[0].size


@pytest.mark.parametrize("name,title,body,paragraph_before", [
    ("pandoc-reference.pptx", 33, 24, 0.24),               # bodyStyle: spcBef 20 % of a line
    ("lo-nature-illustration-4x3.pptx", 44, 32, 0.443),    # LibreOffice: sizes in runs, spcAft 14.17 pt
])
def test_template_text_sizes_and_spacing_are_measured(name, title, body, paragraph_before) -> None:
    from deckgen.pipeline import cached_theme
    theme, _ = cached_theme("default", str(TEMPLATES / name))
    assert (theme.sizes.title, theme.sizes.body) == (title, body)
    assert theme.spacing.paragraph_before == paragraph_before
    assert theme.sizes.body_min <= body and theme.sizes.title_min <= title


def test_a_dark_template_keeps_light_text() -> None:
    from deckgen.pipeline import cached_theme
    theme, _ = cached_theme("default", str(TEMPLATES / "lo-sunset.pptx"))
    assert theme.colors.text == "FFFFFF" and theme.colors.background != "FFFFFF"
    assert theme.slide_w == 793.75 and theme.boxes.body.w < 793.75


# ---------------------------------------------------------------------------- safety
def _zip(path: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return path


def test_unsafe_templates_are_refused(tmp_path) -> None:
    pres = b'<?xml version="1.0"?><p:presentation xmlns:p="x"/>'
    many = _zip(tmp_path / "many.pptx", {"ppt/presentation.xml": pres,
                                         **{f"ppt/x{i}.xml": b"<a/>" for i in range(3001)}})
    bomb = _zip(tmp_path / "bomb.pptx", {"ppt/presentation.xml": pres, "ppt/big.xml": b"0" * (8 * 2**20)})
    dtd = _zip(tmp_path / "dtd.pptx", {"ppt/presentation.xml": b'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY e '
                                       b'"x">]><p>&e;</p>'})
    (tmp_path / "text.pptx").write_text("not a zip")
    for bad, why in ((many, "over the limit"), (bomb, "zip bomb"), (tmp_path / "text.pptx", "not a valid .pptx")):
        with pytest.raises(TemplateError, match=why):
            check_pptx_zip(bad)
    with pytest.raises(TemplateError, match="DTD"):
        check_pptx_zip(dtd)
    with zipfile.ZipFile(dtd) as z, pytest.raises(TemplateError, match="DTD"):
        read_xml(z, "ppt/presentation.xml")          # the parser refuses it on its own too


def test_config_template_must_be_inside_the_project(tmp_path) -> None:
    from deckgen.course.config import ConfigError, load_config
    project = tmp_path / "course"
    project.mkdir()
    shutil.copy(TEMPLATES / "pandoc-reference.pptx", tmp_path / "outside.pptx")
    (project / "deckgen.toml").write_text('template = "../outside.pptx"\n')
    with pytest.raises(ConfigError, match="outside the project"):
        load_config(project / "deckgen.toml")
    shutil.copy(TEMPLATES / "pandoc-reference.pptx", project / "school.pptx")
    (project / "deckgen.toml").write_text('template = "school.pptx"\n')
    assert load_config(project / "deckgen.toml").template == str((project / "school.pptx").resolve())


def test_missing_template_is_a_usage_error(tmp_path) -> None:
    r = build(NOTE, tmp_path, "--template", str(tmp_path / "nope.pptx"))
    assert r.returncode == 2 and "nope.pptx: no such template file" in r.stderr


def test_theme_folder_template_and_font_fallback_warning(tmp_path) -> None:
    """template.pptx in a theme folder is used; its East Asian face 'Malgun Gothic' is not installed
    here, so the deck is measured with a named fallback face and still names a Korean a:ea."""
    theme = tmp_path / "themes" / "school"
    theme.mkdir(parents=True)
    (theme / "theme.toml").write_text('extends = "default"\nname = "school"\n')
    src = TEMPLATES / "pandoc-reference.pptx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(theme / "template.pptx", "w") as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename == "ppt/theme/theme1.xml":
                data = data.replace(b'<a:ea typeface=""/>', b'<a:ea typeface="Malgun Gothic"/>')
            zout.writestr(item, data)
    r = build(NOTE, tmp_path / "out", "--theme", str(theme), "--format", "pptx")
    assert r.returncode == 0, r.stderr
    assert "'Malgun Gothic' (heading, East Asian)" in r.stderr and "[template-font]" in r.stderr
    deck = tmp_path / "out" / "jekyll-virtualization.pptx"
    assert Presentation(str(deck)).slide_width == 720 * 12700
    with zipfile.ZipFile(deck) as z:
        theme_xml = etree.fromstring(z.read("ppt/theme/theme1.xml"))
    ea = theme_xml.find(f".//{A}majorFont/{A}ea").get("typeface")
    assert ea != "Malgun Gothic" and _korean(ea)


def _korean(family: str) -> bool:
    """An installed face (not fontconfig's stand-in for a missing one) that draws Hangul."""
    face = resolve_family([family], [], role="body")
    return not face.fallback_note and has_hangul(face.regular.path, face.regular.index)


# ------------------------------------------------------------------ built decks
@pytest.fixture(scope="module")
def built(tmp_path_factory):
    need("soffice", "pdftotext")
    out = tmp_path_factory.mktemp("templates")
    decks = []
    for name in sorted(EXPECTED):
        folder = out / f"build-{Path(name).stem}"
        r = build(NOTE, folder, "--format", "pptx", "--template", str(TEMPLATES / name))
        assert r.returncode == 0, r.stderr
        assert "[template-layouts]" not in r.stderr        # info: shown with -v only
        deck = folder / f"{NOTE.stem}.pptx"
        decks.append((name, shutil.copy(deck, out / f"{Path(name).stem}.pptx")))
    profile = (out / "lo-profile").as_uri()
    r = run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
             "--outdir", str(out), *(str(d) for _, d in decks)])
    assert r.returncode == 0, r.stderr
    return [(name, Path(d), Path(d).with_suffix(".pdf")) for name, d in decks]


def _part(path: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read(name))


def _scheme(path: Path) -> bytes:
    return etree.tostring(_part(path, "ppt/theme/theme1.xml").find(f".//{A}clrScheme"), method="c14n")


def test_deck_keeps_size_colours_and_only_template_layouts(built) -> None:
    for name, deck, _ in built:
        tpl, prs = Presentation(str(TEMPLATES / name)), Presentation(str(deck))
        assert (prs.slide_width, prs.slide_height) == (tpl.slide_width, tpl.slide_height), name
        assert _scheme(deck) == _scheme(TEMPLATES / name), name
        names = [layout.name for m in tpl.slide_masters for layout in m.slide_layouts]
        assert sorted(layout.name for m in prs.slide_masters for layout in m.slide_layouts) == sorted(names), name
        assert all(s.slide_layout.name in names for s in prs.slides), name
        assert len(prs.slides) > 5


def test_every_title_is_in_a_title_placeholder_with_korean_faces(built) -> None:
    for name, deck, _ in built:
        prs = Presentation(str(deck))
        for n, slide in enumerate(prs.slides, 1):
            title = slide.shapes.title
            assert title is not None and title.text_frame.text.strip(), f"{name} slide {n}"
            assert title.placeholder_format.type is not None
        with zipfile.ZipFile(deck) as z:                    # slides, masters, layouts, themes, notes
            eas = {ea.get("typeface") for n in z.namelist() if n.endswith(".xml")
                   for ea in etree.fromstring(z.read(n)).iter(f"{A}ea")} - {"+mj-ea", "+mn-ea"}
        assert eas and all(_korean(f) for f in eas), (name, eas)
        numbers = [sh.text_frame.text for s in prs.slides for sh in s.placeholders
                   if sh.placeholder_format.type is not None and "SLIDE_NUMBER" in str(sh.placeholder_format.type)]
        if name != "pandoc-reference.pptx" or numbers:
            assert numbers[:3] == ["1", "2", "3"], (name, numbers[:3])


def test_libreoffice_shows_the_words_inside_their_shapes(built) -> None:
    for name, deck, pdf in built:
        prs = Presentation(str(deck))
        pages = rendered_pages(pdf)
        assert len(pages) == len(prs.slides), name
        want_total, lost_total, outside = 0, 0, []
        for n, (slide, words) in enumerate(zip(prs.slides, pages), 1):
            boxes = shape_boxes(slide)
            want = sum((ws for _, ws in boxes), collections.Counter())
            got = collections.Counter(w for *_, t in words for w in WORD.findall(t))
            want_total += sum(want.values())
            lost_total += sum((want - got).values())
            for x0, y0, x1, y1, text in words:
                for w in WORD.findall(text):
                    owners = [b for b, ws in boxes if w in ws] or [b for b, _ in boxes]
                    if not any(b[0] - TOL <= x0 and x1 <= b[2] + TOL and b[1] - TOL <= y0 and y1 <= b[3] + TOL
                               for b in owners):
                        outside.append(f"slide {n}: {w!r}")
        assert lost_total <= 0.02 * want_total, f"{name}: {lost_total} of {want_total} words not drawn"
        assert not outside, f"{name}: words outside their shapes: {outside[:8]}"


def test_a_potx_template_builds_a_pptx(tmp_path) -> None:
    """PowerPoint saves templates as .potx (another main content type); the deck is a .pptx."""
    potx = tmp_path / "school.potx"
    with zipfile.ZipFile(TEMPLATES / "pandoc-reference.pptx") as zin, zipfile.ZipFile(potx, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"presentationml.presentation.main+xml", b"presentationml.template.main+xml")
                assert b"template.main" in data
            zout.writestr(item, data)
    r = build(NOTE, tmp_path / "out", "--format", "pptx", "--template", str(potx))
    assert r.returncode == 0, r.stderr
    prs = Presentation(str(tmp_path / "out" / f"{NOTE.stem}.pptx"))
    assert prs.slide_width == 720 * 12700 and len(prs.slides) > 5


def test_sections_naming_the_dropped_example_slides_are_dropped(tmp_path) -> None:
    section = (b'<p:ext uri="{521415D9-36F7-43E2-AB2F-B90AF26B5E84}"><p14:sectionLst xmlns:p14="http://schemas.'
               b'microsoft.com/office/powerpoint/2010/main"><p14:section name="Intro" id="{2B5A3E41-6E4C-4A55-9C1E-'
               b'1F0A6B1D2C3E}"><p14:sldIdLst><p14:sldId id="256"/></p14:sldIdLst></p14:section></p14:sectionLst>'
               b'</p:ext>')
    tpl = tmp_path / "sections.pptx"
    with zipfile.ZipFile(TEMPLATES / "pandoc-reference.pptx") as zin, zipfile.ZipFile(tpl, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename == "ppt/presentation.xml":
                data = data.replace(b"<p:extLst>", b"<p:extLst>" + section, 1)
                assert b"sectionLst" in data
            zout.writestr(item, data)
    r = build(NOTE, tmp_path / "out", "--format", "pptx", "--template", str(tpl))
    assert r.returncode == 0, r.stderr
    with zipfile.ZipFile(tmp_path / "out" / f"{NOTE.stem}.pptx") as z:
        pres = z.read("ppt/presentation.xml")
    assert b"sectionLst" not in pres and b"<p:sldIdLst>" in pres


def test_doctor_shows_the_project_template_and_its_fallbacks(tmp_path) -> None:
    import sys
    from conftest import ROOT
    shutil.copy(TEMPLATES / "lo-sunset.pptx", tmp_path / "school.pptx")
    (tmp_path / "deckgen.toml").write_text('template = "school.pptx"\n')
    r = run([sys.executable, "-m", "deckgen", "doctor", str(tmp_path)], cwd=ROOT)
    rows = [line.split(None, 2) for line in r.stdout.splitlines()]
    template = [row for row in rows if row and row[0] == "template" and row[1] == "ok"]
    assert template and "content -> 'Title, Content'" in template[0][2], r.stdout
    assert any(row[:2] == ["template", "layout"] and "no 'section' layout" in row[2] for row in rows if len(row) > 2)
    assert r.returncode == 0, r.stdout


def test_layouts_are_chosen_by_placeholder_types_whatever_their_names(tmp_path) -> None:
    """A Korean PowerPoint names its layouts in Korean ("제목 슬라이드", ...): the roles are still found."""
    korean = {b"Title Slide": "제목 슬라이드", b"Title and Content": "제목 및 내용", b"Section Header": "구역 머리글",
              b"Two Content": "콘텐츠 2개", b"Title Only": "제목만", b"Blank": "빈 화면"}
    tpl = tmp_path / "korean.pptx"
    with zipfile.ZipFile(TEMPLATES / "pandoc-reference.pptx") as zin, zipfile.ZipFile(tpl, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename.startswith("ppt/slideLayouts/slideLayout"):
                for en, ko in korean.items():
                    data = data.replace(b'<p:cSld name="' + en + b'"', b'<p:cSld name="' + ko.encode() + b'"')
            zout.writestr(item, data)
    chosen = choose_roles(read_template(tpl))
    assert {r: (c.layout.name, c.how) for r, c in chosen.items()} == {
        "title": ("제목 슬라이드", "types"), "section": ("구역 머리글", "types"), "content": ("제목 및 내용", "types"),
        "two": ("콘텐츠 2개", "types"), "title_only": ("제목만", "types"), "blank": ("빈 화면", "types")}
