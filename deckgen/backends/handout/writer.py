"""The handout's HTML page for one Document: cover, contents, the note in reading order.

HtmlWriter holds what the whole page shares (heading ids used by headings, the contents and
internal links; the block being rendered, for diagnostics) and dispatches each block to its
renderer (blocks.py, figures.py)."""
from __future__ import annotations

import html
import re
from pathlib import Path
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import unquote, urlsplit

from deckgen import __version__
from deckgen.backends.handout.blocks import LANDSCAPE_OPEN, BlockWriter
from deckgen.backends.handout.css import theme_css
from deckgen.backends.handout.inline import LONG_WORD, render_inline, wrap_words
from deckgen.backends.handout.page import page_box
from deckgen.backends.handout.sandbox import Roots
from deckgen.diagnostics import Diagnostics
from deckgen.model import (BLOCK_TYPES, Block, BulletList, Callout, CodeBlock, Columns, Document, Heading,
                           Image, Inline, Instructor, Paragraph, Quote, Rule, SourceSpan, SpeakerNotes, Table,
                           TableOfContents, child_blocks, plain_text)
from deckgen.theme.load import BUILTIN_THEMES, Theme

__all__ = ["HtmlWriter", "INSTRUCTOR_EDITION"]

INSTRUCTOR_EDITION = "강사용 판"
"""Printed on the instructor edition's cover, so a printout is never handed to students by mistake."""

TOC_TITLE = "목차"
TOC_MIN_HEADINGS = 2
"""A contents page for fewer headings than this would be an empty page."""
LINK_SCHEMES = {"http", "https", "mailto", "ftp", "tel"}
FOOTNOTE_SCHEMES = {"http", "https", "ftp"}
SUBJECT_MAX = 300
"""The PDF subject, when no subtitle gives one, lists the top sections, cut at this many characters."""
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _chapter_level(levels: list[int]) -> int | None:
    """The level named in the running header: the highest one used more than once
    (a lone top heading usually repeats the note title, already on the left)."""
    for level in sorted(set(levels)):
        if levels.count(level) > 1:
            return level
    return None


class HtmlWriter(BlockWriter):
    """Renders one Document; holds the heading ids shared by headings, TOC and links."""

    def __init__(self, doc: Document, theme: Theme, diags: Diagnostics, roots: Roots, *,
                 edition: str = "student"):
        self.doc, self.theme, self.diags, self.roots = doc, theme, diags, roots
        self.instructor = edition == "instructor"
        """The instructor edition: instructor blocks in their box, speaker notes unless
        [handout] speaker_notes is false.  The student edition shows neither."""
        self.notes_on = self.instructor and theme.handout.speaker_notes
        self.footnotes_on = theme.handout.link_footnotes
        self.source = SourceSpan(doc.path, 0)
        self.page, self.body_pt = page_box(theme), theme.handout.body_size
        self.nesting, self.share, self.landscape_requests = 0, 1.0, 0
        self.headings = [b for b in self._walk(doc.blocks) if isinstance(b, Heading)]
        self.ids = {id(h): f"sec-{i + 1}" for i, h in enumerate(self.headings)}
        self.anchors = {h.anchor: self.ids[id(h)] for h in reversed(self.headings) if h.anchor}
        self.top_level = min((self._level(h) for h in self.headings), default=1)
        self.chapter_level = _chapter_level([self._level(h) for h in self.headings])
        self.render: dict[type, Callable[[Any], str]] = {
                       Paragraph: self.paragraph, Heading: self.heading, BulletList: self.bullets,
                       CodeBlock: self.code, Table: self.table, Image: self.image,
                       Quote: self.quote, Callout: self.callout, Rule: self.rule,
                       SpeakerNotes: self.notes, Instructor: self.instructor_box,
                       TableOfContents: self.toc_inline, Columns: self.columns}

    # ---------------------------------------------------------------- walking
    def _walk(self, blocks: tuple[Block, ...]) -> Iterator[Block]:
        """Every block that will be rendered, in document order."""
        for b in blocks:
            yield b
            hidden = (isinstance(b, SpeakerNotes) and not self.notes_on
                      or isinstance(b, Instructor) and not self.instructor)
            if hidden:             # not in this edition: its headings are not in the contents
                continue
            for inner in child_blocks(b) if isinstance(b, BLOCK_TYPES) else ():   # unknown: render() warns
                yield from self._walk(inner)

    # ----------------------------------------------------------------- inline
    def inline(self, spans: Inline, *, links: bool = True, footnotes: bool = False, joiners: bool = True,
               long_word: int = LONG_WORD) -> str:
        fn = self._footnote_url if footnotes and self.footnotes_on else None
        return render_inline(spans, links=links, resolve=self._href, footnote_of=fn, joiners=joiners,
                             long_word=long_word)

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
        head = ['<meta charset="utf-8">', *self.metadata()]
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

    def metadata(self) -> list[str]:
        """<title> and <meta> elements: WeasyPrint writes them into the PDF's document info and
        XMP (title, author, subject, keywords, creator, creation date)."""
        meta = self.doc.meta
        title = self.title() + (f" ({INSTRUCTOR_EDITION})" if self.instructor else "")
        subject = meta.subtitle or ", ".join(plain_text(h.spans).replace("\n", " ")
                                             for h in self.headings if self._level(h) == self.top_level)
        named = (("author", meta.author), ("description", subject[:SUBJECT_MAX]),
                 ("keywords", ", ".join(meta.tags)), ("generator", f"deckgen {__version__}"))
        out = [f"<title>{html.escape(title)}</title>"]
        out += [f'<meta name="{k}" content="{html.escape(v)}">' for k, v in named if v]
        if _ISO_DATE.match(meta.date):
            out.append(f'<meta name="dcterms.created" content="{meta.date}">')
        return out

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
        if self.instructor:
            parts.append(f'<p class="cover-edition">{INSTRUCTOR_EDITION}</p>')
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
        """The blocks' HTML.  A note's own block holding a table that needs the landscape page
        goes onto that page whole (a list or box is never split across the turn), with the
        heading right before it (a heading alone at the foot of a portrait page helps nobody)."""
        top = self.nesting == 0
        self.nesting += 1
        out: list[str] = []
        try:
            for n, b in enumerate(blocks):
                asked = self.landscape_requests
                html_b = self.block(b)
                if top and self.landscape_requests > asked:
                    heading = out.pop() if out and isinstance(blocks[n - 1], Heading) else ""
                    html_b = f"{LANDSCAPE_OPEN}{heading}{html_b}</div>"
                out.append(html_b)
        finally:
            self.nesting -= 1
        return "\n".join(out)

    def block(self, b: Any) -> str:
        outer, src = self.source, getattr(b, "source", None)
        if isinstance(src, SourceSpan):
            self.source = SourceSpan(src.path or self.doc.path, src.line)
        render = self.render.get(type(b))
        try:
            return render(b) if render else self.unknown(b)
        finally:
            self.source = outer

