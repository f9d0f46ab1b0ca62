"""What the inline and raw-HTML readers need from the block reader, as a Protocol.

parse.Converter provides it; inline.InlineBuilder and htmlblocks.HtmlBlocks are given one,
so they depend on this interface and not on parse (no import cycle, not even a typing-only one).
"""
from __future__ import annotations

from typing import Protocol

from markdown_it.token import Token
from markdown_it.tree import SyntaxTreeNode

from deckgen.diagnostics import Diagnostics
from deckgen.model import Block, Image, SourceSpan, Span


class ParseContext(Protocol):
    diags: Diagnostics
    dialect: str
    """'marp': HTML comments are presenter notes and `![bg]` alts are options."""

    def where(self, node: SyntaxTreeNode | Token, offset: int = 0) -> SourceSpan:
        """The note line of a syntax-tree node or token."""
        ...

    def image(self, src: str, alt: str, attrs: dict[str, str], where: SourceSpan, title: str = "") -> Image:
        """An Image with its file resolved and its size read."""
        ...

    def inline_items(self, tokens: list[Token], where: SourceSpan) -> list[Span | Image]:
        """Inline tokens -> spans and images."""
        ...

    def paragraph_blocks(self, items: list[Span | Image], where: SourceSpan, align: str | None) -> list[Block]:
        """Spans and images of one paragraph -> Paragraph/Image blocks."""
        ...

    def blocks(self, nodes: list[SyntaxTreeNode]) -> list[Block]:
        """Markdown block nodes -> model blocks."""
        ...
