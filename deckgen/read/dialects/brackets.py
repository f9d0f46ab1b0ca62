"""Bracket floods, read as text before markdown-it spends quadratic time on them.

Each `[`, `![` or `\\(` that never closes makes markdown-it (or the math plugin)
scan to the end of its paragraph for the closing mark, so 10,000 of them in one
paragraph cost tens of seconds; each `\\[` line without a `\\]` scans to the end
of the note.  No lecture note holds that many openers in one paragraph: past
MAX_OPENERS in a block, its openers are escaped so they show as typed, with a
warning naming the block's first line.
"""
from __future__ import annotations

import re

from deckgen.diagnostics import Diagnostics
from deckgen.read.dialects.textpass import code_ranges
from deckgen.read.source import Source

MAX_OPENERS = 1000
"""Openers of one kind in one paragraph before it is read as plain text (about 0.1 s of parsing)."""
BLOCK = re.compile(r"(?:[^\n]*\S[^\n]*(?:\n|$))+")
"""A run of non-blank lines: a paragraph-sized unit."""
ESCAPES = (("\\(", "\\\\("), ("\\[", "\\\\\\["), ("[", "\\["))
"""`\\(` -> `\\\\(` (a literal backslash, then a plain paren); `\\[` -> `\\\\\\[`; `[` -> `\\[`."""


def prepass(src: Source, diags: Diagnostics) -> str:
    """The body with over-full paragraphs' brackets escaped (line count unchanged)."""
    text = src.text
    if text.count("[") < MAX_OPENERS and text.count("\\(") < MAX_OPENERS:
        return text
    code = code_ranges(text)
    out: list[str] = []
    pos = 0
    for m in BLOCK.finditer(text):
        block = m.group(0)
        if not _flooded(block) or any(a <= m.start() < b for a, b in code):
            continue
        out.append(text[pos:m.start()])
        out.append(_escape(block))
        pos = m.end()
        diags.warning("brackets-as-text", f"a paragraph with more than {MAX_OPENERS} unmatched brackets is "
                      "shown as typed (its links and math are not parsed)", src.span(text.count("\n", 0, m.start())))
    out.append(text[pos:])
    return "".join(out)


def _flooded(block: str) -> bool:
    opens = block.count("[") - block.count("\\[")
    return opens - block.count("]") > MAX_OPENERS or block.count("\\(") - block.count("\\)") > MAX_OPENERS \
        or block.count("\\[") - block.count("\\]") > MAX_OPENERS


def _escape(block: str) -> str:
    """`[` -> `\\[`, `\\(` -> `\\\\(`: each shows as the author typed it, and opens nothing."""
    out = []
    i = 0
    while i < len(block):
        for old, new in ESCAPES:
            if block.startswith(old, i):
                out.append(new)
                i += len(old)
                break
        else:
            out.append(block[i])
            i += 1
    return "".join(out)
