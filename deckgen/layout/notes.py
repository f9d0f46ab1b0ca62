"""Speaker notes as plain paragraphs for the notes pane.

Every block type says what it leaves in the notes (the match is checked
exhaustive by mypy): text as text (a callout's title too), code and display math as their source,
tables row by row, pictures by their alt text, columns one after another.
"""
from __future__ import annotations

from typing import assert_never

from deckgen.model import (Block, BulletList, Callout, CodeBlock, Columns, Heading, Image, Math, Paragraph, Quote,
                           Rule, SpeakerNotes, Table, TableOfContents, plain_text)


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
        case Quote() | SpeakerNotes():
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
