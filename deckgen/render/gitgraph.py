"""gitGraph sources with branch names mermaid's lexer refuses, made drawable.

mermaid's gitGraph grammar reads an unquoted branch name as a REFERENCE token of ASCII
letters, digits and a few marks: `branch 기능` is a lexer error, and the diagram would be
shown as code. The same grammar accepts a quoted STRING wherever it takes a branch name
(`branch "기능"`, `checkout "기능"`, `merge "기능"`), and draws the name as it is.
So unquoted names holding other characters are quoted before mermaid reads the source:
no placeholder to put back, and mermaid measures the real name with the theme face (the
worker's measurer), so each label's box is sized for the text it shows.
"""
from __future__ import annotations

import re

HEADER = re.compile(r"^\s*gitGraph\b", re.M)
"""A gitGraph diagram (after any front matter, `%%{init}%%` directive or comment)."""

BRANCH_REF = re.compile(r"^(?P<lead>\s*(?:branch|checkout|switch|merge)\s+)(?P<name>[^\s\"]+)(?P<rest>.*)$")
"""A command naming a branch, and its name when it is not quoted."""


def _quoted(line: str) -> str:
    m = BRANCH_REF.match(line)
    if m is None or m["name"].isascii():
        return line
    return f'{m["lead"]}"{m["name"]}"{m["rest"]}'


def quote_branch_names(source: str) -> str:
    """*source* with each unquoted non-ASCII branch name of a gitGraph quoted; other diagrams as they are."""
    header = HEADER.search(source)
    if header is None:
        return source
    head, body = source[:header.end()], source[header.end():]
    return head + "\n".join(_quoted(line) for line in body.split("\n"))
