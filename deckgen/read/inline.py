"""Inline tokens -> styled spans (and images), with a style stack for raw HTML tags."""
from __future__ import annotations

import re
from dataclasses import replace

from markdown_it.token import Token

from deckgen.read.context import ParseContext
from deckgen.read.dialects import html as H
from deckgen.read.dialects import kramdown as K
from deckgen.model import Image, SourceSpan, Span



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

    def copy(self) -> _Style:
        s = _Style()
        for k in self.__slots__:
            setattr(s, k, getattr(self, k))
        return s

    def span(self, text: str) -> Span:
        return Span(text, self.bold, self.italic, self.code, self.strike, self.underline,
                    self.link, self.color, self.highlight, self.baseline, self.kbd)


REFUSED_SCHEME = re.compile(r"^\s*(javascript|vbscript|file|data):", re.I)
"""Link schemes that must never reach a deck: a click would run code or open a local file."""


class InlineBuilder:
    """Walks inline tokens into spans and images, with a style stack."""

    def __init__(self, conv: ParseContext, where: SourceSpan):
        self.conv = conv
        self.where = where
        self.items: list[Span | Image] = []
        self.stack: list[tuple[str, _Style]] = []
        self.skip = 0
        """Depth inside <script>/<style>/... whose content is never shown."""
        self.style = _Style()

    def safe_href(self, href: str) -> str | None:
        """A link target worth writing: not an anchor, and no script or local-file scheme."""
        if not href or href.startswith("#"):
            return None
        if REFUSED_SCHEME.match(href):
            self.conv.diags.warning("link-refused", f"link to {href[:60]} removed (its scheme is never "
                                    "followed); its text is kept", self.where)
            return None
        return href

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
                text = K.SPAN_ATTRS.sub("", text)   # kramdown IAL / pandoc attributes on a link or image
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
            self.push("a").link = self.safe_href(str(tok.attrs.get("href", "")))
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
                m = K.SPAN_ATTRS.match(tokens[i + 1].content)
                if m:
                    ial = K.parse_span_attrs(m.group(0))
            alt = "".join(c.content for c in (tok.children or []))
            # ![[x.png|300]]
            size: dict[str, str] = {k: str(tok.attrs[k]) for k in ("width", "height") if k in tok.attrs}
            self.items.append(self.conv.image(str(tok.attrs.get("src", "")), alt, {**size, **ial.values},
                                              self.where,
                                              title=str(tok.attrs.get("title") or "")))
        elif t == "html_inline":
            self.html(tok.content)
        elif t in ("math_inline", "math_inline_double", "math_inline_bracket"):
            from deckgen.render.tex import tex_to_text
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
                s.link = self.safe_href(attrs.get("href", ""))
            color = H.parse_color(attrs.get("color") or H.css_properties(attrs.get("style", "")).get("color"))
            if color:
                s.color = color
        elif name not in H.HTML_ELEMENTS:
            self.text(raw)          # `<none>`, `<pod-name>`: a placeholder to show, not a tag
        # other tags (p, div, center, ...) inside a paragraph: dropped, text kept


def trim_spans(spans: list[Span]) -> tuple[Span, ...]:
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
