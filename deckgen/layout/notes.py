"""Speaker notes as plain paragraphs for the notes pane."""
from __future__ import annotations

from deckgen.model import (Block, BulletList, Callout, CodeBlock, Heading, Image, Paragraph, Quote, SpeakerNotes,
                    Table, plain_text)


def notes_text(blocks: tuple[Block, ...], depth: int = 0) -> list[str]:
    out: list[str] = []
    for b in blocks:
        if isinstance(b, (Paragraph, Heading)):
            out.append(plain_text(b.spans))
        elif isinstance(b, BulletList):
            for n, item in enumerate(b.items):
                marker = f"{b.start + n}." if b.ordered else "•"
                inner = notes_text(item.blocks, depth + 1)
                first = inner[0] if inner else ""
                out.append("  " * depth + f"{marker} {first}".rstrip())
                out.extend(inner[1:])
        elif isinstance(b, CodeBlock):
            out.extend(b.code.split("\n"))
        elif isinstance(b, (Quote, Callout, SpeakerNotes)):
            out.extend(notes_text(b.blocks, depth))
        elif isinstance(b, Table):
            for row in (b.header, *b.rows):
                out.append(" | ".join(plain_text(c.spans) for c in row))
        elif isinstance(b, Image):
            out.append(f"[{b.alt or b.src}]")
    return out
