"""Raw HTML blocks in notes: containers spanning Markdown (`<details>`, `<div markdown="1">`),
simple tables, figures, headings, and Marp presenter-note comments.  A mixin of the
parser's Converter; nothing here is executed or fetched."""
from __future__ import annotations

import re
from dataclasses import replace

from markdown_it.tree import SyntaxTreeNode

from deckgen.read.context import ParseContext
from deckgen.read.dialects import decks
from deckgen.read.dialects import html as H
from deckgen.read.dialects import kramdown as K
from deckgen.read.inline import trim_spans
from deckgen.read.mdit import MD
from deckgen.model import (Block, Callout, Cell, Heading, Image, Instructor, Paragraph, SourceSpan, Span,
                           SpeakerNotes, Table, plain_text)
from deckgen.read.dialects.editions import is_instructor
from deckgen.read.slug import slugify

COMMENT = re.compile(r"<!--.*?(-->|\Z)", re.S)
MAX_CONTAINER_DEPTH = 8
"""HTML containers (`<details>`, `<div>`) nested deeper than this are read as flat blocks: each
level was two Python frames (500 `<details>` overflowed the stack and failed the note) and a
handout box past ~20 levels of padding had no width left, so its text vanished from the PDF."""
VOID = ("br", "hr", "img", "wbr", "input", "meta", "link")


def _closed_on_its_line(line: str) -> bool:
    """A line holding whole HTML elements (`<center><H1>제목</H1></center>`, `<br>`)."""
    m = re.match(r"\s*<\s*([a-zA-Z][a-zA-Z0-9]*)", line)
    if not m:
        return line.lstrip().startswith("<!--") and "-->" in line
    name = m.group(1).lower()
    if name in VOID:
        return True
    opens = len(re.findall(rf"<\s*{name}\b", line, re.I))
    return opens > 0 and opens == len(re.findall(rf"<\s*/\s*{name}\s*>", line, re.I))


def kramdown_pieces(content: str) -> list[tuple[int, str, bool]] | None:
    """Split an HTML block the way kramdown reads it: an element closed on its own line
    ends there and Markdown goes on (CommonMark instead swallows every line up to the next
    blank one as raw HTML, headings and rules included). (line index, text, is_html)
    pieces, or None when the block is HTML throughout."""
    lines = content.rstrip("\n").split("\n")
    if all(line.lstrip().startswith("<") for line in lines if line.strip()):
        return None
    if not all(_closed_on_its_line(line) for line in lines if line.lstrip().startswith("<")):
        return None
    pieces: list[tuple[int, str, bool]] = []
    for i, line in enumerate(lines):
        html = line.lstrip().startswith("<")
        if not html and pieces and not pieces[-1][2]:
            pieces[-1] = (pieces[-1][0], pieces[-1][1] + "\n" + line, False)
        else:
            pieces.append((i, line, html))
    return pieces


def _group(pattern: str, text: str) -> str:
    """The first group of *pattern* matched at the start of *text*, or "" (parse_tag("") is None)."""
    m = re.match(pattern, text)
    return m.group(1) if m else ""


class HtmlBlocks:
    """Raw HTML blocks -> model blocks, reading the Markdown inside through the block reader (*ctx*)."""

    CONTAINERS = ("details", "div", "center", "figure", "p", "section", "article", "aside")

    def __init__(self, ctx: ParseContext):
        self.ctx = ctx
        self.depth = 0
        """Containers open around the block being read."""
        self.flattened = False
        """A warning was given for the outermost container being read (one per nest, not per level)."""

    def opens_container(self, content: str) -> bool:
        content = COMMENT.sub("", content)
        first = re.match(r"\s*<\s*([a-zA-Z]+)", content)
        if not first or first.group(1).lower() not in self.CONTAINERS:
            return False
        name = first.group(1).lower()
        opens = len(re.findall(rf"<\s*{name}\b", content, re.I))
        closes = len(re.findall(rf"<\s*/\s*{name}\s*>", content, re.I))
        return opens > closes and self.depth < MAX_CONTAINER_DEPTH

    def too_deep(self, where: SourceSpan) -> bool:
        """True past MAX_CONTAINER_DEPTH (the caller then keeps the content unwrapped), warning once."""
        if self.depth < MAX_CONTAINER_DEPTH:
            return False
        if not self.flattened:
            self.flattened = True
            self.ctx.diags.warning("nesting-flattened", f"HTML containers nested deeper than {MAX_CONTAINER_DEPTH} "
                                   f"levels: the deeper ones are shown as plain blocks at level "
                                   f"{MAX_CONTAINER_DEPTH}", where)
        return True

    def html_container(self, nodes: list[SyntaxTreeNode], i: int) -> tuple[int, list[Block]]:
        """An HTML element that spans several Markdown blocks (`<details>` with Markdown inside)."""
        first = nodes[i]
        where = self.ctx.where(first)
        head = COMMENT.sub("", first.content)
        name = _group(r"\s*<\s*([a-zA-Z]+)", head).lower()     # opens_container() saw this tag
        depth = 0
        j = i
        inner_nodes: list[SyntaxTreeNode] = []
        tail = ""
        while j < len(nodes):
            n = nodes[j]
            if n.type == "html_block":
                c = COMMENT.sub("", n.content)
                depth += len(re.findall(rf"<\s*{name}\b", c, re.I))
                depth -= len(re.findall(rf"<\s*/\s*{name}\s*>", c, re.I))
                if j > i:
                    if depth <= 0:
                        tail = c
                        j += 1
                        break
                    inner_nodes.append(n)
            else:
                inner_nodes.append(n)
            j += 1
        head_attrs = H.parse_tag(_group(r"\s*(<[^>]*>)", head))
        attrs = head_attrs[2] if head_attrs else {}
        summary = re.search(r"<summary[^>]*>(.*?)</summary>", head + tail, re.S | re.I)
        head_rest = re.sub(r"<summary[^>]*>.*?</summary>", "", head, flags=re.S | re.I)
        self.depth += 1
        try:
            inner: list[Block] = self.html_fragment(head_rest, where)
            inner += self.ctx.blocks(inner_nodes)
            inner += self.html_fragment(tail, self.ctx.where(nodes[j - 1]))
        finally:
            self.depth -= 1
            self.flattened = self.flattened and self.depth > 0
        return j, self.wrap_container(name, attrs, inner, summary.group(1) if summary else None, where)

    def wrap_container(self, name: str, attrs: dict[str, str], inner: list[Block], summary: str | None,
                       where: SourceSpan) -> list[Block]:
        ial = K.Attrs(classes=attrs.get("class", "").split())
        if name == "details":
            title = self.html_inline_spans(summary or "", where) if summary else (Span("상세"),)
            return [Callout("details", title, tuple(inner), where)]
        if name == "figure":
            inner = self.figure_caption(inner)
        if any(is_instructor(c) for c in ial.classes):
            return [Instructor(tuple(inner), where)]
        if ial.notice:
            return [Callout(ial.notice, (), tuple(inner), where)]
        align = H.alignment(attrs) or ("center" if name == "center" else None)
        if align:
            inner = [replace(b, align=align) if isinstance(b, (Paragraph, Image)) else b for b in inner]
        return inner

    @staticmethod
    def figure_caption(inner: list[Block]) -> list[Block]:
        """<figure><img><figcaption>text</figcaption></figure>: the text is the image's caption."""
        for i, b in enumerate(inner[:-1]):
            nxt = inner[i + 1]
            if isinstance(b, Image) and isinstance(nxt, Paragraph) and not b.caption:
                return inner[:i] + [replace(b, caption=nxt.spans)] + inner[i + 2:]
        return inner

    def html_inline_spans(self, fragment: str, where: SourceSpan) -> tuple[Span, ...]:
        tokens = MD.parseInline(fragment.strip())[0].children or []
        return trim_spans([s for s in self.ctx.inline_items(tokens, where) if isinstance(s, Span)])

    def html_fragment(self, fragment: str, where: SourceSpan) -> list[Block]:
        """Blocks from the HTML between container tags (markdown="1" content is Markdown)."""
        fragment = re.sub(r"</?\s*(details|div|center|figure|section|article|aside)\b[^>]*>", "\n\n",
                          fragment, flags=re.I)
        fragment = re.sub(r"<summary[^>]*>.*?</summary>", "", fragment, flags=re.S | re.I)
        if not fragment.strip():
            return []
        tree = SyntaxTreeNode(MD.parse(fragment))
        return self.ctx.blocks(tree.children)

    def html_table(self, content: str, where: SourceSpan) -> list[Block]:
        """A simple HTML <table> (no nesting) as a real table; cells keep inline formatting."""
        rows = H.table_cells(content)
        if not rows:
            return []
        cells = [tuple(Cell(self.html_inline_spans(html, where), align) for html, _, align in row) for row in rows]
        has_header = all(is_th for _, is_th, _ in rows[0])
        header = cells[0] if has_header else ()
        body = cells[1:] if has_header else cells
        width = max(len(r) for r in cells)

        def pad(row: tuple[Cell, ...]) -> tuple[Cell, ...]:
            return row + (Cell(()),) * (width - len(row))
        return [Table(pad(header) if header else (), tuple(pad(r) for r in body), where)]

    def marp_notes(self, content: str, where: SourceSpan) -> list[Block]:
        notes = [decks.comment_notes(c.group(0)) for c in COMMENT.finditer(content)]
        return [SpeakerNotes(tuple(Paragraph((Span(n),), where) for n in notes if n), where)] \
            if any(notes) else []

    def html_block_node(self, node: SyntaxTreeNode, where: SourceSpan) -> list[Block]:
        """An HTML block token; its Markdown lines, if kramdown would read them so, as Markdown."""
        pieces = kramdown_pieces(node.content)
        lines = node.content.rstrip("\n").split("\n")
        if pieces is None and len(lines) > 1 and all(_closed_on_its_line(ln) for ln in lines if ln.strip()):
            # `<center><h1>제목</h1></center>` / `<br>` / `<center>부제</center>`: one element per
            # line, each read on its own (read whole, everything after the heading was lost)
            return [b for i, ln in enumerate(lines) if ln.strip()
                    for b in self.html_block(ln, self.ctx.where(node, i))]
        if pieces is None:
            return self.html_block(node.content, where)
        first = node.map[0] if node.map else 0
        out: list[Block] = []
        for index, text, is_html in pieces:
            if is_html:
                out += self.html_block(text, self.ctx.where(node, index))
            else:                                      # padded so node.map gives the note's lines
                out += self.ctx.blocks(SyntaxTreeNode(MD.parse("\n" * (first + index) + text)).children)
        return out

    def html_block(self, content: str, where: SourceSpan) -> list[Block]:
        unclosed = next((m for m in COMMENT.finditer(content) if not m.group(1)), None)
        if unclosed is not None:
            hidden = content[unclosed.start():].count("\n")
            self.ctx.diags.warning("html-comment-unclosed", f"an HTML comment opened here is never closed (`-->`): "
                               f"the {hidden} lines after it are hidden", where)
        notes = self.marp_notes(content, where) if self.ctx.dialect == "marp" else []
        if notes and not COMMENT.sub("", content).strip():
            return notes
        content = COMMENT.sub("", content)
        if not content.strip():
            return []
        first = re.match(r"\s*<\s*/?\s*([a-zA-Z][a-zA-Z0-9]*)", content)
        name = first.group(1).lower() if first else ""
        if name in H.INLINE_STYLE_TAGS or name in ("img", "br"):
            # kramdown treats a line starting with a span-level tag as a paragraph
            tokens = MD.parseInline(content.strip())[0].children or []
            items = self.ctx.inline_items(tokens, where)
            return self.ctx.paragraph_blocks(items, where, None)
        if re.fullmatch(r"h[1-6]", name):
            m = re.search(rf"<{name}[^>]*>(.*?)</{name}>", content, re.S | re.I)
            spans = self.html_inline_spans(m.group(1) if m else H.visible_text(content)[0], where)
            return [Heading(int(name[1]), spans, where, slugify(plain_text(spans)))]
        if name == "table":
            return self.html_table(content, where)
        if name in self.CONTAINERS and self.too_deep(where):
            summary = re.search(r"<summary[^>]*>(.*?)</summary>", content, re.S | re.I)
            title = [Paragraph(tuple(replace(s, bold=True) for s in self.html_inline_spans(summary.group(1), where)),
                               where)] if summary else []
            content = re.sub(r"<summary[^>]*>.*?</summary>", "", content, flags=re.S | re.I)
            return title + self.html_fragment(content, where)
        if name in self.CONTAINERS:
            head = H.parse_tag(_group(r"\s*(<[^>]*>)", content))
            attrs = head[2] if head else {}
            inner = re.sub(rf"^\s*<{name}[^>]*>|</{name}>\s*$", "", content.strip(), flags=re.I)
            block_level = re.match(r"\s*<\s*(h[1-6]|table)\b", inner, re.I)
            blocks = self.html_block(inner, where) if block_level else \
                self.html_fragment(inner, where) if attrs.get("markdown") else \
                self.ctx.paragraph_blocks(self.ctx.inline_items(MD.parseInline(inner.strip())[0].children or [],
                                                        where), where, None)
            return self.wrap_container(name, attrs, blocks, None, where)
        text, dropped = H.visible_text(content)
        for tag in dropped:
            if self.ctx.dialect == "marp" and tag == "style":     # Marp's <style scoped>: theme only
                self.ctx.diags.info("marp-style", "<style> of a Marp deck ignored", where)
                continue
            self.ctx.diags.warning("html-dropped", f"<{tag}> dropped (never executed or fetched)", where)
        return [Paragraph((Span(p.replace("\n", " ").strip()),), where)
                for p in text.split("\n\n") if p.strip()]
