"""Flatten a slide's blocks into a flow of layout items.

Layout works on a flat list: one item per paragraph, bullet, code block,
table or image, each knowing its list level, the box it sits in (quote or
callout), its parent bullet (to repeat on a continuation slide) and whether
it must stay with the next item.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from deckgen.model import (Block, BulletList, Callout, CodeBlock, Columns, Heading, Image, ListItem, Math, Paragraph,
                    Quote, Rule, SourceSpan, Span, SpeakerNotes, Table, TableOfContents, plain_text)

BULLETS = ("•", "–", "◦", "·", "•")
CHECKED, UNCHECKED = "▣", "□"   # both in the Nanum faces (☑ is not)

_box_ids = itertools.count(1)


@dataclass(frozen=True, slots=True)
class BoxRef:
    """The container an item sits in."""

    kind: str
    """'quote' or 'callout'."""
    style: str = ""
    """Callout style name (note, warning, ...)."""
    id: int = 0


@dataclass(eq=False)
class Item:
    kind: str
    """'text' | 'code' | 'table' | 'image' | 'columns'."""
    source: SourceSpan
    level: int = 0
    """List depth (0 = not in a list, 1 = top-level bullet...)."""
    box: BoxRef | None = None
    spans: tuple[Span, ...] = ()
    style: str = "para"
    """Text items: 'para' | 'bullet' | 'subheading' | 'box-title' | 'caption'."""
    bullet: str | None = None
    align: str | None = None
    keep_with_next: bool = False
    parent: "Item | None" = None
    """The bullet this item belongs under (continuation slides repeat it, dimmed)."""
    code: str = ""
    language: str = ""
    table: Table | None = None
    image: Image | None = None
    extra: dict = field(default_factory=dict)


def flatten(blocks: tuple[Block, ...]) -> list[Item]:
    out: list[Item] = []
    _blocks(blocks, out, level=0, box=None, parent=None)
    for a, b in zip(out, out[1:]):
        if a.kind == "text" and a.style in ("subheading", "box-title"):
            a.keep_with_next = True
        elif a.kind == "text" and plain_text(a.spans).rstrip().endswith(":"):
            a.keep_with_next = True
        elif b.parent is a:
            a.keep_with_next = True
    return out


def _blocks(blocks, out: list[Item], *, level: int, box: BoxRef | None, parent: Item | None) -> None:
    for b in blocks:
        _block(b, out, level=level, box=box, parent=parent)


def _block(b: Block, out: list[Item], *, level: int, box: BoxRef | None, parent: Item | None) -> None:
    if isinstance(b, Paragraph):
        out.append(Item("text", b.source, level, box, b.spans, "para", align=b.align, parent=parent))
    elif isinstance(b, Heading):
        out.append(Item("text", b.source, level, box, b.spans, "subheading", parent=parent))
    elif isinstance(b, BulletList):
        for n, item in enumerate(b.items):
            _list_item(item, b, n, out, level=level + 1, box=box, parent=parent)
    elif isinstance(b, CodeBlock):
        out.append(Item("code", b.source, level, box, code=b.code, language=b.language, parent=parent))
    elif isinstance(b, Math):      # not rendered (no render stage ran): its source, as code
        out.append(Item("code", b.source, level, box, code=b.tex, language="latex", parent=parent))
    elif isinstance(b, Table):
        out.append(Item("table", b.source, level, box, table=b, parent=parent))
    elif isinstance(b, Image):
        out.append(Item("image", b.source, level, box, image=b, parent=parent, align=b.align))
    elif isinstance(b, Quote):
        _blocks(b.blocks, out, level=level, box=BoxRef("quote", "", next(_box_ids)), parent=parent)
    elif isinstance(b, Callout):
        ref = BoxRef("callout", b.kind, next(_box_ids))
        if b.title:
            out.append(Item("text", b.source, level, ref, b.title, "box-title", parent=parent))
        _blocks(b.blocks, out, level=level, box=ref, parent=parent)
    elif isinstance(b, Columns):
        cols = []
        for col in b.columns:
            inner: list[Item] = []
            _blocks(col, inner, level=0, box=None, parent=None)
            cols.append(inner)
        out.append(Item("columns", b.source, level, box, parent=parent, extra={"columns": cols}))
    elif isinstance(b, (Rule, SpeakerNotes, TableOfContents)):
        return


def _list_item(item: ListItem, lst: BulletList, n: int, out: list[Item], *, level: int,
               box: BoxRef | None, parent: Item | None) -> None:
    if item.checked is not None:
        marker = CHECKED if item.checked else UNCHECKED
    elif lst.ordered:
        marker = f"{lst.start + n}."
    else:
        marker = BULLETS[(level - 1) % len(BULLETS)]
    blocks = list(item.blocks)
    if not blocks:
        return    # an empty item draws nothing on a slide (the handout keeps its checkbox)
    if isinstance(blocks[0], Paragraph):
        first = blocks.pop(0)
        head = Item("text", first.source, level, box, first.spans, "bullet", marker, first.align, parent=parent)
    else:
        head = Item("text", item.source, level, box, (), "bullet", marker, parent=parent)
    out.append(head)
    for b in blocks:
        if isinstance(b, Paragraph):
            out.append(Item("text", b.source, level, box, b.spans, "para", align=b.align, parent=head,
                            extra={"under_bullet": True}))
        else:
            _block(b, out, level=level, box=box, parent=head)
