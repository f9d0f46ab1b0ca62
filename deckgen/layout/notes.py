"""What goes to the notes pane: speaker notes and instructor-only blocks (lifted out of lists,
quotes, callouts and columns so they never reach a slide), as plain paragraphs.

Every block type says what it leaves in the notes (the match is checked
exhaustive by mypy): text as text (a callout's title too), code and display math as their source,
tables row by row, pictures by their alt text, columns one after another.
"""
from __future__ import annotations

from dataclasses import replace
from typing import assert_never

from deckgen.model import (Block, BulletList, Callout, CodeBlock, Columns, Heading, Image, Instructor, Math,
                           Paragraph, Quote, Rule, SpeakerNotes, Table, TableOfContents, plain_text)

PRIVATE = (SpeakerNotes, Instructor)
"""Blocks for the presenter only: the notes pane, never a slide."""


def lift_private(blocks: tuple[Block, ...]) -> list[Block]:
    """*blocks* with every nested speaker note and instructor block moved out to the top level,
    right after the block that held it; a container left empty by that is dropped."""
    out: list[Block] = []
    for b in blocks:
        kept, lifted = _split_private(b)
        if kept is not None:
            out.append(kept)
        out.extend(lifted)
    return out


def _split_private(b: Block) -> tuple[Block | None, list[Block]]:
    """(the block without its private parts or None when nothing else is left, the private parts)."""
    if isinstance(b, PRIVATE):
        return None, [b]
    lifted: list[Block] = []

    def inner(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
        kept = []
        for x in blocks:
            k, found = _split_private(x)
            kept += [k] if k is not None else []
            lifted.extend(found)
        return tuple(kept)

    if isinstance(b, (Quote, Callout)):
        b = replace(b, blocks=inner(b.blocks))
        empty = not b.blocks
    elif isinstance(b, BulletList):
        items = tuple(replace(i, blocks=inner(i.blocks)) for i in b.items)
        b = replace(b, items=tuple(i for i in items if i.blocks))
        empty = not b.items
    elif isinstance(b, Columns):
        b = replace(b, columns=tuple(inner(c) for c in b.columns))
        empty = not any(b.columns)
    else:
        return b, []
    return (None if empty and lifted else b), lifted


def notes_text(blocks: tuple[Block, ...], depth: int = 0) -> list[str]:
    """The notes pane's paragraphs for *blocks*; *depth* indents nested list markers."""
    out: list[str] = []
    for b in blocks:
        out.extend(_block_text(b, depth))
    return out


def _block_text(b: Block, depth: int) -> list[str]:
    match b:
        case Paragraph() | Heading():
            return [plain_text(b.spans)]
        case BulletList():
            return _list_text(b, depth)
        case CodeBlock():
            return b.code.split("\n")
        case Math():
            return b.tex.split("\n")
        case Callout():
            title = [plain_text(b.title)] if b.title else []
            return title + notes_text(b.blocks, depth)
        case Quote() | SpeakerNotes() | Instructor():
            return notes_text(b.blocks, depth)
        case Columns():
            return [line for col in b.columns for line in notes_text(col, depth)]
        case Table():
            return [" | ".join(plain_text(c.spans) for c in row) for row in (b.header, *b.rows)]
        case Image() if b.kind == "math":
            return b.alt.split("\n")      # a rendered formula: its TeX source, as before rendering
        case Image():
            return [f"[{b.alt or b.src}]"]
        case Rule() | TableOfContents():
            return []
        case _:
            assert_never(b)


def _list_text(b: BulletList, depth: int) -> list[str]:
    out: list[str] = []
    for n, item in enumerate(b.items):
        marker = f"{b.start + n}." if b.ordered else "•"
        inner = notes_text(item.blocks, depth + 1)
        first = inner[0] if inner else ""
        out.append("  " * depth + f"{marker} {first}".rstrip())
        out.extend(inner[1:])
    return out
