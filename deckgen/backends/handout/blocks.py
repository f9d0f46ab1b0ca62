"""Block elements of the handout as HTML: paragraphs, headings, lists, code (Pygments), tables,
columns, quotes, callouts, rules, speaker notes and blocks this backend does not know."""
from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from deckgen.backends.handout.codetokens import pygments_rules, styled_tokens, without_plain_tokens
from deckgen.backends.handout.css import css_ident
from deckgen.backends.handout.figures import ALIGNS, FigureWriter
from deckgen.backends.handout.inline import wrap_words
from deckgen.backends.handout.page import PageBox
from deckgen.backends.handout.tables import CELL_LONG_WORD, TableFit, fit_table
from deckgen.model import (BulletList, Callout, Cell, CodeBlock, Columns, Heading, Instructor, ListItem,
                           Paragraph, Quote, Rule, SpeakerNotes, TableOfContents, Table, plain_text, split_columns)

__all__ = ["BlockWriter", "NOTES_LABEL", "INSTRUCTOR_LABEL", "LANDSCAPE_OPEN"]

NOTES_LABEL = "강의 노트"
INSTRUCTOR_LABEL = "강사용"
NESTED_INSET_MM = 8.0
"""Width a list indent or a box's padding and border takes from a table inside it, per level."""
LANDSCAPE_OPEN = '<div class="landscape">'
"""Opens a block set on the named page `wide` (handout.css: `div.landscape { page: wide }`)."""


class BlockWriter(FigureWriter):
    """Renderers of one block type each (a mixin: HtmlWriter provides the state and dispatch)."""

    notes_on: bool
    nesting: int
    """How deep the block being rendered is: 1 for the note's own blocks, 2 inside a list or box..."""
    share: float
    """The share of the content width the current blocks get (side-by-side columns split it)."""
    landscape_requests: int
    """Tables so far that asked for the landscape page (HtmlWriter.blocks turns the page)."""
    instructor: bool
    page: PageBox
    body_pt: float
    chapter_level: int | None
    ids: dict[int, str]
    headings: list[Heading]

    def blocks(self, blocks: tuple) -> str:
        raise NotImplementedError

    def toc_list(self) -> str:
        raise NotImplementedError

    def css_files(self) -> tuple[Path, ...]:
        raise NotImplementedError

    @staticmethod
    def _level(h: Heading) -> int:
        return min(max(h.level, 1), 6)

    def paragraph(self, p: Paragraph) -> str:
        cls = f' class="align-{p.align}"' if p.align in ALIGNS else ""
        return f"<p{cls}>{self.inline(p.spans, footnotes=True)}</p>"

    def heading(self, h: Heading) -> str:
        n = self._level(h)
        cls = ' class="chapter"' if n == self.chapter_level else ""
        return f'<h{n} id="{self.ids[id(h)]}"{cls}>{self.inline(h.spans, joiners=False)}</h{n}>'

    def bullets(self, lst: BulletList) -> str:
        items = "".join(self.item(i) for i in lst.items)
        if not items:
            return ""               # every item was for the instructor, not in this edition
        if not lst.ordered:
            return f"<ul>{items}</ul>"
        if lst.start == 1:
            return f"<ol>{items}</ol>"
        n = int(lst.start)  # WeasyPrint ignores start= without presentational hints
        return f'<ol start="{n}" style="counter-reset: list-item {n - 1}">{items}</ol>'

    def item(self, item: ListItem) -> str:
        cls = "" if item.checked is None else \
            ' class="task done"' if item.checked else ' class="task"'
        inner = self.blocks(item.blocks)
        if item.blocks and not inner.strip():
            return ""               # an item only the instructor edition shows: no empty bullet
        return f"<li{cls}>{inner}</li>"

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
        rules = pygments_rules(self.theme.colors.pygments_style) or pygments_rules("default") or ""
        out = without_plain_tokens(out, styled_tokens(rules, self.css_files()))
        return out[:-1] if out.endswith("\n") and not code.endswith("\n") else out

    def table(self, t: Table) -> str:
        """A table at the size step that keeps every column on the page (tables.py), on a
        landscape page when it needs one; one too wide even for that is shown as several tables
        of fewer columns, the first column repeated (it ran past the page's edge)."""
        width = max([len(t.header)] + [len(r) for r in t.rows])
        parts, fits = [t], [self.fit(t)]
        per = width
        split = not fits[0].fits     # once split, parts narrow on until their words need not break
        while split and per > 2 and not all(f.fits and (per <= 8 or not f.break_anywhere) for f in fits):
            per = (per + 2) // 2
            parts = split_columns(t, per)
            fits = [self.fit(part) for part in parts]
        if len(parts) > 1:
            self.diags.warning("table-too-wide", f"a table of {width} columns is too wide even for a "
                               f"landscape page at the smallest size: shown as {len(parts)} tables of up to "
                               f"{per} columns, the first column repeated in each", self.source)
        return "".join(self.table_html(part, fit) for part, fit in zip(parts, fits))

    def fit(self, t: Table) -> TableFit:
        return fit_table(t, self.theme, self.page, self.body_pt, inset_mm=NESTED_INSET_MM * (self.nesting - 1),
                         share=self.share)

    def table_html(self, t: Table, fit: TableFit) -> str:
        width = max([len(t.header)] + [len(r) for r in t.rows])
        head = ""
        if any(plain_text(c.spans).strip() for c in t.header):
            head = f"<thead><tr>{self.cells(t.header, 'th', width)}</tr></thead>"
        rows = "".join(f"<tr>{self.cells(r, 'td', width)}</tr>" for r in t.rows)
        cls = f' class="{fit.classes}"' if fit.classes else ""
        self.landscape_requests += fit.landscape   # the top-level block holding it turns the page
        return f"<table{cls}>{head}<tbody>{rows}</tbody></table>"

    def cells(self, cells: tuple[Cell, ...], tag: str, width: int) -> str:
        out = []
        for c in cells + (Cell(()),) * (width - len(cells)):
            cls = f' class="align-{c.align}"' if c.align in ALIGNS else ""
            body = self.inline(c.spans, footnotes=tag == "td",  # thead repeats on every page
                               long_word=CELL_LONG_WORD)
            out.append(f"<{tag}{cls}>{body}</{tag}>")
        return "".join(out)

    def columns(self, c: Columns) -> str:
        outer, self.share = self.share, self.share / max(len(c.columns), 1)
        try:
            cols = "".join(f'<div class="column">{self.blocks(col)}</div>' for col in c.columns)
        finally:
            self.share = outer
        return f'<div class="columns">{cols}</div>'

    def quote(self, q: Quote) -> str:
        return f"<blockquote>{self.blocks(q.blocks)}</blockquote>"

    def callout(self, c: Callout) -> str:
        kind = c.kind if c.kind in self.theme.callouts else "note"
        title = self.inline(c.title) if c.title else wrap_words(self.theme.callout(c.kind).label)
        return (f'<aside class="callout callout-{css_ident(kind)}">'
                f'<p class="callout-title">{title}</p>{self.blocks(c.blocks)}</aside>')

    def rule(self, r: Rule) -> str:
        return "<hr>"

    def notes(self, n: SpeakerNotes) -> str:
        if not self.notes_on:
            return ""
        return (f'<aside class="notes"><p class="notes-label">{NOTES_LABEL}</p>'
                f"{self.blocks(n.blocks)}</aside>")

    def instructor_box(self, b: Instructor) -> str:
        if not self.instructor:
            return ""
        return (f'<aside class="instructor"><p class="instructor-label">{INSTRUCTOR_LABEL}</p>'
                f"{self.blocks(b.blocks)}</aside>")

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

