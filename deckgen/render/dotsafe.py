"""Removing what makes graphviz read files from a DOT source, before `dot` sees it.

Graphviz opens the file named by `image`, `shapefile`, `fontpath`, `imagepath` and
by `<IMG SRC>` in an HTML-like label, and a `fontname` that is a path; a note must not
make deckgen read `/etc/passwd` that way.  The source is scanned token by token, so
text inside a quoted label ("image=..." as words) is left alone.  Each removal is
reported with its line.
"""
from __future__ import annotations

import re

FILE_ATTRIBUTES = ("image", "shapefile", "fontpath", "imagepath", "stylesheet")
"""Attributes whose value graphviz opens as a file (stylesheet: a reference that viewers fetch)."""

_STRING = r'"(?:[^"\\]|\\.)*"'
_HTML = r"<(?:[^<>]|<[^<>]*>)*>"
_VALUE = rf"(?:{_STRING}|{_HTML}|[^\s,;\]\}}]+)"
_NAMES = "|".join(FILE_ATTRIBUTES)
_TOKEN = re.compile(
    rf'(?P<attr>(?<![\w.])(?:"(?:{_NAMES})"|(?:{_NAMES}))(?!\w)\s*=\s*{_VALUE}\s*[,;]?)'
    rf'|(?P<font>(?<![\w.])"?fontname"?\s*=\s*"(?:[^"\\/]|\\.)*/(?:[^"\\]|\\.)*"\s*[,;]?)'
    rf"|(?P<str>{_STRING})|(?P<html>{_HTML})|(?P<comment>//[^\n]*|/\*.*?\*/)",
    re.IGNORECASE | re.DOTALL)
_IMG = re.compile(r"<\s*IMG\b[^>]*>", re.IGNORECASE)


def strip_file_refs(source: str) -> tuple[str, list[tuple[int, str]]]:
    """(source without file-reading attributes, [(0-based line, what was removed)])."""
    removed: list[tuple[int, str]] = []

    def repl(m: re.Match) -> str:
        line = source.count("\n", 0, m.start())
        if m.group("attr"):
            removed.append((line, m.group("attr").split("=", 1)[0].strip().strip('"').lower()))
            return ""
        if m.group("font"):
            removed.append((line, "fontname (a file path)"))
            return ""
        if m.group("html") and _IMG.search(m.group("html")):
            removed.append((line, "<IMG> in a label"))
            return _IMG.sub("", m.group("html"))
        return m.group(0)

    return _TOKEN.sub(repl, source), removed
