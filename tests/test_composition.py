"""Composition of slides (issue 14): no slide is left less than a quarter full before its own
continuation, and a picture yields before a table is split.

Adversarial notes in tests/fixtures/composition (a sentence before a long table, code, callout or
quote; a short list before a long one; a picture over tables of 4 to 12 rows; a paragraph before a
tall diagram; nested lists; mixed Korean and English) with their expectations in expected.yaml;
the same fill rule is checked on every other fixture note, the sample content and generated notes.
"""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES, ROOT
from deckgen.layout.geometry import TableFrame
from layout_helpers import fills_before_continuations, lay_out_drawn, page_fill
from test_layout import check_invariants, note_words

HERE = FIXTURES / "composition"
EXPECTED = yaml.safe_load((HERE / "expected.yaml").read_text(encoding="utf-8"))
ADVERSARIAL = sorted(HERE.glob("*.md"))
# the real-notes corpus has its own fill check on the built decks (test_realnotes)
OTHERS = sorted(p for p in FIXTURES.rglob("*.md")
                if p.parent != HERE and "realnotes" not in p.parts) + sorted((ROOT / "content").glob("*.md"))


@pytest.fixture(scope="module")
def figures(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("figures")


def _under_filled(laid, theme) -> list[str]:
    return [f"slide {f.index + 1} '{f.title}' {f.part}/{f.parts}: {f.fill:.0%} ({' '.join(f.shapes)})"
            for f in fills_before_continuations(laid, theme) if f.fill < EXPECTED["min_fill"]]


@pytest.mark.parametrize("note", ADVERSARIAL, ids=[p.stem for p in ADVERSARIAL])
def test_adversarial_notes_fill_their_slides_and_lose_nothing(note: Path, figures: Path, theme) -> None:
    _, laid, diags = lay_out_drawn(note, figures)
    assert _under_filled(laid, theme) == []
    check_invariants(laid, theme, note_words(note))
    assert not [d for d in diags.items if d.code == "overflow"]


def test_every_other_note_fills_its_slides_before_a_continuation(figures: Path, theme) -> None:
    under = {p.name: u for p in OTHERS if (u := _under_filled(lay_out_drawn(p, figures)[1], theme))}
    assert under == {}


@pytest.mark.parametrize("size,seed", [(30, s) for s in range(1, 7)] + [(100, 3), (100, 11)])
def test_generated_notes_fill_their_slides_before_a_continuation(tmp_path, figures, theme, size, seed) -> None:
    """Generated notes hold no pictures: every part of a split slide, the continuations too, is a
    quarter full (balanced pagination; a rule that kept balancing from cutting once left 22 %)."""
    from notegen import make_note
    note = tmp_path / f"gen-{size}-{seed}.md"
    note.write_text(make_note(size, seed=seed), encoding="utf-8")
    _, laid, _ = lay_out_drawn(note, figures)
    assert _under_filled(laid, theme) == []
    parts = [page_fill(laid, i, theme) for i, s in enumerate(laid.slides) if s.parts > 1]
    assert [f for f in parts if f.fill < EXPECTED["min_fill"]] == []


def _slides(note: str, figures: Path):
    _, laid, _ = lay_out_drawn(HERE / note, figures)
    return laid.slides


@pytest.mark.parametrize("note", sorted(EXPECTED["whole_tables"]))
def test_a_picture_yields_before_a_table_is_split(note: str, figures: Path) -> None:
    slides = _slides(note, figures)
    for title in EXPECTED["whole_tables"][note]:
        tables = [sh for s in slides if s.title == title for sh in s.shapes if isinstance(sh, TableFrame)]
        assert len(tables) == 1, f"{title}: the table is cut into {len(tables)} parts"


@pytest.mark.parametrize("note", sorted(EXPECTED["one_slide"]))
def test_short_text_and_its_picture_share_one_slide(note: str, figures: Path) -> None:
    slides = _slides(note, figures)
    for title in EXPECTED["one_slide"][note]:
        parts = [s for s in slides if s.title == title]
        assert len(parts) == 1, f"{title}: {len(parts)} slides"
