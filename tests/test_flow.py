"""Every model block type has a rule in the layout flow (flow.flatten): one sample per type, with the
item variants it must become.  A block type added to the model without a sample fails here."""
from __future__ import annotations

import pytest

from deckgen.layout.flow import (CodeItem, ColumnsItem, ImageItem, Item, TableItem, TextItem, flatten)
from deckgen.model import (BLOCK_TYPES, Block, BulletList, Callout, Cell, CodeBlock, Columns, Heading, Image, ListItem,
                           Instructor, Math, Paragraph, Quote, Rule, Span, SpeakerNotes, Table, TableOfContents)


def _p(text: str) -> Paragraph:
    return Paragraph((Span(text),))


SAMPLES: dict[type, tuple[Block, list[tuple[type, str]]]] = {
    Paragraph: (_p("문단"), [(TextItem, "para")]),
    Heading: (Heading(3, (Span("소제목"),)), [(TextItem, "subheading")]),
    BulletList: (BulletList((ListItem((_p("항목"), _p("덧붙임"))),)), [(TextItem, "bullet"), (TextItem, "para")]),
    CodeBlock: (CodeBlock("a = 1", "python"), [(CodeItem, "python")]),
    Math: (Math("a^2"), [(CodeItem, "latex")]),
    Table: (Table((Cell((Span("키"),)),), ()), [(TableItem, "")]),
    Image: (Image("x.png", alt="그림"), [(ImageItem, "")]),
    Quote: (Quote((_p("인용"),)), [(TextItem, "para")]),
    Callout: (Callout("warning", (Span("주의"),), (_p("내용"),)), [(TextItem, "box-title"), (TextItem, "para")]),
    Columns: (Columns(((_p("왼쪽"),), (_p("오른쪽"),))), [(ColumnsItem, "")]),
    Rule: (Rule(), []),
    SpeakerNotes: (SpeakerNotes((_p("노트"),)), []),
    Instructor: (Instructor((_p("강사용"),)), []),          # the notes pane's, never a slide's
    TableOfContents: (TableOfContents(), []),
}


def _shape(it: Item) -> tuple[type, str]:
    if isinstance(it, TextItem):
        return TextItem, it.style
    if isinstance(it, CodeItem):
        return CodeItem, it.language
    return type(it), ""


def test_every_block_type_has_a_flow_sample() -> None:
    assert set(SAMPLES) == set(BLOCK_TYPES)


@pytest.mark.parametrize("kind", list(SAMPLES), ids=lambda t: t.__name__)
def test_flow_items_per_block_type(kind: type) -> None:
    block, expected = SAMPLES[kind]
    assert [_shape(it) for it in flatten((block,))] == expected


def test_flow_marks_what_stays_with_the_next_item() -> None:
    """A bullet with text under it, a sub-heading and a line ending in ':' keep with what follows."""
    items = flatten((Heading(3, (Span("절"),)), _p("다음과 같다:"), BulletList((ListItem((_p("a"), _p("b"))),))))
    assert [it.keep_with_next for it in items] == [True, True, True, False]
    assert items[3].parent is not None and items[3].parent.spans == items[2].spans


def test_quote_and_callout_items_share_their_box() -> None:
    items = flatten((Callout("note", (Span("제목"),), (_p("가"), _p("나"))), Quote((_p("다"),))))
    boxes = [it.box for it in items]
    assert all(b is not None for b in boxes)
    assert boxes[0] == boxes[1] == boxes[2] != boxes[3]
    assert [b.kind for b in boxes if b] == ["callout"] * 3 + ["quote"]
