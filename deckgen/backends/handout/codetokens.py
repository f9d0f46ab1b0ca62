"""Code blocks' Pygments token spans, only where a colour or a font style needs one.

Pygments wraps every token in a `<span class="pg-...">`, styled or not: names and punctuation
(`pg-n`, `pg-p`) have no rule in most styles (none in 'default'), yet they were half of all the
elements of a lecture's handout (376 of 1,364 on the bench note with five code blocks), and
WeasyPrint cascades, lays out and draws each span as a box of its own.  A span whose class no
rule styles looks exactly like its text without it (checked pixel for pixel on rendered pages),
so it is left out: 12 % less CPU for that handout.

The styled classes are those of the theme's Pygments rules (css.py) plus any `pg-` class its
handout.css files name; when a handout.css styles spans inside code in general (`pre span`,
`.hl span`...), every span is kept.
"""
from __future__ import annotations

import functools
import re
from pathlib import Path

__all__ = ["pygments_rules", "styled_tokens", "without_plain_tokens"]

_TOKEN_SPAN = re.compile(r'<span class="pg-([\w-]+)">([^<]*)</span>')
_SELECTOR = re.compile(r"([^{}]+)\{")
_CLASS = re.compile(r"\.pg-([\w-]+)")
_GENERIC_SPAN = re.compile(r"(^|[\s>+~(,])span\b(?![.\w-])")
DROPPED_RULES = (".hl .pg-err", ".hl .pg-hll")
"""Pygments rules the handout leaves out: error boxes and highlighted-line backgrounds."""


@functools.lru_cache(maxsize=16)
def pygments_rules(style: str) -> str | None:
    """The rules of Pygments *style* scoped to .hl (token colours only); None for an unknown style."""
    from pygments.formatters import HtmlFormatter
    from pygments.util import ClassNotFound

    try:
        defs = HtmlFormatter(style=style, classprefix="pg-").get_style_defs(".hl")
    except ClassNotFound:
        return None
    return "\n".join(ln for ln in defs.splitlines()
                     if ln.startswith(".hl .pg-") and not ln.startswith(DROPPED_RULES))


@functools.lru_cache(maxsize=16)
def styled_tokens(rules: str, css_files: tuple[Path, ...]) -> frozenset[str] | None:
    """The pg-* classes some rule styles; None (keep every span) when a handout.css styles
    spans in code blocks in general, or cannot be read."""
    names = set(_CLASS.findall(rules))
    for path in css_files:
        try:
            text = re.sub(r"/\*.*?\*/", "", path.read_text(encoding="utf-8"), flags=re.S)
        except (OSError, UnicodeDecodeError):
            return None
        for selector in _SELECTOR.findall(text):
            if _GENERIC_SPAN.search(selector) and re.search(r"\b(hl|pre|code)\b", selector):
                return None
            names.update(_CLASS.findall(selector))
    return frozenset(names)


def without_plain_tokens(highlighted: str, styled: frozenset[str] | None) -> str:
    """Pygments' HTML with the spans of unstyled tokens replaced by their (escaped) text."""
    if styled is None:
        return highlighted
    return _TOKEN_SPAN.sub(lambda m: m.group(0) if m.group(1) in styled else m.group(2), highlighted)
