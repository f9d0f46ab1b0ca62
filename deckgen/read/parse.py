"""Markdown (with the dialects lecturers use) -> semantic model.

markdown-it-py tokenises (:mod:`deckgen.read.mdit`); this module walks its syntax
tree and builds :mod:`deckgen.model` nodes with original line numbers.
Inline tokens are handled in :mod:`deckgen.read.inline`, raw HTML blocks in
:mod:`deckgen.read.htmlblocks`, dialect pre-passes in :mod:`deckgen.read.dialects`.  It
never sees a font or a slide.
"""
from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from markdown_it.token import Token
from markdown_it.tree import SyntaxTreeNode

from deckgen.read.assets import AssetResolver, image_size
from deckgen.diagnostics import Diagnostics
from deckgen.read.dialects import decks
from deckgen.read.dialects import html as H
from deckgen.read.dialects import kramdown as K
from deckgen.read.dialects import brackets, liquid, nesting, obsidian, pandoc, tables
from deckgen.read.dialects.editions import div_name, is_instructor
from deckgen.read.htmlblocks import HtmlBlocks
from deckgen.read.inline import InlineBuilder, trim_spans
from deckgen.read.mdit import MAX_NESTING, MD
from deckgen.model import (Block, BulletList, Callout, Cell, CodeBlock, Columns, Document, Heading, Image, Instructor,
                    ListItem, Math, Paragraph, Quote, Rule, SourceSpan, Span, SpeakerNotes, Table, TableOfContents,
                    plain_text)
from deckgen.read.slug import slugify
from deckgen.read.source import Source, meta_from

TASK = re.compile(r"^\[([ xX])\](?:\s+|$)")
"""A task marker needs text after it; a bare `- [x]` stays literal, as GFM and kramdown show it."""
CAPTION_MAX = 120


class Converter:
    """Builds model blocks from markdown-it's syntax tree for one note."""

    def __init__(self, src: Source, diags: Diagnostics, resolver: AssetResolver, dialect: str = ""):
        self.src = src
        self.diags = diags
        self.resolver = resolver
        self.dialect = dialect
        """'marp': HTML comments are presenter notes and `![bg]` alts are options."""
        self.html = HtmlBlocks(self)

    # ---------------------------------------------------------------- helpers
    def where(self, node: SyntaxTreeNode | Token, offset: int = 0) -> SourceSpan:
        m = node.map
        return self.src.span((m[0] if m else 0) + offset)

    def image(self, src: str, alt: str, attrs: dict[str, str], where: SourceSpan, title: str = "") -> Image:
        if self.dialect == "marp" and decks.is_background(alt):
            alt = ""                               # `![bg left:40%](x)`: options, not a description
        elif self.dialect == "marp":               # `![w:300 sepia](x)`: size and filter keywords
            alt, marp_w, marp_h = decks.image_keywords(alt)
            attrs = {**({"width": marp_w} if marp_w else {}), **({"height": marp_h} if marp_h else {}), **attrs}
        path = self.resolver.resolve(src, where, self.diags, alt=alt)
        if path and path.lower().endswith(".svg"):
            from deckgen.render.svg import svg_size
            size = svg_size(path, where, self.diags)
        else:
            size = image_size(path, where, self.diags, self.resolver.limits) if path else None
        if path and size is None:
            path = None
        width, height = attrs.get("width"), attrs.get("height")
        zoom = re.fullmatch(r"\s*([\d.]+)\s*(%?)\s*", H.css_properties(attrs.get("style", "")).get("zoom", ""))
        if zoom and not width and size:        # Typora's zoom scales the picture's own size
            factor = float(zoom.group(1)) / (100 if zoom.group(2) else 1)
            width = f"{max(1, round(size[0] * factor))}px"
        css = H.css_properties(attrs.get("style", ""))
        width = width or css.get("width")
        caption = (Span(title),) if title else ()
        return Image(src, alt, path, width, height or css.get("height"), caption, where, size,
                     H.alignment(attrs))

    def inline_items(self, tokens: list[Token], where: SourceSpan) -> list[Span | Image]:
        return InlineBuilder(self, where).run(tokens)

    def paragraph_blocks(self, items: list[Span | Image], where: SourceSpan, align: str | None) -> list[Block]:
        """Spans and images of one paragraph -> Paragraph/Image blocks.

        A short text right after an image (`<img><br>`caption`<br>`) is its caption,
        as in Jekyll posts."""
        out: list[Block] = []
        spans: list[Span] = []

        def flush():
            text = trim_spans(spans)
            if text:
                out.append(Paragraph(text, where, align))
            spans.clear()

        for it in items:
            if isinstance(it, Image):
                flush()
                out.append(it)
            else:
                spans.append(it)
        flush()
        merged: list[Block] = []
        for b in out:
            prev = merged[-1] if merged else None
            if isinstance(b, Paragraph) and isinstance(prev, Image) and not re.search(r"\w", plain_text(b.spans)):
                continue   # an empty caption such as `` after an image
            if (isinstance(b, Paragraph) and isinstance(prev, Image) and not prev.caption
                    and "\n" not in plain_text(b.spans).strip() and len(plain_text(b.spans)) <= CAPTION_MAX):
                merged[-1] = replace(prev, caption=b.spans)
            else:
                merged.append(b)
        return merged

    # ----------------------------------------------------------------- blocks
    def blocks(self, nodes: list[SyntaxTreeNode]) -> list[Block]:
        out: list[Block] = []
        i = 0
        while i < len(nodes):
            node = nodes[i]
            if node.type == "html_block" and self.html.opens_container(node.content):
                j, block = self.html.html_container(nodes, i)
                out.extend(block)
                i = j
                continue
            out.extend(self.block(node, out))
            i += 1
        return out

    def block(self, node: SyntaxTreeNode, before: list[Block]) -> list[Block]:
        t = node.type
        where = self.where(node)
        if t == "paragraph":
            return self.paragraph(node, before)
        if t == "heading":
            items = self.inline_items(self.inline_tokens(node), where)
            spans = trim_spans([s for s in items if isinstance(s, Span)])
            custom = K.header_id(plain_text(spans))
            spans = self.strip_trailing_id(spans)
            anchor = custom or slugify(plain_text(spans))
            return [Heading(int(node.tag[1]), spans, where, anchor)]
        if t in ("bullet_list", "ordered_list"):
            return [self.list_(node)]
        if t in ("fence", "code_block"):
            lang = (node.info or "").strip().split(" ")[0] if t == "fence" else ""
            lang = lang.strip("{}.")
            return [CodeBlock(node.content.rstrip("\n"), lang, where)]
        if t in ("math_block", "math_block_label", "math_block_bracket"):
            return [Math(node.content.strip(), True, where)]
        if t == "blockquote":
            inner = self.blocks(node.children)
            return [Quote(tuple(inner), where)] if inner else []
        if t == "hr":
            return [Rule(where)]
        if t == "table":
            return [self.table(node)]
        if t == "html_block":
            return self.html.html_block_node(node, where)
        if t == "callout":                    # Obsidian/GitHub `> [!kind] title`
            title = trim_spans([s for s in self.inline_items(node.meta["title"], where) if isinstance(s, Span)])
            if node.meta["kind"] == "instructor":     # `> [!instructor] 정답`: the title opens it, in bold
                head = [Paragraph(tuple(replace(s, bold=True) for s in title), where)] if title else []
                return [Instructor(tuple(head + self.blocks(node.children)), where)]
            return [Callout(node.meta["kind"], title or (Span(node.meta["label"]),),
                            tuple(self.blocks(node.children)), where)]
        if t == "dl":
            return K.definition_list(self, node)
        if t == "footnote_block":
            return K.footnote_list(self, node)
        if t == "container_columns":
            cols = [tuple(self.blocks(c.children)) for c in node.children if c.type == "container_column"]
            return [Columns(tuple(cols), where)] if cols else self.blocks(node.children)
        if t == "container_column":
            return self.blocks(node.children)
        if t == "container_notes":
            return [SpeakerNotes(tuple(self.blocks(node.children)), where)]
        if t == "container_instructor":
            return [Instructor(tuple(self.blocks(node.children)), where)]
        if t == "container_div":
            return self.div(node, where)
        if t == "text":
            return []
        self.diags.warning("unknown-block", f"unsupported Markdown block '{t}' kept as text", where)
        return [Paragraph((Span(node.content),), where)] if node.content.strip() else []

    def div(self, node: SyntaxTreeNode, where: SourceSpan) -> list[Block]:
        """A pandoc div with no meaning of its own on a printed deck (`incremental`, `fragment`,
        `r-fit-text`): its content in place; a Quarto `callout-KIND` is a callout."""
        inner = tuple(self.blocks(node.children))
        name = div_name(node.info or "")
        if name.startswith("callout-") and inner:
            title = K.parse_span_attrs(node.info or "").values.get("title", "")
            return [Callout(name.removeprefix("callout-"), (Span(title),) if title else (), inner, where)]
        return list(inner)

    @staticmethod
    def strip_trailing_id(spans: tuple[Span, ...]) -> tuple[Span, ...]:
        if spans and K.HEADER_ID.search(spans[-1].text):
            last = replace(spans[-1], text=K.strip_header_id(spans[-1].text))
            return trim_spans(list(spans[:-1]) + [last])
        return spans

    def inline_tokens(self, node: SyntaxTreeNode) -> list[Token]:
        inline = node.children[0].token if node.children else None
        return (inline.children or []) if inline is not None else []

    def paragraph(self, node: SyntaxTreeNode, before: list[Block]) -> list[Block]:
        where = self.where(node)
        inline = node.children[0] if node.children else None
        content = inline.content if inline is not None else ""
        lines = content.split("\n")
        ial_lines = [ln for ln in lines if K.IAL_LINE.match(ln)]
        attrs = K.parse_ials("\n".join(ial_lines)) if ial_lines else K.Attrs()
        if len(ial_lines) == len(lines):           # only IALs: they apply to the block before
            if attrs.toc and before and isinstance(before[-1], BulletList):
                before[-1] = TableOfContents(before[-1].source)
            elif before:
                before[-1] = self.apply_attrs(before[-1], attrs)
            return []
        if attrs.toc:                               # `* TOC` + `{:toc}`: the contents marker
            return [TableOfContents(where)]
        tokens = self.inline_tokens(node)
        if ial_lines:                               # drop the IAL lines' tokens
            tokens = self.drop_ial_lines(tokens)
        items = self.inline_items(tokens, where)
        blocks = self.paragraph_blocks(items, where, H.alignment(attrs.html_attrs()))
        if ial_lines and blocks:
            blocks[-1] = self.apply_attrs(blocks[-1], attrs)
        return blocks

    @staticmethod
    def drop_ial_lines(tokens: list[Token]) -> list[Token]:
        return [t for t in tokens if not (t.type == "text" and K.IAL_LINE.match(t.content))]

    def apply_attrs(self, block: Block, attrs: K.Attrs) -> Block:
        """Apply a block IAL: notices become callouts, alignment, image sizes."""
        align = H.alignment(attrs.html_attrs())
        if isinstance(block, Paragraph) and align:
            block = replace(block, align=align)
        if isinstance(block, Image):
            block = replace(block, width=attrs.values.get("width", block.width),
                            height=attrs.values.get("height", block.height), align=align or block.align)
        if any(is_instructor(c) for c in attrs.classes):  # `{: .instructor}` after a block
            return block if isinstance(block, Instructor) else Instructor((block,), block.source)
        if isinstance(block, Callout) and attrs.notice:
            return replace(block, kind=attrs.notice)
        if attrs.notice:
            return Callout(attrs.notice, (), (block,), block.source)
        return block

    def list_(self, node: SyntaxTreeNode) -> BulletList | TableOfContents:
        items = []
        for li in node.children:
            blocks = self.blocks(li.children)
            checked = None
            if blocks and isinstance(blocks[0], Paragraph) and blocks[0].spans and not blocks[0].spans[0].code:
                first = blocks[0].spans[0]
                m = TASK.match(first.text)
                if m and plain_text(blocks[0].spans)[m.end():].strip():
                    checked = m.group(1) != " "
                    rest = trim_spans([replace(first, text=first.text[m.end():]), *blocks[0].spans[1:]])
                    blocks[0] = replace(blocks[0], spans=rest)
                    if not rest:
                        blocks.pop(0)
            items.append(ListItem(tuple(blocks), checked, self.where(li)))
        start = int(node.attrs.get("start", 1)) if node.type == "ordered_list" else 1
        if len(items) == 1 and len(items[0].blocks) == 1 and isinstance(items[0].blocks[0], TableOfContents):
            return items[0].blocks[0]
        return BulletList(tuple(items), node.type == "ordered_list", start, self.where(node))

    def table(self, node: SyntaxTreeNode) -> Table:
        header: list[Cell] = []
        rows: list[tuple[Cell, ...]] = []
        for section in node.children:
            for tr in section.children:
                cells = []
                for cell in tr.children:
                    style = str(cell.attrs.get("style", ""))
                    align = style.split(":")[-1].strip() if "text-align" in style else None
                    items = self.inline_items(self.inline_tokens(cell), self.where(tr))
                    # a picture inside a cell cannot be drawn there: its alt text stands in
                    spans = [s if isinstance(s, Span) else Span(s.alt or s.src.rsplit("/", 1)[-1], italic=True)
                             for s in items]
                    if any(isinstance(s, Image) for s in items):
                        self.diags.info("table-image", "a picture in a table cell is shown as its alt text",
                                        self.where(tr))
                    cells.append(Cell(trim_spans(spans), align))
                if section.type == "thead":
                    header = cells
                else:
                    rows.append(tuple(cells))
        return Table(tuple(header), tuple(rows), self.where(node))


def parse_source(src: Source, diags: Diagnostics, resolver: AssetResolver) -> Document:
    """A Source -> Document: the note's blocks in reading order, with meta."""
    dialect = decks.detect(src.front_matter, src.text)
    if dialect == "pandoc":
        title_block, text = decks.pandoc_title_block(src.text)
        src = replace(src, text=text, front_matter={**title_block, **src.front_matter})
    meta = meta_from(src.front_matter, diags, src.path, src.front_matter_lines)
    src = replace(src, text=decks.remove_pauses(src.text, src.path, src.line_offset, diags))
    for prepass in (nesting.prepass, brackets.prepass, liquid.prepass, K.prepass, obsidian.prepass,
                    pandoc.prepass, tables.prepass):   # each keeps line numbers
        src = replace(src, text=prepass(src, diags))
    tokens = MD.parse(src.text)
    nesting.check_tokens(tokens, src, diags, MAX_NESTING)
    tree = SyntaxTreeNode(tokens)
    blocks = Converter(src, diags, resolver, dialect).blocks(tree.children)
    if not blocks:
        meta = _empty_note(src, meta, diags)
    return Document(meta, tuple(blocks), src.path, dialect)


def _empty_note(src: Source, meta, diags: Diagnostics):
    """A note with no body still makes a deck: a title slide (titled after the file if need be)."""
    what = "only front matter" if src.front_matter else "no text"
    diags.warning("empty-note", f"the note has {what}; the deck holds only a title slide",
                  SourceSpan(src.path, src.line_offset + 1 if src.front_matter else 1))
    return meta if meta.title else replace(meta, title=Path(src.path).stem)


def parse_note(path: Path, diags: Diagnostics, *, display: str | None = None,
               root: Path | None = None) -> Document:
    """Read and parse one note file (for tests and tools; build_one also renders and lays out)."""
    from deckgen.cachedir import find_project_root
    from deckgen.read.source import read_source

    src = read_source(path, display or str(path), diags)
    resolver = AssetResolver(path.resolve(), root or find_project_root(path))
    return parse_source(src, diags, resolver)
