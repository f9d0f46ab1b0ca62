"""Front matter -> Meta: Jekyll, pandoc and Marp spellings normalised and validated.

Front matter is typed by hand, so every value is checked before it reaches a
deck: `lang` must look like a language tag, the title-slide fields must be
text (a mapping or a list gives its text and a warning, never a Python repr),
and a key that is almost a known one gets a did-you-mean hint.
"""
from __future__ import annotations

import difflib
import html
import re
from datetime import date, datetime
from typing import Any

from deckgen.diagnostics import Diagnostics
from deckgen.model import Meta, SourceSpan

LANG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
"""BCP 47, loosely: a 2-3 letter language, then subtags (`ko`, `ko-KR`, `zh-Hant-TW`)."""
DEFAULT_LANG = "ko-KR"
USED = {"title", "subtitle", "excerpt", "description", "author", "date", "tags", "categories",
        "lang", "slide_level", "slide-level", "prose_to_notes"}
KNOWN = USED | {
    # Jekyll and minimal-mistakes
    "layout", "permalink", "published", "toc", "toc_label", "toc_icon", "toc_sticky", "header", "sidebar",
    "last_modified_at", "comments", "share", "related", "classes", "excerpt_separator", "math", "mathjax",
    "use_math", "author_profile", "read_time", "tag", "category", "image", "redirect_from", "pin", "hidden",
    "search", "sitemap", "order", "weight", "draft", "slug", "summary", "keywords", "aliases", "cssclass",
    # Marp and pandoc
    "marp", "theme", "paginate", "footer", "size", "style", "headingDivider", "class", "backgroundColor",
    "backgroundImage", "color", "url", "institute", "abstract", "subject", "transition", "header-includes",
}
TEXT_KEYS = ("title", "subtitle", "excerpt", "description", "author")


_BR = re.compile(r"<br\s*/?>", re.I)
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")


_MARKUP = (
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),                  # **strong**
    (re.compile(r"(?<!\*)\*(?=[^\s*])([^*\n]+?)(?<=\S)\*(?!\*)"), r"\1"),        # *emphasis*
    (re.compile(r"(?<![\w_])_(?=[^\s_])([^_\n]+?)(?<=\S)_(?![\w_])"), r"\1"),     # _emphasis_
    (re.compile(r"`([^`\n]+)`"), r"\1"),                                       # `code`
    (re.compile(r"(?<!!)\[([^\[\]\n]+)\]\([^()\s]*\)"), r"\1"),                # [link](url)
)
"""Inline Markdown pandoc reads in metadata values (`subtitle: "**최소제곱법**에서"`): its text."""


def _plain(value: str) -> str:
    """A front-matter string as text: `<br>` is a line break, other tags keep only their text
    (Jekyll themes print `subtitle: "첫 줄<br>둘째 줄"` as HTML), inline Markdown its text."""
    if any(c in value for c in "*_`["):
        for pattern, repl in _MARKUP:
            value = pattern.sub(repl, value)
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
    if isinstance(v, (list, tuple, set, frozenset)):      # !!omap gives tuples, !!set a set
        items = sorted(v, key=str) if isinstance(v, (set, frozenset)) else v
        return ", ".join(t for t in (_text(x) for x in items) if t)
    if isinstance(v, dict):
        return " / ".join(t for t in (_text(x) for x in v.values()) if t)
    if isinstance(v, (bytes, bytearray)):                 # !!binary: no text to show
        return ""
    if isinstance(v, int) and v.bit_length() > 10_000:    # str() refuses over 4,300 digits
        return f"(a {v.bit_length()}-bit number)"
    return _plain(str(v)).strip()


def _tags(v: Any) -> tuple[str, ...]:
    if isinstance(v, str):
        return tuple(t for t in re.split(r"[,\s]+", v) if t)
    if isinstance(v, list):
        return tuple(_text(t) for t in v if _text(t))
    return ()


class _Checker:
    """Warnings about front-matter keys, each naming the key's line."""

    def __init__(self, diags: Diagnostics, path: str, lines: dict[str, int]):
        self.diags, self.path, self.lines = diags, path, lines

    def warn(self, code: str, key: str, message: str) -> None:
        self.diags.warning(code, message, SourceSpan(self.path, self.lines.get(key, 1)))

    def text(self, fm: dict[str, Any], key: str) -> str:
        """A title-slide field as text; a mapping or a list of non-text values warns."""
        v = fm.get(key)
        if isinstance(v, dict) or (isinstance(v, list) and any(isinstance(x, (dict, list)) for x in v)):
            self.warn("front-matter", key, f"'{key}' should be text, got a {type(v).__name__}; "
                      f"using its values: {_text(v)[:60]!r}")
        return _text(v)

    def lang(self, fm: dict[str, Any]) -> str:
        v = fm.get("lang")
        if v is None:
            return DEFAULT_LANG
        if isinstance(v, str) and LANG.match(v.strip()):
            return v.strip()
        if isinstance(v, str) and LANG.match(v.strip().replace("_", "-")):   # ko_KR: a POSIX locale name
            tag = v.strip().replace("_", "-")
            self.warn("front-matter", "lang", f"lang {v!r} is a locale name; using the language tag {tag}")
            return tag
        self.warn("front-matter", "lang", f"lang must be a language tag such as ko-KR or en, got {v!r}; "
                  f"using {DEFAULT_LANG}")
        return DEFAULT_LANG

    def level(self, fm: dict[str, Any]) -> int | None:
        key = "slide_level" if "slide_level" in fm else "slide-level"
        level = fm.get(key)
        if level is not None and (not isinstance(level, int) or isinstance(level, bool) or not 1 <= level <= 6):
            self.warn("front-matter", key, f"slide_level must be a number from 1 to 6, got {level!r}; inferring it")
            return None
        return level

    def unknown_keys(self, fm: dict[str, Any]) -> None:
        for key in fm:
            if str(key) in KNOWN:
                continue
            close = difflib.get_close_matches(str(key), sorted(USED), n=1, cutoff=0.8)
            if close:
                self.warn("front-matter-key", str(key), f"unknown front matter key '{key}' is ignored; "
                          f"did you mean '{close[0]}'?")


def meta_from(fm: dict[str, Any], diags: Diagnostics, path: str, lines: dict[str, int] | None = None) -> Meta:
    """Normalise front matter (Jekyll, pandoc, Marp spellings) into Meta, warning about bad values."""
    check = _Checker(diags, path, lines or {})
    check.unknown_keys(fm)
    tags = _tags(fm.get("tags")) + tuple(t for t in _tags(fm.get("categories")) if t not in _tags(fm.get("tags")))
    texts = {k: check.text(fm, k) for k in TEXT_KEYS if k != "author"}
    author = fm.get("author")
    author_text = _text(author.get("name", "")) if isinstance(author, dict) and "name" in author \
        else check.text(fm, "author")
    extra = tuple(sorted((str(k), _text(v)) for k, v in fm.items() if k not in USED - {"prose_to_notes"}))
    return Meta(
        title=texts["title"],
        subtitle=texts["subtitle"] or texts["excerpt"] or texts["description"],
        author=author_text,
        date=_text(fm.get("date")),
        tags=tags,
        lang=check.lang(fm),
        slide_level=check.level(fm),
        extra=extra,
    )
