"""Measure text with the theme's real font files and break it into lines.

Fonts are loaded once at 1000 units per em and widths scaled to the point
size: this matches WeasyPrint/Pango to about 0.01 pt, while loading at the
point size (as python-pptx's fit_text does) runs ~2 % wide.  Korean wraps by
word (eojeol, i.e. at spaces); a word longer than the line breaks by character.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from PIL import ImageFont

from deckgen.theme.fallback import Fallbacks, split_faces
from deckgen.theme.fonts import FontFace, FontFile
from deckgen.theme.scripts import clusters, is_plain

UNITS = 1000
LINE_BREAKS = re.compile("\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")
"""Every character Unicode treats as a line break: each one starts a new line to measure."""
UNMEASURABLE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
"""Controls and lone surrogates: raqm's layout fails on them (`raqm_layout() failed`)."""


@dataclass(frozen=True, slots=True)
class Piece:
    """A run of text to measure: its font role and weight."""

    text: str
    role: str = "body"
    """'heading' | 'body' | 'mono'."""
    bold: bool = False
    scale: float = 1.0
    """Relative size (superscripts, subscripts)."""


BITMAP_PPEM = 109
"""The only size at which FreeType opens Noto Color Emoji (a CBDT bitmap font)."""


@functools.lru_cache(maxsize=16)
def _font(path: str, index: int) -> tuple[ImageFont.FreeTypeFont, float]:
    """The face loaded at 1000 units/em (or, for a bitmap-only face, at its strike size)
    and the factor that turns its lengths into units of 1/1000 em."""
    try:
        return ImageFont.truetype(path, UNITS, index=index), 1.0
    except OSError:
        return ImageFont.truetype(path, BITMAP_PPEM, index=index), UNITS / BITMAP_PPEM


ADVANCE_CHUNK = 2048
"""Characters measured by one Pillow call.  FreeType adds advances in 26.6 fixed point, so at
1000 units/em a run past 2**25 units (about 37,000 Hangul syllables) wrapped to a negative width:
a 60,000-syllable paragraph was laid out as one line and ran off its slide without a warning."""
_JOINS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u200c\u200d\u20d0-\u20ff\ufe00-\ufe0f\ufe20-\ufe2f"
                    "\U000e0100-\U000e01ef\U0001f3fb-\U0001f3ff]")
"""Marks, joiners and selectors: a chunk never starts with one (it shapes with the character before)."""


def _chunks(text: str) -> list[str]:
    """*text* in pieces of about ADVANCE_CHUNK characters, cut before a base character."""
    out, start = [], 0
    while start < len(text):
        end = min(start + ADVANCE_CHUNK, len(text))
        while end < len(text) and (_JOINS.match(text, end) or text[end - 1] == "\u200d"):
            end += 1
        out.append(text[start:end])
        start = end
    return out


def _advance(file: FontFile, text: str) -> float:
    font, scale = _font(file.path, file.index)
    if len(text) <= ADVANCE_CHUNK:
        return font.getlength(text) * scale
    return sum(font.getlength(part) for part in _chunks(text)) * scale


def _is_wide(ch: str) -> bool:
    """CJK ideographs and kana break anywhere (Hangul does not: it keeps words)."""
    return unicodedata.east_asian_width(ch) in "WF" and not ("\uac00" <= ch <= "\ud7a3"
                                                           or "\u1100" <= ch <= "\u11ff"
                                                           or "\u3130" <= ch <= "\u318f")


class Measurer:
    """Widths and line breaks for the three font roles of a theme."""

    def __init__(self, heading: FontFace, body: FontFace, mono: FontFace, *, slack: float = 0.97,
                 autospace: float = 0.0, fallback: Fallbacks | None = None):
        self.faces = {"heading": heading, "body": body, "mono": mono}
        self.fallback = fallback or Fallbacks()
        """Faces for Han, Kana, emoji and symbols: each piece is measured with the face drawing it."""
        self.slack = slack
        self.autospace = autospace
        """Extra space (in ems) that a renderer puts where Asian and Western characters meet.

        LibreOffice adds about 1/4 em at each such boundary (spaces between them
        do not stop it); PowerPoint and WeasyPrint add none.  Counting it can
        only over-estimate lines."""

    def _file(self, role: str, bold: bool) -> FontFile:
        face = self.faces[role]
        return face.bold if bold else face.regular

    @functools.lru_cache(maxsize=200_000)  # noqa: B019 -- one Measurer per theme per process (cached_theme)
    def _units(self, text: str, role: str, bold: bool) -> float:
        if LINE_BREAKS.search(text):           # a line break inside one piece: the widest line
            return max(self._units(part, role, bold) for part in LINE_BREAKS.split(text))
        text = UNMEASURABLE.sub("", text)
        if is_plain(text):
            return _advance(self._file(role, bold), text)
        return sum(_advance(p.face.bold if bold else p.face.regular, p.text)
                   for p in split_faces(text, self.faces[role], self.fallback))

    def width(self, text: str, role: str, bold: bool, size: float) -> float:
        """Advance width of *text* in points at *size* pt."""
        if not text:
            return 0.0
        return self._units(text, role, bold) * size / UNITS

    def pieces_width(self, pieces: list[Piece], size: float) -> float:
        return sum(self.width(p.text, p.role, p.bold, size * p.scale) for p in pieces)

    def text_width(self, pieces: list[Piece], size: float) -> float:
        """Width of one unbroken line, autospace included (of the widest line, if *pieces* hold breaks)."""
        lines = _split_hard_breaks(pieces)
        if len(lines) > 1:
            return max(self.text_width(line, size) for line in lines)
        return self.pieces_width(pieces, size) + self.autospace * size * _script_changes(_text(pieces))[2]

    # ------------------------------------------------------------- wrapping
    def wrap(self, pieces: list[Piece], size: float, width: float) -> list[str]:
        """Greedy line breaking of styled pieces into lines no wider than
        *width* x slack.  Returns the text of each line (at least one)."""
        limit = width * self.slack
        lines: list[str] = []
        for para in _split_hard_breaks(pieces):
            lines.extend(self._wrap_line(para, size, limit))
        return lines or [""]

    def _wrap_line(self, pieces: list[Piece], size: float, limit: float) -> list[str]:
        lines: list[str] = []
        cur: list[Piece] = []
        cur_w = 0.0
        last = ""                                # script class of the line's last letter
        gap = self.autospace * size
        for word, space in _words(pieces):
            first, end, inner = _script_changes(_text(word))
            ww = self.pieces_width(word, size) + inner * gap
            join = gap if (gap and last and first and first != last) else 0.0
            if cur and cur_w + join + ww > limit:
                lines.append(_text(cur).rstrip())
                cur, cur_w, join = [], 0.0, 0.0
            if ww > limit:                       # longer than a line: break by character
                chunks = self._break_word(word, size, limit)
                lines.extend(_text(c) for c in chunks[:-1])
                cur, cur_w = list(chunks[-1]), self.text_width(chunks[-1], size)
            else:
                cur.extend(word)
                cur_w += join + ww
            last = end or last
            cur.extend(space)
            cur_w += self.pieces_width(space, size)
        lines.append(_text(cur).rstrip())
        return lines

    def _break_word(self, word: list[Piece], size: float, limit: float) -> list[list[Piece]]:
        chunks: list[list[Piece]] = [[]]
        used = 0.0
        last = ""
        for p in word:
            for ch, _script in clusters(p.text):
                cw = self.width(ch, p.role, p.bold, size * p.scale)
                cls = script_class(ch[0])
                if cls and last and cls != last:
                    cw += self.autospace * size
                last = cls or last
                if chunks[-1] and used + cw > limit:
                    chunks.append([])
                    used = 0.0
                chunks[-1].append(Piece(ch, p.role, p.bold, p.scale))
                used += cw
        return chunks

    def max_word_width(self, pieces: list[Piece], size: float) -> float:
        return max((self.text_width(w, size) for para in _split_hard_breaks(pieces)
                    for w, _ in _words(para)), default=0.0)


def _add_word(tok: str, p: Piece, add) -> None:
    """Add the word *tok*: each CJK ideograph or kana is a word of its own (a cluster such
    as an emoji sequence never breaks)."""
    units = [(ch, "") for ch in tok] if is_plain(tok) else clusters(tok)
    pending = ""
    for unit, script in units:
        if (script in ("han", "kana") or not script) and _is_wide(unit[0]):
            if pending:
                add(pending, p)
            add(unit, p, alone=True)
            pending = ""
        else:
            pending += unit
    if pending:
        add(pending, p)


def script_class(ch: str) -> str:
    """'A' for Asian (Hangul, CJK), 'W' for other visible characters, '' for spaces."""
    if ch.isspace():
        return ""
    o = ord(ch)
    if 0x1100 <= o <= 0x11FF or 0x3000 <= o <= 0x9FFF or 0xAC00 <= o <= 0xD7A3 or 0xF900 <= o <= 0xFAFF \
            or 0xFF00 <= o <= 0xFFEF:
        return "A"
    return "W"


@functools.lru_cache(maxsize=100_000)
def _script_changes(text: str) -> tuple[str, str, int]:
    """(first class, last class, number of Asian/Western boundaries) of *text*, spaces skipped."""
    first = last = ""
    changes = 0
    for ch in text:
        c = script_class(ch)
        if not c:
            continue
        if last and c != last:
            changes += 1
        first = first or c
        last = c
    return first, last, changes


def _text(pieces: list[Piece]) -> str:
    return "".join(p.text for p in pieces)


def _split_hard_breaks(pieces: list[Piece]) -> list[list[Piece]]:
    out: list[list[Piece]] = [[]]
    for p in pieces:
        parts = LINE_BREAKS.split(p.text)
        for i, part in enumerate(parts):
            if i:
                out.append([])
            if part:
                out[-1].append(Piece(part, p.role, p.bold, p.scale))
    return out


_TOKEN = re.compile(r"(\s+)")


def _words(pieces: list[Piece]) -> list[tuple[list[Piece], list[Piece]]]:
    """(word pieces, following space pieces) across style changes.

    A word is a maximal run without spaces and CJK ideographs are words of one
    character.  Renderers may also break after '-' or '/'; predicting fewer
    break opportunities than they have can only over-estimate lines, never
    let text overflow."""
    out: list[tuple[list[Piece], list[Piece]]] = [([], [])]

    def add(text: str, p: Piece, *, alone: bool = False) -> None:
        if out[-1][1] or (alone and out[-1][0]):
            out.append(([], []))
        out[-1][0].append(Piece(text, p.role, p.bold, p.scale))
        if alone:
            out.append(([], []))

    for p in pieces:
        for tok in _TOKEN.split(p.text):
            if not tok:
                continue
            if tok.isspace():
                out[-1][1].append(Piece(" ", p.role, p.bold, p.scale))
                continue
            _add_word(tok, p, add)
    return [w for w in out if w[0]] if out else []
