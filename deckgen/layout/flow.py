"""Flatten a slide's blocks into a flow of layout items.

Layout works on a flat list: one item per paragraph, bullet, code block,
table or image, each knowing its list level, the box it sits in (quote or
callout), its parent bullet (to repeat on a continuation slide) and whether
it must stay with the next item. A paragraph holding a formula text runs cannot
show (`Span.math_picture`) becomes its pieces: text, the formula as a picture
sized in ems, text, kept together.
"""
from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Literal, assert_never

from deckgen.model import (Block, BulletList, Callout, CodeBlock, Columns, Heading, Image, ListItem, Math, Paragraph,
                    Instructor, Quote, Rule, SourceSpan, Span, SpeakerNotes, Table, TableOfContents, plain_text)

BULLETS = ("•", "–", "◦", "·", "•")
CHECKED, UNCHECKED = "▣", "□"   # both in the Nanum faces (☑ is not)

_box_ids = itertools.count(1)

BoxKind = Literal["quote", "callout"]
TextStyle = Literal["para", "bullet", "subheading", "box-title"]
"""A paragraph's role in the flow: it decides its size, weight, colour and what it keeps with."""


@dataclass(frozen=True, slots=True)
class BoxRef:
    """The container an item sits in."""

    kind: BoxKind
    style: str = ""
    """Callout style name (note, warning, ...)."""
    id: int = 0


@dataclass(frozen=True, eq=False, kw_only=True)
class _Placed:
    """Where an item sits: fields every item variant has (compared by identity: parents are referenced)."""

    source: SourceSpan
    level: int = 0
    """List depth (0 = not in a list, 1 = top-level bullet...)."""
    box: BoxRef | None = None
    parent: TextItem | None = None
    """The bullet this item belongs under (continuation slides repeat it, dimmed).  It is the
    bullet as first built: flatten() returns a copy with keep_with_next set, so compare by value."""
    keep_with_next: bool = False


@dataclass(frozen=True, eq=False, kw_only=True)
class TextItem(_Placed):
    """A paragraph, bullet, sub-heading, box title or caption: one paragraph of a text frame."""

    spans: tuple[Span, ...] = ()
    style: TextStyle = "para"
    bullet: str | None = None
    align: str | None = None


@dataclass(frozen=True, eq=False, kw_only=True)
class CodeItem(_Placed):
    """A code block (or display math shown as its TeX source)."""

    code: str
    language: str = ""


@dataclass(frozen=True, eq=False, kw_only=True)
class TableItem(_Placed):
    table: Table


@dataclass(frozen=True, eq=False, kw_only=True)
class ImageItem(_Placed):
    image: Image
    align: str | None = None
    em_size: tuple[float, float] | None = None
    """An inline formula drawn on a line of its own: its (width, height) in ems of the body text,
    so its glyphs match the text at any size (None: an ordinary picture, sized by its pixels)."""


@dataclass(frozen=True, eq=False, kw_only=True)
class ColumnsItem(_Placed):
    """Side-by-side columns, each already flattened."""

    columns: tuple[tuple[Item, ...], ...]


Item = TextItem | CodeItem | TableItem | ImageItem | ColumnsItem


def flatten(blocks: tuple[Block, ...]) -> list[Item]:
    """The slide's items in reading order, lead-ins and parent bullets kept with what follows."""
    out: list[Item] = []
    _blocks(blocks, out, level=0, box=None, parent=None)
    following: list[Item | None] = [*out[1:], None]
    return [replace(a, keep_with_next=True) if _leads_in(a, b) else a for a, b in zip(out, following)]


def _leads_in(a: Item, b: Item | None) -> bool:
    """Whether *a* must stay on the page of *b*: a heading, a line ending in ':', or *b*'s parent."""
    if b is None:
        return False
    if isinstance(a, TextItem) and (a.style in ("subheading", "box-title")
                                    or plain_text(a.spans).rstrip().endswith(":")):
        return True
    if _formula(a) or _formula(b):      # the pieces of a sentence around its formula picture
        return a.source == b.source
    return b.parent is a


def _blocks(blocks: Iterable[Block], out: list[Item], *, level: int, box: BoxRef | None,
            parent: TextItem | None) -> None:
    for b in blocks:
        _block(b, out, level=level, box=box, parent=parent)


def _block(b: Block, out: list[Item], *, level: int, box: BoxRef | None, parent: TextItem | None) -> None:
    """Append *b*'s items to *out*; every block type is named (mypy checks the match is exhaustive)."""
    match b:
        case Paragraph():
            _paragraph(b, out, level=level, box=box, parent=parent)
        case Heading():
            out.append(TextItem(source=b.source, spans=b.spans, style="subheading", level=level, box=box,
                                parent=parent))
        case BulletList():
            for n, item in enumerate(b.items):
                _list_item(item, b, n, out, level=level + 1, box=box, parent=parent)
        case CodeBlock():
            out.append(CodeItem(source=b.source, code=b.code, language=b.language, level=level, box=box, parent=parent))
        case Math():      # not rendered (no render stage ran): its source, as code
            out.append(CodeItem(source=b.source, code=b.tex, language="latex", level=level, box=box, parent=parent))
        case Table():
            out.append(TableItem(source=b.source, table=b, level=level, box=box, parent=parent))
        case Image():
            out.append(ImageItem(source=b.source, image=b, align=b.align, level=level, box=box, parent=parent))
        case Quote():
            _blocks(b.blocks, out, level=level, box=BoxRef("quote", "", next(_box_ids)), parent=parent)
        case Callout():
            ref = BoxRef("callout", b.kind, next(_box_ids))
            if b.title:
                out.append(TextItem(source=b.source, level=level, box=ref, parent=parent, spans=b.title,
                                    style="box-title"))
            _blocks(b.blocks, out, level=level, box=ref, parent=parent)
        case Columns():
            columns = tuple(_column(col) for col in b.columns)
            out.append(ColumnsItem(source=b.source, columns=columns, level=level, box=box, parent=parent))
        case Rule() | SpeakerNotes() | Instructor() | TableOfContents():
            return      # the splitter, the notes pane and the handout use these; a slide draws nothing
        case _:
            assert_never(b)


def _column(blocks: tuple[Block, ...]) -> tuple[Item, ...]:
    inner: list[Item] = []
    _blocks(blocks, inner, level=0, box=None, parent=None)
    return tuple(inner)


def _list_item(item: ListItem, lst: BulletList, n: int, out: list[Item], *, level: int,
               box: BoxRef | None, parent: TextItem | None) -> None:
    """A bullet's head paragraph, then its other blocks under it (a continuation repeats the head)."""
    if item.checked is not None:
        marker = CHECKED if item.checked else UNCHECKED
    elif lst.ordered:
        marker = f"{lst.start + n}."
    else:
        marker = BULLETS[(level - 1) % len(BULLETS)]
    blocks = list(item.blocks)
    if not blocks:
        return    # an empty item draws nothing on a slide (the handout keeps its checkbox)
    first = blocks[0]
    if isinstance(first, Paragraph):
        blocks.pop(0)
        pieces = _around_formulas(first.spans)
        lead = pieces[0] if pieces else None
        head_spans = lead if isinstance(lead, tuple) else ()
        pieces = pieces[1:] if head_spans else pieces
        head = TextItem(source=first.source, level=level, box=box, parent=parent, spans=head_spans,
                        style="bullet", bullet=marker, align=first.align)
        out.append(head)
        _pieces(pieces, first, out, level=level, box=box, parent=head)
    else:
        head = TextItem(source=item.source, level=level, box=box, parent=parent, style="bullet", bullet=marker)
        out.append(head)
    _blocks(blocks, out, level=level, box=box, parent=head)


def _formula(it: Item | None) -> bool:
    return isinstance(it, ImageItem) and it.em_size is not None


def _around_formulas(spans: tuple[Span, ...]) -> list[tuple[Span, ...] | Span]:
    """*spans* cut around the formulas text runs cannot show: text pieces (tuples, trimmed, empty
    ones dropped) and formula spans, in reading order."""
    out: list[tuple[Span, ...] | Span] = []
    text: list[Span] = []

    def flush() -> None:
        piece = _trimmed(text)
        if piece:
            out.append(piece)
        text.clear()

    for s in spans:
        if s.math_picture and s.math_svg:
            flush()
            out.append(s)
        else:
            text.append(s)
    flush()
    return out


def _trimmed(spans: list[Span]) -> tuple[Span, ...]:
    """*spans* without the spaces and line breaks at either end (they were next to a formula)."""
    out = list(spans)
    while out and not out[0].text.strip():
        out.pop(0)
    while out and not out[-1].text.strip():
        out.pop()
    if out:
        out[0] = replace(out[0], text=out[0].text.lstrip())
        out[-1] = replace(out[-1], text=out[-1].text.rstrip())
    return tuple(out)


def _paragraph(b: Paragraph, out: list[Item], *, level: int, box: BoxRef | None, parent: TextItem | None) -> None:
    """A paragraph's text item, or its pieces around each formula drawn on a line of its own."""
    if not any(s.math_picture for s in b.spans):
        out.append(TextItem(source=b.source, spans=b.spans, align=b.align, level=level, box=box, parent=parent))
        return
    _pieces(_around_formulas(b.spans), b, out, level=level, box=box, parent=parent)


def _pieces(pieces: list[tuple[Span, ...] | Span], b: Paragraph, out: list[Item], *, level: int,
            box: BoxRef | None, parent: TextItem | None) -> None:
    """Text items and formula pictures for the pieces of paragraph *b*, aligned like its text."""
    for piece in pieces:
        if isinstance(piece, tuple):
            out.append(TextItem(source=b.source, spans=piece, align=b.align, level=level, box=box, parent=parent))
            continue
        em_w, em_h = piece.math_em
        image = Image("math", piece.math or "", piece.math_svg, source=b.source, kind="math",
                      pixel_size=(max(1, round(em_w * 100)), max(1, round(em_h * 100))))
        out.append(ImageItem(source=b.source, image=image, align=b.align or "left", em_size=piece.math_em,
                             level=level, box=box, parent=parent))
