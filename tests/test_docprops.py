"""The deck's document properties tell the truth: the note's metadata, the build time, deckgen,
the real slide count and format (python-pptx's template said Steve Canny, 2013, 0 slides, 4:3)."""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from conftest import FIXTURES
from deckgen.backends.pptx.docprops import CORE_TEXT_MAX, build_time, clip, keywords, presentation_format
from deckgen.pipeline import BuildOptions, build_one

EPOCH = 1767225600   # 2026-01-01T00:00:00Z


def _props(note: Path, out: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, str, int]:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    deck = out / "deck.pptx"
    result = build_one(note, {"pptx": deck}, BuildOptions())
    assert not result.failed
    with zipfile.ZipFile(deck) as z:
        core, app = z.read("docProps/core.xml").decode(), z.read("docProps/app.xml").decode()
        slides = sum(1 for n in z.namelist() if re.fullmatch(r"ppt/slides/slide\d+\.xml", n))
        assert "docProps/thumbnail.jpeg" not in z.namelist() and "thumbnail" not in z.read("_rels/.rels").decode()
    return core, app, slides


def _tag(xml: str, tag: str) -> str:
    m = re.search(rf"<{tag}(?: [^>]*)?>(.*?)</{tag}>", xml, re.S)
    return m.group(1) if m else ""


def test_fixture_deck_has_truthful_properties(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    core, app, slides = _props(FIXTURES / "notes" / "jekyll-virtualization.md", tmp_path, monkeypatch)
    assert {t: _tag(core, t) for t in ("dc:title", "cp:keywords", "dc:creator", "dc:subject", "dc:description",
                                       "cp:lastModifiedBy", "dcterms:created", "dcterms:modified",
                                       "dc:language")} == {
        "dc:title": "[CJOliveNetworks] 가상화 (Virtualization).", "cp:keywords": "Cloud-Wave-Virtualization",
        "dc:creator": "", "dc:subject": "", "dc:description": "", "cp:lastModifiedBy": "deckgen",
        "dcterms:created": "2026-01-01T00:00:00Z", "dcterms:modified": "2026-01-01T00:00:00Z",
        "dc:language": "ko-KR"}
    for lie in ("Steve Canny", "2013-", "python-pptx"):
        assert lie not in core + app
    assert slides > 3
    assert {t: _tag(app, t) for t in ("Application", "PresentationFormat", "Slides")} == {
        "Application": "deckgen", "PresentationFormat": "On-screen Show (16:9)", "Slides": str(slides)}


def test_long_title_and_many_tags_are_cut_safely(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tags = [f"태그{i:03d}" for i in range(80)]
    note = tmp_path / "long.md"
    note.write_text(f'---\ntitle: "{"가" * 300}"\nsubtitle: "부제목"\nauthor: "김하늘"\n'
                    f"tags: [{', '.join(tags)}]\n---\n\n## 슬라이드\n\n본문\n", encoding="utf-8")
    core, app, slides = _props(note, tmp_path, monkeypatch)
    title, kw = _tag(core, "dc:title"), _tag(core, "cp:keywords")
    assert len(title) == CORE_TEXT_MAX and title.endswith("…")
    assert len(kw) <= CORE_TEXT_MAX and kw.split(", ") == tags[: len(kw.split(", "))] and len(kw) > 200
    assert (_tag(core, "dc:subject"), _tag(core, "dc:creator")) == ("부제목", "김하늘")
    assert _tag(app, "Slides") == str(slides)


@pytest.mark.parametrize("size, name", [((12192000, 6858000), "On-screen Show (16:9)"),
                                        ((9144000, 6858000), "On-screen Show (4:3)"),
                                        ((9144000, 5715000), "On-screen Show (16:10)"),
                                        ((7560000, 10692000), "Custom")])
def test_presentation_format_follows_the_slide_size(size: tuple[int, int], name: str) -> None:
    assert presentation_format(*size) == name


def test_build_time_reads_source_date_epoch() -> None:
    assert build_time({"SOURCE_DATE_EPOCH": "0"}).isoformat() == "1970-01-01T00:00:00"
    assert build_time({"SOURCE_DATE_EPOCH": "soon"}).year >= 2024      # not a number: the build time


def test_clip_and_keywords() -> None:
    assert clip("짧은 제목") == "짧은 제목" and len(clip("x" * 999)) == CORE_TEXT_MAX
    assert keywords(("a", "b"), limit=4) == "a, b" and keywords(("a", "bb"), limit=4) == "a"
    assert keywords(("x" * 300,)) == "x" * 254 + "…"


def test_source_date_epoch_makes_builds_byte_identical(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    note = FIXTURES / "notes" / "jekyll-virtualization.md"
    decks = [tmp_path / "a.pptx", tmp_path / "b.pptx"]
    for deck in decks:
        assert not build_one(note, {"pptx": deck}, BuildOptions()).failed
    assert decks[0].read_bytes() == decks[1].read_bytes()
    with zipfile.ZipFile(decks[0]) as z:
        assert {i.date_time for i in z.infolist()} == {(2026, 1, 1, 0, 0, 0)}
