"""Notes that are already decks (Marp, pandoc) keep their own structure."""
from __future__ import annotations

from pathlib import Path

from deckgen.diagnostics import Diagnostics
from deckgen.layout.geometry import EMU_PER_PT, TextFrame
from deckgen.model import Columns, plain_text
from deckgen.read.parse import parse_note
from deckgen.layout.slides import split_slides

from conftest import FIXTURES
from layout_helpers import lay_out

DECKS = FIXTURES / "decks"


def deck_of(name: str):
    diags = Diagnostics()
    doc = parse_note(DECKS / name, diags)
    return doc, split_slides(doc), diags


def test_marp_separators_titles_and_presenter_notes() -> None:
    doc, deck, diags = deck_of("marp.md")
    assert doc.dialect == "marp"
    kinds = [(s.kind, plain_text(s.title)) for s in deck.slides]
    assert kinds == [("title", "리눅스 입문"), ("content", "오늘 배울 것"), ("content", "실습")]
    assert deck.meta.subtitle == "셸과 친해지기"
    notes = [plain_text(p.spans) for s in deck.slides for p in s.notes]
    assert notes[0] == "첫 슬라이드에서는 자기소개를 한다."
    assert "시작 메뉴에서 검색하도록 안내한다." in notes[1]
    # directives and <style scoped> are consumed, never shown, and are not warnings
    assert not [d for d in diags.items if d.severity == "warning" and d.code != "image-missing"]


def test_marp_heading_divider(tmp_path: Path) -> None:
    note = tmp_path / "d.md"
    note.write_text("---\nmarp: true\nheadingDivider: 2\n---\n# 표지\n\n## 하나\n\n가\n\n## 둘\n\n나\n",
                    encoding="utf-8")
    deck = split_slides(parse_note(note, Diagnostics()))
    assert [plain_text(s.title) for s in deck.slides] == ["표지", "하나", "둘"]


def test_marp_background_options_do_not_leak() -> None:
    _, laid, _ = lay_out(DECKS / "marp.md")
    text = " ".join("".join(r.text for r in p.runs) for s in laid.slides for sh in s.shapes
                    if isinstance(sh, TextFrame) for p in sh.paras)
    for leak in ("bg left", "left:40%", "_class", "paginate", "scoped", "color: red"):
        assert leak not in text


def test_pandoc_title_block_columns_and_pauses() -> None:
    doc, deck, diags = deck_of("pandoc.md")
    assert doc.dialect == "pandoc"
    assert (deck.meta.title, deck.meta.author, deck.meta.date) == ("컨테이너 기초", "김하늘, 이바다", "2026-03-10")
    assert [(s.kind, plain_text(s.title)) for s in deck.slides] == [
        ("title", "컨테이너 기초"), ("section", "도커"), ("content", "이미지와 컨테이너")]
    cols = [b for b in deck.slides[2].blocks if isinstance(b, Columns)]
    assert len(cols) == 1 and len(cols[0].columns) == 2
    assert "pause" in {d.code for d in diags.items}


def test_pandoc_columns_are_laid_side_by_side() -> None:
    _, laid, _ = lay_out(DECKS / "pandoc.md")
    slide = laid.slides[2]
    body = [sh for i, sh in enumerate(slide.shapes) if i != slide.title_shape]
    bullets = next(sh for sh in body if isinstance(sh, TextFrame) and sh.role == "body")
    code = next(sh for sh in body if isinstance(sh, TextFrame) and sh.role == "code")
    assert bullets.x + bullets.w <= code.x and abs(bullets.y - code.y) < EMU_PER_PT * 20
