"""Read a note: bytes -> text, front matter, and the line offset of the body.

Everything downstream reports lines of the original file, so the number of
lines taken by the front matter is kept and added back by the parser.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from deckgen.diagnostics import BuildError, Diagnostics
from deckgen.model import SourceSpan
from deckgen.read import frontmatter
from deckgen.read.meta import meta_from  # noqa: F401  (re-exported: callers import it from here)

# C0/C1 control characters that XML 1.0 cannot hold (tab, LF, CR are fine).
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


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


def decode(data: bytes, path: str) -> str:
    """UTF-8 (BOM allowed) or a clear error naming the first bad byte."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise BuildError(f"not UTF-8 text: byte 0x{data[e.start]:02X} at offset {e.start} "
                         f"cannot be decoded; save the note as UTF-8", SourceSpan(path, line)) from None
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
            lines[i] = XML_ILLEGAL.sub("", line)
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


def read_source(path: Path, display: str, diags: Diagnostics) -> Source:
    try:
        data = path.read_bytes()
    except OSError as e:
        raise BuildError(f"cannot read the note: {e.strerror}", SourceSpan(display, 0)) from None
    text = strip_control(decode(data, display), display, diags)
    text = unicodedata.normalize("NFC", text)
    warn_bidi(text, display, diags)
    fm = frontmatter.split(text, display, diags)
    return Source(display, fm.body, fm.offset, fm.data, fm.lines)
