"""Markdown (with the dialects lecturers use) -> semantic model.

markdown-it-py tokenises; this module walks its syntax tree and builds
:mod:`deckgen.model` nodes with original line numbers.  It never sees a font
or a slide.
"""
from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markdown_it.tree import SyntaxTreeNode
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.texmath import index as _texmath

from .assets import AssetResolver, image_size
from .diagnostics import Diagnostics
from .dialects import decks
from .dialects import html as H
from .dialects import kramdown as K
from .dialects import liquid, obsidian
from .model import (Block, BulletList, Callout, Cell, CodeBlock, Columns, Document, Heading, Image, ListItem,
                    Math, Paragraph, Quote, Rule, SourceSpan, Span, SpeakerNotes, Table, TableOfContents,
                    plain_text)
from .source import Source, meta_from

TASK = re.compile(r"^\[([ xX])\](?:\s+|$)")
"""A task marker needs text after it; a bare `- [x]` stays literal, as GFM and kramdown show it."""
COMMENT = re.compile(r"<!--.*?(-->|\Z)", re.S)
CAPTION_MAX = 120


def make_markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.use(container_plugin, "notes", validate=lambda params, *a: params.strip().split(" ")[0] in
           ("notes", "note", "speaker", "speaker-notes"))
    for name in ("columns", "column"):        # pandoc's two-column slides
        md.use(container_plugin, name, validate=lambda params, *a, n=name: params.strip().split(" ")[0]
               .lstrip("{.").rstrip("}") == n)
    md.use(footnote_plugin).use(deflist_plugin).use(obsidian.obsidian_plugin)
    _use_math(md)
    return md


def _use_math(md: MarkdownIt) -> None:
    """`$..$`, `$$..$$` (kramdown's inline `$$` too), `\\(..\\)` and `\\[..\\]`.

    A digit next to a `$` keeps it literal, so prices ("$5 and $10") stay text."""
    md.use(dollarmath_plugin, allow_labels=True, allow_space=False, allow_digits=False,
           double_inline=True)
    rules = _texmath.rules["brackets"]
    inline = next(r for r in rules["inline"] if r["name"] == "math_inline")
    block = next(r for r in rules["block"] if r["name"] == "math_block")
    md.inline.ruler.before("escape", "math_inline_bracket",
                           _texmath.make_inline_func({**inline, "name": "math_inline_bracket"}))
    block_func = _texmath.make_block_func({**block, "name": "math_block_bracket"})

    def bracket_block(state, begin: int, end: int, silent: bool) -> bool:
        found = block_func(state, begin, end, silent)
        if found and not silent:
            state.tokens[-1].map = [begin, state.line]    # the plugin leaves no line map
        return found

    md.block.ruler.before("fence", "math_block_bracket", bracket_block,
                          {"alt": ["paragraph", "reference", "blockquote", "list", "footnote_def"]})


_MD = make_markdown()


def slugify(text: str) -> str:
    s = re.sub(r"[^\w\s-]", "", text.lower(), flags=re.U).strip()
    return re.sub(r"[\s]+", "-", s) or "section"


class _Style:
    """Mutable inline style state while walking inline tokens."""

    __slots__ = ("bold", "italic", "code", "strike", "underline", "link", "color", "highlight",
                 "baseline", "kbd")

    def __init__(self) -> None:
        self.bold = self.italic = self.code = self.strike = self.underline = False
        self.highlight = self.kbd = False
        self.link: str | None = None
        self.color: str | None = None
        self.baseline = 0

    def copy(self) -> "_Style":
        s = _Style()
        for k in self.__slots__:
            setattr(s, k, getattr(self, k))
        return s

    def span(self, text: str) -> Span:
        return Span(text, self.bold, self.italic, self.code, self.strike, self.underline,
                    self.link, self.color, self.highlight, self.baseline, self.kbd)


class InlineBuilder:
    """Walks inline tokens into spans and images, with a style stack."""

    def __init__(self, conv: "Converter", where: SourceSpan):
        self.conv = conv
        self.where = where
        self.items: list[Span | Image] = []
        self.stack: list[tuple[str, _Style]] = []
        self.skip = 0
        """Depth inside <script>/<style>/... whose content is never shown."""
        self.style = _Style()

    def push(self, tag: str) -> _Style:
        self.stack.append((tag, self.style))
        self.style = self.style.copy()
        return self.style

    def pop(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                self.style = self.stack[i][1]
                del self.stack[i:]
                return

    def text(self, t: str) -> None:
        if t and not self.skip:
            self.items.append(self.style.span(t))

    def run(self, tokens: list[Token]) -> list[Span | Image]:
        for i, tok in enumerate(tokens):
            self.token(tok, tokens, i)
        return self.items

    def token(self, tok: Token, tokens: list[Token], i: int) -> None:
        t = tok.type
        if t == "text":
            text = tok.content
            if i > 0 and tokens[i - 1].type in ("link_close", "image"):
                text = re.sub(r"^\{:[^}\n]*\}", "", text)   # span IAL on a link or image
            self.text(K.strip_ials(text))
        elif t == "softbreak":
            self.text(" ")
        elif t == "hardbreak":
            self.text("\n")
        elif t == "code_inline":
            s = self.push("`")
            s.code = True
            self.text(tok.content)
            self.pop("`")
        elif t in ("strong_open", "em_open", "s_open", "mark_open"):
            s = self.push(t[:-5])
            setattr(s, {"strong": "bold", "em": "italic", "s": "strike",
                        "mark": "highlight"}[t[:-5]], True)
        elif t in ("strong_close", "em_close", "s_close", "mark_close"):
            self.pop(t[:-6])
        elif t == "link_open":
            href = str(tok.attrs.get("href", ""))
            self.push("a").link = href if href and not href.startswith("#") else None
        elif t == "link_close":
            self.pop("a")
        elif t == "footnote_ref":             # a superscript number; the text goes to the end
            s = self.push("fn")
            s.baseline, s.link = 1, None
            self.text(str(tok.meta["id"] + 1))
            self.pop("fn")
        elif t == "dialect_text":             # text a dialect plugin substituted, maybe with a warning
            self.text(tok.content)
            if tok.meta.get("warning"):
                self.conv.diags.warning(tok.meta["code"], tok.meta["warning"], self.where)
        elif t == "image":
            ial = K.Attrs()
            if i + 1 < len(tokens) and tokens[i + 1].type == "text":
                m = re.match(r"^(\{:[^}\n]*\})+", tokens[i + 1].content)
                if m:
                    ial = K.parse_ials(m.group(0))
            alt = "".join(c.content for c in (tok.children or []))
            size = {k: str(tok.attrs[k]) for k in ("width", "height") if k in tok.attrs}  # ![[x.png|300]]
            self.items.append(self.conv.image(str(tok.attrs.get("src", "")), alt, {**size, **ial.values},
                                              self.where,
                                              title=str(tok.attrs.get("title") or "")))
        elif t == "html_inline":
            self.html(tok.content)
        elif t in ("math_inline", "math_inline_double", "math_inline_bracket"):
            from .render.tex import tex_to_text
            self.items.append(replace(self.style.span(tex_to_text(tok.content)), math=tok.content.strip()))

    def html(self, raw: str) -> None:
        if raw.startswith("<!--"):
            return
        parsed = H.parse_tag(raw)
        if not parsed:
            self.text(raw)
            return
        kind, name, attrs, _ = parsed
        if name == "br":
            self.text("\n")
        elif name == "img" and kind == "open":
            self.items.append(self.conv.image(attrs.get("src", ""), attrs.get("alt", ""), attrs, self.where))
        elif name in H.DANGEROUS:
            if kind == "open":
                self.conv.diags.warning("html-dropped", f"<{name}> dropped (never executed or fetched)",
                                        self.where)
                if name not in H.VOID and not parsed[3]:
                    self.skip += 1
            elif self.skip:
                self.skip -= 1
        elif name in H.INLINE_STYLE_TAGS:
            if kind == "close":
                self.pop(name)
                return
            s = self.push(name)
            role = H.INLINE_STYLE_TAGS[name]
            if role in ("bold", "italic", "underline", "strike", "code", "highlight", "kbd"):
                setattr(s, role, True)
                if role == "kbd":
                    s.code = True
            elif role == "sup":
                s.baseline = 1
            elif role == "sub":
                s.baseline = -1
            elif role == "link":
                href = attrs.get("href", "")
                s.link = href if href and not href.startswith("#") else None
            color = H.parse_color(attrs.get("color") or H.css_properties(attrs.get("style", "")).get("color"))
            if color:
                s.color = color
        # other tags (p, div, center, ...) inside a paragraph: dropped, text kept


def _trim(spans: list[Span]) -> tuple[Span, ...]:
    """Merge neighbours of one style, drop leading/trailing blanks and breaks."""
    out: list[Span] = []
    for s in spans:
        if out and replace(out[-1], text="") == replace(s, text="") and s.text != "\n" and out[-1].text != "\n":
            out[-1] = replace(s, text=out[-1].text + s.text)
        else:
            out.append(s)
    while out and not out[0].text.strip():
        out.pop(0)
    while out and not out[-1].text.strip():
        out.pop()
    if out:
        out[0] = replace(out[0], text=out[0].text.lstrip(" \t"))
        out[-1] = replace(out[-1], text=out[-1].text.rstrip(" \t"))
    return tuple(out)


class Converter:
    """Builds model blocks from markdown-it's syntax tree for one note."""

    def __init__(self, src: Source, diags: Diagnostics, resolver: AssetResolver, dialect: str = ""):
        self.src = src
        self.diags = diags
        self.resolver = resolver
        self.dialect = dialect
        """'marp': HTML comments are presenter notes and `![bg]` alts are options."""

    # ---------------------------------------------------------------- helpers
    def where(self, node: SyntaxTreeNode | Token, offset: int = 0) -> SourceSpan:
        m = node.map
        return self.src.span((m[0] if m else 0) + offset)

    def image(self, src: str, alt: str, attrs: dict[str, str], where: SourceSpan, title: str = "") -> Image:
        if self.dialect == "marp" and decks.is_background(alt):
            alt = ""                               # `![bg left:40%](x)`: options, not a description
        path = self.resolver.resolve(src, where, self.diags, alt=alt)
        if path and path.lower().endswith(".svg"):
            from .render.svg import svg_size
            size = svg_size(path, where, self.diags)
        else:
            size = image_size(path, where, self.diags) if path else None
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
            text = _trim(spans)
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
            if node.type == "html_block" and self.opens_container(node.content):
                j, block = self.html_container(nodes, i)
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
            inline = node.children[0] if node.children else None
            items = self.inline_items((inline.token.children or []) if inline else [], where)
            spans = _trim([s for s in items if isinstance(s, Span)])
            custom = re.search(r"\{#([\w-]+)\}\s*$", plain_text(spans))
            spans = self.strip_trailing_id(spans)
            anchor = custom.group(1) if custom else slugify(plain_text(spans))
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
            return self.html_block(node.content, where)
        if t == "callout":                    # Obsidian/GitHub `> [!kind] title`
            title = _trim([s for s in self.inline_items(node.meta["title"], where) if isinstance(s, Span)])
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
        if t == "text":
            return []
        self.diags.warning("unknown-block", f"unsupported Markdown block '{t}' kept as text", where)
        return [Paragraph((Span(node.content),), where)] if node.content.strip() else []

    @staticmethod
    def strip_trailing_id(spans: tuple[Span, ...]) -> tuple[Span, ...]:
        if spans and K.HEADER_ID.search(spans[-1].text):
            last = replace(spans[-1], text=K.strip_header_id(spans[-1].text))
            return _trim(list(spans[:-1]) + [last])
        return spans

    def inline_tokens(self, node: SyntaxTreeNode) -> list[Token]:
        inline = node.children[0] if node.children else None
        return (inline.token.children or []) if inline is not None else []

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
                    rest = _trim([replace(first, text=first.text[m.end():]), *blocks[0].spans[1:]])
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
                    cells.append(Cell(_trim([s for s in items if isinstance(s, Span)]), align))
                if section.type == "thead":
                    header = cells
                else:
                    rows.append(tuple(cells))
        return Table(tuple(header), tuple(rows), self.where(node))

    # ------------------------------------------------------------------- HTML
    CONTAINERS = ("details", "div", "center", "figure", "p", "section", "article", "aside")

    def opens_container(self, content: str) -> bool:
        content = COMMENT.sub("", content)
        first = re.match(r"\s*<\s*([a-zA-Z]+)", content)
        if not first or first.group(1).lower() not in self.CONTAINERS:
            return False
        name = first.group(1).lower()
        opens = len(re.findall(rf"<\s*{name}\b", content, re.I))
        closes = len(re.findall(rf"<\s*/\s*{name}\s*>", content, re.I))
        return opens > closes

    def html_container(self, nodes: list[SyntaxTreeNode], i: int) -> tuple[int, list[Block]]:
        """An HTML element that spans several Markdown blocks (`<details>` with Markdown inside)."""
        first = nodes[i]
        where = self.where(first)
        head = COMMENT.sub("", first.content)
        name = re.match(r"\s*<\s*([a-zA-Z]+)", head).group(1).lower()
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
        head_attrs = H.parse_tag(re.match(r"\s*(<[^>]*>)", head).group(1))
        attrs = head_attrs[2] if head_attrs else {}
        summary = re.search(r"<summary[^>]*>(.*?)</summary>", head + tail, re.S | re.I)
        head_rest = re.sub(r"<summary[^>]*>.*?</summary>", "", head, flags=re.S | re.I)
        inner: list[Block] = self.html_fragment(head_rest, where)
        inner += self.blocks(inner_nodes)
        inner += self.html_fragment(tail, self.where(nodes[j - 1]))
        return j, self.wrap_container(name, attrs, inner, summary.group(1) if summary else None, where)

    def wrap_container(self, name: str, attrs: dict[str, str], inner: list[Block], summary: str | None,
                       where: SourceSpan) -> list[Block]:
        ial = K.Attrs(classes=attrs.get("class", "").split())
        if name == "details":
            title = self.html_inline_spans(summary or "", where) if summary else (Span("상세"),)
            return [Callout("details", title, tuple(inner), where)]
        if name == "figure":
            inner = self.figure_caption(inner)
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
        tokens = _MD.parseInline(fragment.strip())[0].children or []
        return _trim([s for s in self.inline_items(tokens, where) if isinstance(s, Span)])

    def html_fragment(self, fragment: str, where: SourceSpan) -> list[Block]:
        """Blocks from the HTML between container tags (markdown="1" content is Markdown)."""
        fragment = re.sub(r"</?\s*(details|div|center|figure|section|article|aside)\b[^>]*>", "\n\n",
                          fragment, flags=re.I)
        fragment = re.sub(r"<summary[^>]*>.*?</summary>", "", fragment, flags=re.S | re.I)
        if not fragment.strip():
            return []
        tree = SyntaxTreeNode(_MD.parse(fragment))
        return self.blocks(tree.children)

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
        pad = lambda r: r + (Cell(()),) * (width - len(r))
        return [Table(pad(header) if header else (), tuple(pad(r) for r in body), where)]

    def marp_notes(self, content: str, where: SourceSpan) -> list[Block]:
        notes = [decks.comment_notes(c.group(0)) for c in COMMENT.finditer(content)]
        return [SpeakerNotes(tuple(Paragraph((Span(n),), where) for n in notes if n), where)] \
            if any(notes) else []

    def html_block(self, content: str, where: SourceSpan) -> list[Block]:
        notes = self.marp_notes(content, where) if self.dialect == "marp" else []
        if notes and not COMMENT.sub("", content).strip():
            return notes
        content = COMMENT.sub("", content)
        if not content.strip():
            return []
        first = re.match(r"\s*<\s*/?\s*([a-zA-Z][a-zA-Z0-9]*)", content)
        name = first.group(1).lower() if first else ""
        if name in H.INLINE_STYLE_TAGS or name in ("img", "br"):
            # kramdown treats a line starting with a span-level tag as a paragraph
            tokens = _MD.parseInline(content.strip())[0].children or []
            items = self.inline_items(tokens, where)
            return self.paragraph_blocks(items, where, None)
        if re.fullmatch(r"h[1-6]", name):
            m = re.search(rf"<{name}[^>]*>(.*?)</{name}>", content, re.S | re.I)
            spans = self.html_inline_spans(m.group(1) if m else H.visible_text(content)[0], where)
            return [Heading(int(name[1]), spans, where, slugify(plain_text(spans)))]
        if name == "table":
            return self.html_table(content, where)
        if name in self.CONTAINERS:
            head = H.parse_tag(re.match(r"\s*(<[^>]*>)", content).group(1))
            attrs = head[2] if head else {}
            inner = re.sub(rf"^\s*<{name}[^>]*>|</{name}>\s*$", "", content.strip(), flags=re.I)
            blocks = self.html_fragment(inner, where) if attrs.get("markdown") else \
                self.paragraph_blocks(self.inline_items(_MD.parseInline(inner.strip())[0].children or [],
                                                        where), where, None)
            return self.wrap_container(name, attrs, blocks, None, where)
        text, dropped = H.visible_text(content)
        for tag in dropped:
            if self.dialect == "marp" and tag == "style":     # Marp's <style scoped>: theme only
                self.diags.info("marp-style", "<style> of a Marp deck ignored", where)
                continue
            self.diags.warning("html-dropped", f"<{tag}> dropped (never executed or fetched)", where)
        return [Paragraph((Span(p.replace("\n", " ").strip()),), where)
                for p in text.split("\n\n") if p.strip()]


def parse_source(src: Source, diags: Diagnostics, resolver: AssetResolver) -> Document:
    """A Source -> Document: the note's blocks in reading order, with meta."""
    dialect = decks.detect(src.front_matter, src.text)
    if dialect == "pandoc":
        title_block, text = decks.pandoc_title_block(src.text)
        src = replace(src, text=text, front_matter={**title_block, **src.front_matter})
    meta = meta_from(src.front_matter, diags, src.path)
    src = replace(src, text=decks.remove_pauses(src.text, src.path, src.line_offset, diags))
    for prepass in (liquid.prepass, K.prepass, obsidian.prepass):   # each keeps line numbers
        src = replace(src, text=prepass(src, diags))
    tree = SyntaxTreeNode(_MD.parse(src.text))
    blocks = Converter(src, diags, resolver, dialect).blocks(tree.children)
    return Document(meta, tuple(blocks), src.path, dialect)


def parse_note(path: Path, diags: Diagnostics, *, display: str | None = None,
               root: Path | None = None) -> Document:
    """Read and parse one note file (convenience for tests and the pipeline)."""
    from .assets import find_project_root
    from .source import read_source

    src = read_source(path, display or str(path), diags)
    resolver = AssetResolver(path.resolve(), root or find_project_root(path))
    return parse_source(src, diags, resolver)
