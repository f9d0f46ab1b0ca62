"""Read a note: bytes -> text, front matter, and the line offset of the body.

Everything downstream reports lines of the original file, so the number of
lines taken by the front matter is kept and added back by the parser.
"""
from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from deckgen.diagnostics import BuildError, Diagnostics
from deckgen.model import Meta, SourceSpan

FRONT_MATTER = re.compile(r"\A(---|\+\+\+)[ \t]*\n(.*?\n)?(---|\.\.\.|\+\+\+)[ \t]*(\n|\Z)", re.S)
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


def split_front_matter(text: str, path: str) -> tuple[dict[str, Any], str, int]:
    m = FRONT_MATTER.match(text)
    if not m or m.group(1) == "+++":
        return {}, text, 0
    raw = m.group(2) or ""
    try:
        data = yaml.safe_load(raw) or {}
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        if mark is not None and mark.line >= raw.count("\n") and getattr(e, "context_mark", None):
            mark = e.context_mark          # "unexpected end": point at what was left open
        line = (mark.line + 2) if mark is not None else 1
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        raise BuildError(f"front matter is not valid YAML: {problem}", SourceSpan(path, line)) from None
    if not isinstance(data, dict):
        raise BuildError("front matter must be a mapping of keys to values", SourceSpan(path, 2))
    consumed = m.group(0)
    return data, text[len(consumed):], consumed.count("\n")


def read_source(path: Path, display: str, diags: Diagnostics) -> Source:
    try:
        data = path.read_bytes()
    except OSError as e:
        raise BuildError(f"cannot read the note: {e.strerror}", SourceSpan(display, 0)) from None
    text = strip_control(decode(data, display), display, diags)
    text = unicodedata.normalize("NFC", text)
    fm, body, offset = split_front_matter(text, display)
    return Source(display, body, offset, fm)


_BR = re.compile(r"<br\s*/?>", re.I)
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")


def _plain(value: str) -> str:
    """A front-matter string as text: `<br>` is a line break, other tags keep only their text
    (Jekyll themes print `subtitle: "첫 줄<br>둘째 줄"` as HTML)."""
    if "<" not in value and "&" not in value:
        return value
    return html.unescape(_TAG.sub("", _BR.sub("\n", value)))


def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, datetime):
        return v.strftime("%Y-%m-%d %H:%M") if (v.hour or v.minute) else v.strftime("%Y-%m-%d")
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, list):
        return ", ".join(_text(x) for x in v)
    return _plain(str(v)).strip()


def _tags(v: Any) -> tuple[str, ...]:
    if isinstance(v, str):
        return tuple(t for t in re.split(r"[,\s]+", v) if t)
    if isinstance(v, list):
        return tuple(_text(t) for t in v if _text(t))
    return ()


def meta_from(fm: dict[str, Any], diags: Diagnostics, path: str) -> Meta:
    """Normalise front matter (Jekyll, pandoc, Marp spellings) into Meta."""
    level = fm.get("slide_level", fm.get("slide-level"))
    if level is not None and (not isinstance(level, int) or not 1 <= level <= 6):
        diags.warning("front-matter", f"slide_level must be a number from 1 to 6, got {level!r}; inferring it",
                      SourceSpan(path, 1))
        level = None
    tags = _tags(fm.get("tags")) + tuple(t for t in _tags(fm.get("categories")) if t not in _tags(fm.get("tags")))
    author = fm.get("author")
    if isinstance(author, dict):
        author = author.get("name", "")
    known = {"title", "subtitle", "excerpt", "description", "author", "date", "tags", "categories",
             "lang", "slide_level", "slide-level"}
    extra = tuple(sorted((str(k), _text(v)) for k, v in fm.items() if k not in known))
    return Meta(
        title=_text(fm.get("title")),
        subtitle=_text(fm.get("subtitle") or fm.get("excerpt") or fm.get("description")),
        author=_text(author),
        date=_text(fm.get("date")),
        tags=tags,
        lang=_text(fm.get("lang")) or "ko-KR",
        slide_level=level,
        extra=extra,
    )
