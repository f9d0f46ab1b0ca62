"""Read a note: bytes -> text, front matter, and the line offset of the body.

Everything downstream reports lines of the original file, so the number of
lines taken by the front matter is kept and added back by the parser.
"""
from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from deckgen.bounds.limits import MB, Limits
from deckgen.diagnostics import BuildError, Diagnostics
from deckgen.files import NotRegularFile, open_regular
from deckgen.model import SourceSpan
from deckgen.read import frontmatter
from deckgen.read.meta import meta_from  # noqa: F401  (re-exported: callers import it from here)

# C0/C1 control characters that XML 1.0 cannot hold (tab, LF, CR are fine).
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
SEPARATING = re.compile("[\x0b\x0c\x1c-\x1f]")
"""Controls that separate text (Word's manual line break is a vertical tab; form feed, and the
file/group/record/unit separators): a space, so the words on either side stay two words."""


@dataclass(frozen=True, slots=True)
class Source:
    path: str
    """The path as given by the user (used in messages)."""
    text: str
    """The body after the front matter, LF line endings."""
    line_offset: int
    """Lines before the body (front matter), so body line n is file line n + offset."""
    front_matter: dict[str, Any]
    front_matter_lines: dict[str, int] = field(default_factory=dict)
    """File line of each front-matter key (for warnings about a key)."""

    def span(self, body_line: int) -> SourceSpan:
        """SourceSpan of 0-based body line *body_line*."""
        return SourceSpan(self.path, body_line + 1 + self.line_offset)


BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
HANGUL_SHARE = 0.9
"""Share of a non-UTF-8 note's non-ASCII characters that must be Hangul syllables, read as CP949,
before the note is taken as a Korean Windows ("ANSI") save: Latin-1 text read as CP949 gives
scattered Hanja and symbols, never mostly Hangul."""


def _as_cp949(data: bytes) -> str | None:
    """*data* read as CP949 (EUC-KR and its Unified Hangul Code extension), or None when it is not
    convincingly Korean text in that encoding."""
    try:
        text = data.decode("cp949")
    except UnicodeDecodeError:
        return None
    wide = [c for c in text if ord(c) > 0x7F]
    hangul = sum("\uac00" <= c <= "\ud7a3" for c in wide)
    return text if wide and hangul >= HANGUL_SHARE * len(wide) else None


def decode(data: bytes, path: str, diags: Diagnostics | None = None) -> str:
    """UTF-8 (BOM allowed); a note with a UTF-16 BOM, or saved as CP949 by a Korean Windows editor,
    is read too, with a warning naming its encoding; anything else is a clear error naming the
    first bad byte (never a guess that turns text into other text silently)."""
    encoding = "utf-8"
    for bom, name in BOMS:
        if data.startswith(bom):
            data, encoding = data[len(bom):], name
            break
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        korean = _as_cp949(data) if encoding == "utf-8" else None
        if korean is None:
            raise BuildError(f"not {encoding.upper()} text: byte 0x{data[e.start]:02X} at offset {e.start} "
                             f"cannot be decoded; save the note as UTF-8", SourceSpan(path, line)) from None
        text, encoding = korean, "cp949"
    if encoding != "utf-8" and diags is not None:
        label = "CP949 (EUC-KR, a Korean Windows save)" if encoding == "cp949" else encoding.upper()
        diags.warning("note-encoding", f"the note is {label}, not UTF-8: read as {label}; save it as UTF-8 "
                      "so other tools read it too", SourceSpan(path, 1))
    return text.replace("\r\n", "\n").replace("\r", "\n")


def strip_control(text: str, path: str, diags: Diagnostics) -> str:
    """Remove characters XML cannot hold, with one warning per line that had them."""
    if not XML_ILLEGAL.search(text):
        return text
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if XML_ILLEGAL.search(line):
            diags.warning("control-character", "removed control characters that a deck cannot hold",
                          SourceSpan(path, i + 1))
            lines[i] = XML_ILLEGAL.sub("", SEPARATING.sub(" ", line))
    return "\n".join(lines)


def strip_boms(text: str, path: str, diags: Diagnostics) -> str:
    """Byte-order marks inside the note (files saved with a BOM and joined: `cat a.md b.md`) are
    removed, one warning per line: before a heading one made `## 제목` a line of text on the
    slide before."""
    if "\ufeff" not in text:
        return text
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if "\ufeff" in line:
            diags.warning("byte-order-mark", "a byte-order mark (U+FEFF) inside the note, as where two files "
                          "were joined, removed", SourceSpan(path, i + 1))
            lines[i] = line.replace("\ufeff", "")
    return "\n".join(lines)


MAX_JOINED = 10
"""Characters one zero-width-joiner sequence may join: the longest emoji (families, flags with
tags) join 4 to 7; a 5,000-long sequence is one unbreakable cluster that ran off its slide."""
_JOIN_RUN = re.compile(f"(?:[^\\n\u200d]\u200d){{{MAX_JOINED},}}")


def split_joined(text: str, path: str, diags: Diagnostics) -> str:
    """Runs of more than MAX_JOINED joined characters get a break opportunity (U+200B) in place of
    every MAX_JOINED-th joiner; every character is kept, one warning per line."""
    def cut(m: re.Match[str]) -> str:
        parts = m.group(0).split("\u200d")
        return "".join(part + ("\u200b" if (i + 1) % MAX_JOINED == 0 else "\u200d")
                       for i, part in enumerate(parts[:-1])) + parts[-1]
    if "\u200d" not in text or not _JOIN_RUN.search(text):
        return text
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if _JOIN_RUN.search(line):
            diags.warning("joiner-run", f"more than {MAX_JOINED} characters joined by zero-width joiners "
                          "(no emoji is that long): split into shorter sequences so the line can wrap",
                          SourceSpan(path, i + 1))
            lines[i] = _JOIN_RUN.sub(cut, line)
    return "\n".join(lines)


BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
"""Explicit direction controls: text after U+202E displays reversed (`제목\u202egpj.exe`)."""


def warn_bidi(text: str, path: str, diags: Diagnostics) -> None:
    """Bidi controls are kept (right-to-left text may need them) but named, line by line."""
    if not BIDI.search(text):
        return
    for i, line in enumerate(text.split("\n")):
        found = sorted({f"U+{ord(c):04X}" for c in BIDI.findall(line)})
        if found:
            diags.warning("bidi-control", f"direction control characters {', '.join(found)} change how this "
                          "line displays (text may appear reversed)", SourceSpan(path, i + 1))


def read_note_bytes(path: Path, display: str, max_bytes: int) -> bytes:
    """The note's bytes; a FIFO, a device (`note.md -> /dev/zero`) or a note over *max_bytes* is
    refused before it is read (read_bytes() waited forever on a FIFO and filled memory from
    /dev/zero)."""
    where = SourceSpan(display, 0)
    try:
        with open_regular(path) as f:
            info = os.fstat(f.fileno())
            if info.st_size > max_bytes:
                raise BuildError(f"the note is {info.st_size / MB:,.1f} MB, over the limit of "
                                 f"{max_bytes / MB:g} MB (limits.max_note_mb in deckgen.toml)", where)
            return f.read(max_bytes + 1)
    except NotRegularFile:
        raise BuildError("the note is not a regular file (a FIFO, device or folder); nothing was read",
                         where) from None
    except OSError as e:
        raise BuildError(f"cannot read the note: {e.strerror}", where) from None


def read_source(path: Path, display: str, diags: Diagnostics, *, max_bytes: int | None = None) -> Source:
    data = read_note_bytes(path, display, Limits().max_note_bytes if max_bytes is None else max_bytes)
    text = strip_control(decode(data, display, diags), display, diags)
    text = split_joined(strip_boms(unicodedata.normalize("NFC", text), display, diags), display, diags)
    warn_bidi(text, display, diags)
    fm = frontmatter.split(text, display, diags)
    return Source(display, fm.body, fm.offset, fm.data, fm.lines)
