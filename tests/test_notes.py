"""Speaker notes keep the text of every block type (issue 9: columns and math were dropped).

The fixture note's `::: notes` holds one block of each kind; its golden lists the notes pane's
paragraphs per slide.  A second table names one sample per model block type, so a block type
added to the model without a notes rule fails here (and in mypy, through assert_never).
"""
from __future__ import annotations

from typing import get_args

import pytest

from conftest import FIXTURES, assert_golden
from layout_helpers import lay_out
from deckgen.layout.notes import notes_text
from deckgen.model import (Block, BulletList, Callout, Cell, CodeBlock, Columns, Heading, Image, Instructor,
                           ListItem, Math, Paragraph, Quote, Rule, Span, SpeakerNotes, Table, TableOfContents)

NOTES = FIXTURES / "speaker-notes"


@pytest.mark.parametrize("note", sorted(NOTES.glob("*.md")), ids=lambda p: p.stem)
def test_notes_pane_golden(note) -> None:
    _, laid, _ = lay_out(note)
    got = [{"title": s.title, "notes": list(s.notes)} for s in laid.slides]
    assert_golden(note.with_suffix(".yaml"), got)


def _p(text: str) -> Paragraph:
    return Paragraph((Span(text),))


SAMPLES: dict[type, tuple[Block, list[str]]] = {
    Paragraph: (_p("문단"), ["문단"]),
    Heading: (Heading(3, (Span("소제목"),)), ["소제목"]),
    BulletList: (BulletList((ListItem((_p("항목"),)),), ordered=True, start=3), ["3. 항목"]),
    CodeBlock: (CodeBlock("a = 1\nb = 2", "python"), ["a = 1", "b = 2"]),
    Table: (Table((Cell((Span("키"),)),), ((Cell((Span("값"),)),),)), ["키", "값"]),
    Image: (Image("x.png", alt="그림"), ["[그림]"]),
    Quote: (Quote((_p("인용"),)), ["인용"]),
    Callout: (Callout("warning", (Span("주의"),), (_p("내용"),)), ["주의", "내용"]),
    Rule: (Rule(), []),
    SpeakerNotes: (SpeakerNotes((_p("속 노트"),)), ["속 노트"]),
    Instructor: (Instructor((_p("강사용 정답"),)), ["강사용 정답"]),
    TableOfContents: (TableOfContents(), []),
    Columns: (Columns(((_p("왼쪽"),), (_p("오른쪽"),))), ["왼쪽", "오른쪽"]),
    Math: (Math("a^2 + b^2"), ["a^2 + b^2"]),
}


def test_every_block_type_has_a_notes_sample() -> None:
    assert set(SAMPLES) == set(get_args(Block))


@pytest.mark.parametrize("kind", list(SAMPLES), ids=lambda t: t.__name__)
def test_notes_keep_each_block_type(kind: type) -> None:
    block, expected = SAMPLES[kind]
    assert notes_text((block,)) == expected


def test_rendered_formula_keeps_its_tex() -> None:
    """After the render stage a formula is an Image of kind 'math' whose alt is its TeX."""
    assert notes_text((Image("math", "x_1 + x_2", "/cache/f.svg", kind="math"),)) == ["x_1 + x_2"]
