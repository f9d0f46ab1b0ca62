"""Handout backend: the whole note as an A4 PDF for students, through WeasyPrint.

This is the only module that imports WeasyPrint.  It writes one HTML file
(cover, contents, the note in reading order) plus CSS generated from the
theme (fonts as file:// @font-face rules, sizes and colours as custom
properties), then lets WeasyPrint paginate it.  Korean wraps by word: every
Hangul word is a ``white-space: nowrap`` span, because WeasyPrint ignores
``word-break: keep-all``.  Nothing is fetched from the network: a URL fetcher
only opens local files under the note folder, the theme and the fonts.
"""
from __future__ import annotations

import contextlib
import html
import logging
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from deckgen.diagnostics import Diagnostics
from deckgen.bounds.limits import short_text
from deckgen.model import (BLOCK_TYPES, Block, BulletList, Callout, Cell, CodeBlock, Columns, Document, Heading,
                     Image, Inline, ListItem, Paragraph, Quote, Rule, SourceSpan, Span, SpeakerNotes,
                     Table, TableOfContents, child_blocks, plain_text)
from deckgen.cachedir import cache_root
from deckgen.theme.load import BUILTIN_THEMES, Theme

__all__ = ["render_handout_html", "build_handout_pdf", "handout_url_fetcher", "wrap_words"]

NOTES_LABEL = "강의 노트"
TOC_TITLE = "목차"
TOC_MIN_HEADINGS = 2
"""A contents page for fewer headings than this would be an empty page."""
WORD_JOINER = "\u2060"
"""Forbids a line break (UAX #14 class WJ), draws nothing and is not extracted as text.  WeasyPrint
ignores `word-break: keep-all`; a joiner between the characters of each Korean word gives the same
breaks as a `white-space: nowrap` span per word, with one text box instead of hundreds (9x faster)."""
LONG_WORD = 40
"""Words this long or longer may break anywhere (URLs, identifiers), never nowrap."""
ALIGNS = {"left", "center", "right", "justify"}
LINK_SCHEMES = {"http", "https", "mailto", "ftp", "tel"}
FOOTNOTE_SCHEMES = {"http", "https", "ftp"}
_HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7a3\ud7b0-\ud7ff]")
_SPLIT = re.compile(r"(\n|[^\S\n\u00a0]+)")
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(px|%|pt|mm|cm|in|em)?\s*$")
_HEX = re.compile(r"^#?([0-9A-Fa-f]{6})$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


# ====================================================================== API
def render_handout_html(doc: Document, theme: Theme, diags: Diagnostics, *, base_dir: Path) -> str:
    """The handout as one HTML page (generated CSS inline, theme CSS linked)."""
    writer = _HtmlWriter(doc, theme, diags, _Roots.for_theme(theme, base_dir))
    return writer.document()


def build_handout_pdf(doc: Document, theme: Theme, diags: Diagnostics, *, base_dir: Path) -> bytes:
    """The handout PDF; WeasyPrint's own warnings become diagnostics."""
    from weasyprint import HTML

    page = render_handout_html(doc, theme, diags, base_dir=base_dir)
    fetcher = handout_url_fetcher(theme, base_dir)
    base_url = Path(base_dir).resolve().as_uri() + "/"
    with _capture_weasyprint(diags, SourceSpan(doc.path, 0)):
        return HTML(string=page, base_url=base_url, url_fetcher=fetcher).write_pdf()


# ============================================================ safe fetching
@dataclass(frozen=True)
class _Roots:
    """Local files the handout may read: folders (recursively) and single files."""

    base: Path
    """The note folder (relative image paths are read from here)."""
    folders: tuple[Path, ...]
    files: frozenset[Path]

    @classmethod
    def for_theme(cls, theme: Theme, base_dir: Path) -> _Roots:
        folders = [Path(base_dir), cache_root(Path(base_dir)), theme.folder, BUILTIN_THEMES / "default"]
        folders += [p.parent for p in theme.css_files]
        faces = (theme.fonts.heading, theme.fonts.body, theme.fonts.mono)
        files = {Path(f.path).resolve() for face in faces for f in (face.regular, face.bold)}
        return cls(Path(base_dir).resolve(), tuple(p.resolve() for p in folders), frozenset(files))

    def allows(self, path: Path) -> bool:
        real = path.resolve()
        return real in self.files or any(real.is_relative_to(f) for f in self.folders)


def handout_url_fetcher(theme: Theme, base_dir: Path) -> Any:
    """A WeasyPrint URL fetcher that opens data: URIs and allowed local files only."""
    from weasyprint.urls import URLFetcher

    roots = _Roots.for_theme(theme, base_dir)

    class HandoutURLFetcher(URLFetcher):
        def fetch(self, url: str, headers: dict | None = None) -> Any:
            if url.lower().startswith("data:"):
                return super().fetch(url, headers)
            path = _local_path(url)
            if path is None or not roots.allows(path):
                raise ValueError(f"the handout only reads files under {base_dir} or the theme; "
                                 f"refused {url}")
            return super().fetch(url, headers)

    return HandoutURLFetcher(allowed_protocols=("file", "data"), allow_redirects=False)


def _local_path(url: str) -> Path | None:
    """The file a file: URL names, or None for any other URL."""
    parts = urlsplit(url)
    if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
        return None
    return Path(url2pathname(parts.path))


_CAPTURING: dict[int, tuple[Diagnostics, SourceSpan]] = {}
"""Threads building a handout now, and where their WeasyPrint warnings go."""


def _weasyprint_filter(record: logging.LogRecord) -> bool:
    """Turn a WeasyPrint warning of a building thread into a diagnostic (and swallow it:
    stages never print); let every other record through."""
    target = _CAPTURING.get(record.thread or 0)
    if target is None or record.levelno < logging.WARNING:
        return True
    diags, source = target
    diags.warning("handout-render", f"handout: {record.getMessage()}", source)
    return False


@contextlib.contextmanager
def _capture_weasyprint(diags: Diagnostics, source: SourceSpan) -> Iterator[None]:
    """WeasyPrint's warnings go to *diags* while this thread makes a PDF."""
    logger = logging.getLogger("weasyprint")
    if _weasyprint_filter not in logger.filters:
        logger.addFilter(_weasyprint_filter)
    _CAPTURING[threading.get_ident()] = (diags, source)
    try:
        yield
    finally:
        _CAPTURING.pop(threading.get_ident(), None)


# ============================================================ generated CSS
def theme_css(theme: Theme, diags: Diagnostics) -> str:
    """CSS that carries theme.toml into the handout: fonts, variables, page, callouts, code."""
    parts = [_font_faces(theme), _root_vars(theme), _page_rule(theme),
             _callout_rules(theme), _pygments_rules(theme, diags)]
    return "\n".join(p for p in parts if p)


def _css_str(text: str) -> str:
    """A double-quoted CSS string."""
    out = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\a ")
    return f'"{out}"'


def _face_name(family: str) -> str:
    """The @font-face name of a theme family: unique, so that no installed font with
    the same name can shadow the theme's file, yet the PDF font name shows the family."""
    return f"deckgen {family}"


def _font_faces(theme: Theme) -> str:
    """@font-face rules for the theme's resolved font files (regular and bold).

    Collections (.ttc) are skipped: WeasyPrint would register every face of the
    file under one name; the family name (installed, fontconfig) is used instead.
    """
    rules: dict[str, None] = {}
    for _role, face in _faces(theme):
        files = [(face.regular, "normal")]
        if face.bold.path != face.regular.path:
            files.append((face.bold, "bold"))
        for font, weight in files:
            if Path(font.path).suffix.lower() in (".ttc", ".otc"):
                continue
            rules[f"@font-face {{ font-family: {_css_str(_face_name(face.family))}; "
                  f"src: url({_css_str(Path(font.path).resolve().as_uri())}); "
                  f"font-weight: {weight}; font-style: normal; }}"] = None
    return "\n".join(rules)


def _faces(theme: Theme) -> list[tuple[str, Any]]:
    return [("heading", theme.fonts.heading), ("body", theme.fonts.body), ("mono", theme.fonts.mono)]


def _font_stack(role: str, family: str) -> str:
    generic = "monospace" if role == "mono" else "sans-serif"
    names = [_face_name(family), family, "Noto Sans CJK KR", "NanumGothic"]
    return ", ".join(_css_str(n) for n in dict.fromkeys(names)) + f", {generic}"


def _theme_source(theme: Theme) -> SourceSpan:
    return SourceSpan(str(theme.folder / "theme.toml"), 0)


def _root_vars(theme: Theme) -> str:
    """Custom properties that handout.css reads."""
    lines = [f"  --font-{role}: {_font_stack(role, face.family)};" for role, face in _faces(theme)]
    h = theme.handout
    lines += [f"  --body-size: {h.body_size:g}pt;", f"  --code-size: {h.code_size:g}pt;",
              f"  --line-height: {h.line_height:g};"]
    for side, mm in zip(("top", "right", "bottom", "left"), h.margin_mm):
        lines.append(f"  --margin-{side}: {mm:g}mm;")
    for key, value in theme.colors.palette().items():
        lines.append(f"  --color-{key.replace('_', '-')}: #{value};")
    return ":root {\n" + "\n".join(lines) + "\n}"


def _page_rule(theme: Theme) -> str:
    return (f"@page {{ size: {theme.handout.page}; margin: var(--margin-top) var(--margin-right) "
            "var(--margin-bottom) var(--margin-left); }")


def _callout_rules(theme: Theme) -> str:
    return "\n".join(f".callout-{_css_ident(kind)} {{ --callout-fill: #{c.fill}; "
                     f"--callout-border: #{c.border}; }}" for kind, c in theme.callouts.items())


def _css_ident(name: str) -> str:
    return re.sub(r"[^a-z0-9-]", "-", name.lower())


def _pygments_rules(theme: Theme, diags: Diagnostics) -> str:
    """Token colours of the theme's Pygments style, scoped to .hl (no background, no error boxes)."""
    from pygments.formatters import HtmlFormatter
    from pygments.util import ClassNotFound

    name = theme.colors.pygments_style
    try:
        defs = HtmlFormatter(style=name, classprefix="pg-").get_style_defs(".hl")
    except ClassNotFound:
        diags.warning("theme-pygments", f"colors.pygments_style: unknown style {name!r}; "
                      "using 'default'", _theme_source(theme))
        defs = HtmlFormatter(style="default", classprefix="pg-").get_style_defs(".hl")
    keep = [ln for ln in defs.splitlines()
            if ln.startswith(".hl .pg-") and not ln.startswith((".hl .pg-err", ".hl .pg-hll"))]
    return "\n".join(keep)


# ============================================================ inline text
def wrap_words(text: str) -> str:
    """Escaped *text* with each short Hangul word kept whole (no break inside it)."""
    return _render_inline((Span(text),), links=False, resolve=lambda s: None)


@dataclass
class _Tok:
    kind: str
    """'word' | 'space' | 'br'."""
    pieces: list[tuple[Span, str]]
    link_ends: list[str] = field(default_factory=list)
    """URLs of links that end in this token (printed as footnotes after it)."""


def _tokenize(spans: Inline) -> list[_Tok]:
    """Words (possibly across styled spans), runs of spaces and line breaks."""
    toks: list[_Tok] = []
    for span in spans:
        if span.math_svg:                           # a drawn inline formula: one unbreakable piece
            toks.append(_Tok("math", [(span, span.text)]))
            continue
        for chunk in _SPLIT.split(span.text):
            if not chunk:
                continue
            kind = "br" if chunk == "\n" else "word" if not chunk.isspace() else "space"
            if kind == "word" and toks and toks[-1].kind == "word":
                toks[-1].pieces.append((span, chunk))
            else:
                toks.append(_Tok(kind, [(span, chunk)]))
    return toks


def _mark_link_ends(toks: list[_Tok], footnote_of) -> None:
    """Attach to each token the footnote URLs of link runs that end inside it."""
    flat = [(tok, span, text) for tok in toks for span, text in tok.pieces]
    run_text = ""
    for i, (tok, span, text) in enumerate(flat):
        run_text += text if span.link else ""
        nxt = flat[i + 1][1].link if i + 1 < len(flat) else None
        if span.link and nxt != span.link:
            url = footnote_of(span.link, run_text)
            if url:
                tok.link_ends.append(url)
            run_text = ""
        elif not span.link:
            run_text = ""


def _layers(span: Span, links: bool, resolve) -> tuple[tuple[str, str, str], ...]:
    """(key, open tag, close tag) of a span's styles, outermost first."""
    out: list[tuple[str, str, str]] = []
    if span.link and links:
        href = resolve(span.link)
        if href:
            out.append((f"a {href}", f'<a href="{html.escape(href)}">', "</a>"))
        else:
            out.append(("a-", '<span class="link-text">', "</span>"))
    color = _HEX.match(span.color or "")
    if color:
        out.append((f"c {color[1]}", f'<span style="color: #{color[1]}">', "</span>"))
    flags = [(span.highlight, "mark"), (span.bold, "strong"), (span.italic, "em"),
             (span.underline, "u"), (span.strike, "s"), (span.baseline > 0, "sup"),
             (span.baseline < 0, "sub"), (span.code and not span.kbd, "code"), (span.kbd, "kbd")]
    out += [(tag, f"<{tag}>", f"</{tag}>") for on, tag in flags if on]
    return tuple(out)


class _InlineWriter:
    """Emits pieces, opening and closing style tags only where they change."""

    def __init__(self, links: bool, resolve, joiners: bool = True):
        self.joiners = joiners
        """Keep Korean words whole with word joiners; False: nowrap spans (headings, whose
        text also becomes the PDF bookmark, where a joiner would be kept as a character)."""
        self.out: list[str] = []
        self.stack: tuple[tuple[str, str, str], ...] = ()
        self.links, self.resolve = links, resolve
        self.layers: dict[int, tuple[tuple[str, str, str], ...]] = {}
        """Layers per span (id): each link target is resolved, and reported, once."""

    def go(self, span: Span | None) -> None:
        if span is not None and id(span) not in self.layers:
            self.layers[id(span)] = _layers(span, self.links, self.resolve)
        target = self.layers[id(span)] if span is not None else ()
        keep = 0
        while keep < min(len(target), len(self.stack)) and target[keep][0] == self.stack[keep][0]:
            keep += 1
        self.out += [close for _, _, close in reversed(self.stack[keep:])]
        self.out += [opening for _, opening, _ in target[keep:]]
        self.stack = target

    def word(self, tok: _Tok) -> None:
        text = "".join(t for _, t in tok.pieces)
        keep = bool(_HANGUL.search(text)) and len(text) < LONG_WORD
        cls = "lw" if len(text) >= LONG_WORD else "w" if keep and not self.joiners else ""
        keep = keep and self.joiners
        if len(tok.pieces) == 1:
            self.go(tok.pieces[0][0])
        else:
            self.go(None)
        self.out.append(f'<span class="{cls}">' if cls else "")
        for n, (span, piece) in enumerate(tok.pieces):
            if len(tok.pieces) > 1:
                self.go(span)
            if keep:      # a Korean word never breaks: word joiners between its characters
                piece = WORD_JOINER.join(piece) + (WORD_JOINER if n < len(tok.pieces) - 1 else "")
            self.out.append(html.escape(piece))
        if len(tok.pieces) > 1:
            self.go(None)
        self.footnotes(tok)
        self.out.append("</span>" if cls else "")

    def footnotes(self, tok: _Tok) -> None:
        self.out += [f'<span class="fn">{html.escape(url)}</span>' for url in tok.link_ends]

    def text(self) -> str:
        self.go(None)
        return "".join(self.out)


def _math_img(span: Span) -> str:
    """An inline formula as vectors, sized in ems so it follows the text size."""
    w, h = span.math_em
    src = html.escape(Path(span.math_svg or "").resolve().as_uri())   # math tokens come from spans with an SVG
    return (f'<img class="math-inline" src="{src}" alt="{html.escape(span.math or "")}" '
            f'style="width: {w:.3f}em; height: {h:.3f}em">')


def _render_inline(spans: Inline, *, links: bool, resolve, footnote_of=None, joiners: bool = True) -> str:
    """HTML for *spans*: escaped, styled, Korean words kept whole."""
    toks = _tokenize(spans)
    if footnote_of:
        _mark_link_ends(toks, footnote_of)
    w = _InlineWriter(links, resolve, joiners)
    for tok in toks:
        if tok.kind == "word":
            w.word(tok)
            continue
        if tok.kind == "math":
            w.go(None)
            w.out.append(_math_img(tok.pieces[0][0]))
            continue
        w.go(tok.pieces[0][0])
        w.out.append("<br>" if tok.kind == "br" else html.escape(tok.pieces[0][1]))
        w.footnotes(tok)
    return w.text()


# ============================================================ the document
def _chapter_level(levels: list[int]) -> int | None:
    """The level named in the running header: the highest one used more than once
    (a lone top heading usually repeats the note title, already on the left)."""
    for level in sorted(set(levels)):
        if levels.count(level) > 1:
            return level
    return None


class _HtmlWriter:
    """Renders one Document; holds the heading ids shared by headings, TOC and links."""

    def __init__(self, doc: Document, theme: Theme, diags: Diagnostics, roots: _Roots):
        self.doc, self.theme, self.diags, self.roots = doc, theme, diags, roots
        self.notes_on = theme.handout.speaker_notes
        self.footnotes_on = theme.handout.link_footnotes
        self.source = SourceSpan(doc.path, 0)
        self.headings = [b for b in self._walk(doc.blocks) if isinstance(b, Heading)]
        self.ids = {id(h): f"sec-{i + 1}" for i, h in enumerate(self.headings)}
        self.anchors = {h.anchor: self.ids[id(h)] for h in reversed(self.headings) if h.anchor}
        self.top_level = min((self._level(h) for h in self.headings), default=1)
        self.chapter_level = _chapter_level([self._level(h) for h in self.headings])
        self.render: dict[type, Callable[[Any], str]] = {
                       Paragraph: self.paragraph, Heading: self.heading, BulletList: self.bullets,
                       CodeBlock: self.code, Table: self.table, Image: self.image,
                       Quote: self.quote, Callout: self.callout, Rule: self.rule,
                       SpeakerNotes: self.notes, TableOfContents: self.toc_inline, Columns: self.columns}

    # ---------------------------------------------------------------- walking
    def _walk(self, blocks: tuple[Block, ...]) -> Iterator[Block]:
        """Every block that will be rendered, in document order."""
        for b in blocks:
            yield b
            if isinstance(b, SpeakerNotes) and not self.notes_on:
                continue
            for inner in child_blocks(b) if isinstance(b, BLOCK_TYPES) else ():   # unknown: render() warns
                yield from self._walk(inner)

    @staticmethod
    def _level(h: Heading) -> int:
        return min(max(h.level, 1), 6)

    # ----------------------------------------------------------------- inline
    def inline(self, spans: Inline, *, links: bool = True, footnotes: bool = False, joiners: bool = True) -> str:
        fn = self._footnote_url if footnotes and self.footnotes_on else None
        return _render_inline(spans, links=links, resolve=self._href, footnote_of=fn, joiners=joiners)

    def _href(self, link: str) -> str | None:
        """A link target usable in the PDF: internal anchors and web/mail URLs only."""
        if link.startswith("#"):
            key = unquote(link[1:])
            if key in self.anchors:
                return "#" + self.anchors[key]
            self.diags.info("handout-link", f"no heading has the anchor {link!r}; "
                            "the handout shows the link text without a link", self.source)
            return None
        scheme = urlsplit(link).scheme.lower()
        if scheme in LINK_SCHEMES:
            return link
        self.diags.info("handout-link", f"link target {link!r} is not a web address; "
                        "the handout shows its text without a link", self.source)
        return None

    @staticmethod
    def _footnote_url(link: str, text: str) -> str | None:
        """The URL to print under the page, unless the link text already shows it."""
        scheme = urlsplit(link).scheme.lower()
        if scheme not in FOOTNOTE_SCHEMES:
            return None
        bare = re.sub(r"^[a-z]+://", "", link, flags=re.I).rstrip("/")
        shown = re.sub(r"^[a-z]+://", "", text.strip(), flags=re.I).rstrip("/")
        return None if shown == bare else link

    # ------------------------------------------------------------------ pages
    def document(self) -> str:
        meta = self.doc.meta
        head = ['<meta charset="utf-8">', f"<title>{html.escape(self.title())}</title>"]
        if meta.author:
            head.append(f'<meta name="author" content="{html.escape(meta.author)}">')
        if meta.tags:
            head.append(f'<meta name="keywords" content="{html.escape(", ".join(meta.tags))}">')
        if meta.subtitle:
            head.append(f'<meta name="description" content="{html.escape(meta.subtitle)}">')
        if _ISO_DATE.match(meta.date):
            head.append(f'<meta name="dcterms.created" content="{meta.date}">')
        head.append(f"<style>\n{theme_css(self.theme, self.diags)}\n</style>")
        head += [f'<link rel="stylesheet" href="{html.escape(p.resolve().as_uri())}">'
                 for p in self.css_files()]
        body = [self.cover()]
        if self.theme.handout.toc and len(self.headings) >= TOC_MIN_HEADINGS:
            body.append(f'<nav class="toc toc-front"><h2 class="toc-title">{TOC_TITLE}</h2>'
                        f"{self.toc_list()}</nav>")
        body.append(f'<main class="content">\n{self.blocks(self.doc.blocks)}\n</main>')
        lang = html.escape(meta.lang or "ko-KR")
        return (f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n' + "\n".join(head) +
                "\n</head>\n<body>\n" + "\n".join(body) + "\n</body>\n</html>\n")

    def css_files(self) -> tuple[Path, ...]:
        """The theme chain's handout.css files; the built-in one if the chain has none."""
        if self.theme.css_files:
            return self.theme.css_files
        return (BUILTIN_THEMES / "default" / "handout.css",)

    def title(self) -> str:
        """Front-matter title; else a '# title' opening the note; else the file name."""
        if self.doc.meta.title:
            return self.doc.meta.title
        first = self.doc.blocks[0] if self.doc.blocks else None
        if isinstance(first, Heading) and first.level == 1:
            return plain_text(first.spans).replace("\n", " ")
        return Path(self.doc.path).stem or "강의 자료"

    def cover(self) -> str:
        meta = self.doc.meta
        parts = [f'<h1 class="cover-title">{wrap_words(self.title())}</h1>']
        if meta.subtitle:
            parts.append(f'<p class="cover-subtitle">{wrap_words(meta.subtitle)}</p>')
        band = '<div class="cover-band">' + "".join(parts) + "</div>"
        info = [f'<p class="cover-{k}">{wrap_words(v)}</p>'
                for k, v in (("author", meta.author), ("date", meta.date)) if v]
        tags = "".join(f"<li>{wrap_words(t)}</li>" for t in meta.tags)
        if tags:
            info.append(f'<ul class="cover-tags">{tags}</ul>')
        meta_html = f'<div class="cover-meta">{"".join(info)}</div>' if info else ""
        return f'<section class="cover">{band}{meta_html}</section>'

    def toc_list(self) -> str:
        items = []
        for h in self.headings:
            depth = self._level(h) - self.top_level + 1
            items.append(f'<li class="toc-d{depth}"><a href="#{self.ids[id(h)]}">'
                         f"{self.inline(h.spans, links=False)}</a></li>")
        return '<ol class="toc-list">' + "".join(items) + "</ol>"

    # ----------------------------------------------------------------- blocks
    def blocks(self, blocks: tuple) -> str:
        return "\n".join(self.block(b) for b in blocks)

    def block(self, b: Any) -> str:
        outer, src = self.source, getattr(b, "source", None)
        if isinstance(src, SourceSpan):
            self.source = SourceSpan(src.path or self.doc.path, src.line)
        render = self.render.get(type(b))
        try:
            return render(b) if render else self.unknown(b)
        finally:
            self.source = outer

    def paragraph(self, p: Paragraph) -> str:
        cls = f' class="align-{p.align}"' if p.align in ALIGNS else ""
        return f"<p{cls}>{self.inline(p.spans, footnotes=True)}</p>"

    def heading(self, h: Heading) -> str:
        n = self._level(h)
        cls = ' class="chapter"' if n == self.chapter_level else ""
        return f'<h{n} id="{self.ids[id(h)]}"{cls}>{self.inline(h.spans, joiners=False)}</h{n}>'

    def bullets(self, lst: BulletList) -> str:
        items = "".join(self.item(i) for i in lst.items)
        if not lst.ordered:
            return f"<ul>{items}</ul>"
        if lst.start == 1:
            return f"<ol>{items}</ol>"
        n = int(lst.start)  # WeasyPrint ignores start= without presentational hints
        return f'<ol start="{n}" style="counter-reset: list-item {n - 1}">{items}</ol>'

    def item(self, item: ListItem) -> str:
        cls = "" if item.checked is None else \
            ' class="task done"' if item.checked else ' class="task"'
        return f"<li{cls}>{self.blocks(item.blocks)}</li>"

    def code(self, c: CodeBlock) -> str:
        lang = c.language.strip()
        label = f'<span class="code-lang">{html.escape(lang)}</span>' if lang else ""
        cls = "codeblock has-lang" if lang else "codeblock"
        return (f'<div class="{cls}">{label}<pre class="code hl"><code>'
                f"{self._highlight(c.code, lang)}</code></pre></div>")

    def _highlight(self, code: str, lang: str) -> str:
        """Pygments token spans (classes pg-*), or escaped text when the language is unknown."""
        from pygments import highlight
        from pygments.formatters import HtmlFormatter
        from pygments.lexers import get_lexer_by_name
        from pygments.util import ClassNotFound

        if not lang:
            return html.escape(code)
        try:
            lexer = get_lexer_by_name(lang, stripnl=False, ensurenl=False)
        except ClassNotFound:
            self.diags.info("code-language", f"no highlighter for language {lang!r}; "
                            "the handout shows the code plain", self.source)
            return html.escape(code)
        out = highlight(code, lexer, HtmlFormatter(nowrap=True, classprefix="pg-"))
        return out[:-1] if out.endswith("\n") and not code.endswith("\n") else out

    def table(self, t: Table) -> str:
        width = max([len(t.header)] + [len(r) for r in t.rows])
        head = ""
        if any(plain_text(c.spans).strip() for c in t.header):
            head = f"<thead><tr>{self.cells(t.header, 'th', width)}</tr></thead>"
        rows = "".join(f"<tr>{self.cells(r, 'td', width)}</tr>" for r in t.rows)
        return f"<table>{head}<tbody>{rows}</tbody></table>"

    def cells(self, cells: tuple[Cell, ...], tag: str, width: int) -> str:
        out = []
        for c in cells + (Cell(()),) * (width - len(cells)):
            cls = f' class="align-{c.align}"' if c.align in ALIGNS else ""
            body = self.inline(c.spans, footnotes=tag == "td")  # thead repeats on every page
            out.append(f"<{tag}{cls}>{body}</{tag}>")
        return "".join(out)

    def image(self, img: Image) -> str:
        style = self._image_style(img)
        align = f" align-{img.align}" if img.align in ALIGNS else ""
        caption = f"<figcaption>{self.inline(img.caption)}</figcaption>" if img.caption else ""
        path = self.roots.base / img.path if img.path else None
        if path is not None and not self.roots.allows(path):
            self.diags.warning("image-outside", f"image {img.src!r} is outside the note folder; "
                               "the handout shows a placeholder", self.source)
            path = None
        if path is None or not path.is_file():
            return f'<figure class="figure missing{align}">{self._placeholder(img, style)}{caption}</figure>'
        path = self._prepared(path, img)
        if path is None:
            return f'<figure class="figure missing{align}">{self._placeholder(img, style)}{caption}</figure>'
        src = html.escape(path.resolve().as_uri())
        return (f'<figure class="figure{align}"><img src="{src}" alt="{html.escape(img.alt)}"'
                f'{style}>{caption}</figure>')

    def _prepared(self, path: Path, img: Image) -> Path | None:
        """A raster picture oriented, converted and downscaled for the page (render.raster);
        SVG files and rendered diagrams are drawn as they are, as vectors.  None (a placeholder
        and a warning) when it cannot be prepared: the file itself is never handed to WeasyPrint
        then, since it would decode it in full (a 108 Mpx PNG is 922 MB)."""
        from deckgen.render.raster import RasterError, handout_file

        if img.kind != "picture":
            return path
        try:
            return Path(handout_file(str(path), cache_root(self.roots.base) / "figures"))
        except (RasterError, OSError) as e:
            self.diags.warning("image-unreadable", f"image {path.name}: {e}; the handout shows a "
                               "placeholder", img.source or self.source)
            return None

    def _image_style(self, img: Image) -> str:
        if img.kind == "math" and img.pixel_size:   # formulas follow the handout's text size
            from deckgen.render import math_em_px
            em = math_em_px(self.theme.sizes.body)
            return f' style="width: {img.pixel_size[0] / em:.3f}em; height: {img.pixel_size[1] / em:.3f}em"'
        rules = []
        for prop, value in (("width", img.width), ("height", img.height)):
            if not value:
                continue
            m = _SIZE.match(value)
            if m:
                rules.append(f"{prop}: {m[1]}{m[2] or 'px'}")
            else:
                self.diags.warning("image-size", f"image {prop} {value!r} is not a size like "
                                   "'300', '300px' or '50%'; ignored in the handout", self.source)
        return f' style="{"; ".join(rules)}"' if rules else ""

    def _placeholder(self, img: Image, style: str) -> str:
        alt = f'<span class="missing-alt">{wrap_words(img.alt)}</span>' if img.alt else ""
        return (f'<div class="image-missing"{style}><span class="missing-label">이미지 없음</span>'
                f'{alt}<span class="missing-src">{wrap_words(short_text(img.src))}</span></div>')

    def columns(self, c: Columns) -> str:
        cols = "".join(f'<div class="column">{self.blocks(col)}</div>' for col in c.columns)
        return f'<div class="columns">{cols}</div>'

    def quote(self, q: Quote) -> str:
        return f"<blockquote>{self.blocks(q.blocks)}</blockquote>"

    def callout(self, c: Callout) -> str:
        kind = c.kind if c.kind in self.theme.callouts else "note"
        title = self.inline(c.title) if c.title else wrap_words(self.theme.callout(c.kind).label)
        return (f'<aside class="callout callout-{_css_ident(kind)}">'
                f'<p class="callout-title">{title}</p>{self.blocks(c.blocks)}</aside>')

    def rule(self, r: Rule) -> str:
        return "<hr>"

    def notes(self, n: SpeakerNotes) -> str:
        if not self.notes_on:
            return ""
        return (f'<aside class="notes"><p class="notes-label">{NOTES_LABEL}</p>'
                f"{self.blocks(n.blocks)}</aside>")

    def toc_inline(self, t: TableOfContents) -> str:
        return f'<nav class="toc toc-inline">{self.toc_list()}</nav>' if self.headings else ""

    def unknown(self, b: Any) -> str:
        """A block type this backend does not know: its text, and a warning."""
        self.diags.warning("handout-unknown-block", f"the handout does not know "
                           f"{type(b).__name__} blocks; only their text is shown",
                           self.source)
        parts = []
        if isinstance(getattr(b, "spans", None), tuple):
            parts.append(f"<p>{self.inline(b.spans)}</p>")
        for attr in ("text", "code"):
            if isinstance(getattr(b, attr, None), str):
                parts.append(f'<p class="unknown">{wrap_words(getattr(b, attr))}</p>')
        if isinstance(getattr(b, "blocks", None), tuple):
            parts.append(self.blocks(b.blocks))
        return f'<div class="unknown-block">{"".join(parts)}</div>'
