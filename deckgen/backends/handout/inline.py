"""Inline text as handout HTML: escaped, styled with nested tags opened only where styles
change, Korean words kept whole, link URLs printed as footnotes, formulas as vector images.

WeasyPrint ignores ``word-break: keep-all``; a word joiner between the characters of each Korean
word gives the same line breaks (see WORD_JOINER)."""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path

from deckgen.backends.handout.scripts import script_html
from deckgen.model import Inline, Span

__all__ = ["wrap_words", "render_inline", "WORD_JOINER", "LONG_WORD"]

WORD_JOINER = "\u2060"
"""Forbids a line break (UAX #14 class WJ), draws nothing and is not extracted as text.  WeasyPrint
ignores `word-break: keep-all`; a joiner between the characters of each Korean word gives the same
breaks as a `white-space: nowrap` span per word, with one text box instead of hundreds (9x faster)."""
LONG_WORD = 40
"""Words this long or longer may break anywhere (URLs, identifiers), never nowrap."""
_HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7a3\ud7b0-\ud7ff]")
_SPLIT = re.compile(r"(\n|[^\S\n\u00a0]+)")
_HEX = re.compile(r"^#?([0-9A-Fa-f]{6})$")


def wrap_words(text: str) -> str:
    """Escaped *text* with each short Hangul word kept whole (no break inside it)."""
    return render_inline((Span(text),), links=False, resolve=lambda s: None)


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

    def __init__(self, links: bool, resolve, joiners: bool = True, long_word: int = LONG_WORD):
        self.long_word = long_word
        """Words this long or longer may break anywhere."""
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
        keep = bool(_HANGUL.search(text)) and len(text) < self.long_word
        cls = "lw" if len(text) >= self.long_word else "w" if keep and not self.joiners else ""
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
            self.out.append(script_html(piece))
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
    lower = f"; vertical-align: {-span.math_depth:.3f}em" if span.math_depth else ""   # baselines meet
    return (f'<img class="math-inline" src="{src}" alt="{html.escape(span.math or "")}" '
            f'style="width: {w:.3f}em; height: {h:.3f}em{lower}">')


def render_inline(spans: Inline, *, links: bool, resolve, footnote_of=None, joiners: bool = True,
                  long_word: int = LONG_WORD) -> str:
    """HTML for *spans*: escaped, styled, Korean words kept whole."""
    toks = _tokenize(spans)
    if footnote_of:
        _mark_link_ends(toks, footnote_of)
    w = _InlineWriter(links, resolve, joiners, long_word)
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

