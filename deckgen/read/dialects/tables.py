"""Table delimiter rows that kramdown accepts and GFM does not.

kramdown reads a separator line made of `|`, `-`, `:`, `+` and spaces whatever its cell
count; GFM (markdown-it) turns the table into a paragraph of pipes unless the delimiter
row has exactly the header's cells. Jekyll posts carry rows such as `|:---:||:---:|`
(an empty cell typed between two columns): the row is rewritten, in place so line
numbers hold, to the header's count, keeping each column's alignment.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from deckgen.read.dialects.textpass import Ranges, code_ranges, line_starts

if TYPE_CHECKING:
    from deckgen.diagnostics import Diagnostics
    from deckgen.read.source import Source

DELIMITER = re.compile(r"^[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:[|+][ \t]*(?::?-+:?)?[ \t]*)*\|?[ \t]*$")


def _cells(line: str) -> list[str]:
    body = line.strip()
    body = body[1:] if body.startswith("|") else body
    body = body[:-1] if body.endswith("|") and not body.endswith("\\|") else body
    return [c.strip() for c in re.split(r"(?<!\\)\|", body)]


def _row(aligns: list[str]) -> str:
    return "|" + "|".join(aligns) + "|"


def prepass(src: Source, diags: Diagnostics) -> str:
    """The body with lenient table delimiter rows made GFM's."""
    text = src.text
    if "|" not in text or "-" not in text:
        return text
    skip = Ranges(code_ranges(text))
    lines = text.split("\n")
    for i, (line, start) in enumerate(zip(lines, line_starts(lines))):
        if i == 0 or not DELIMITER.match(line) or "|" not in line or skip.contains(start):
            continue
        header = lines[i - 1]
        if "|" not in header or DELIMITER.match(header):
            continue
        want = len(_cells(header))
        have = [c for c in _cells(line.replace("+", "|")) if c]
        if len(_cells(line)) == want or not have:
            continue
        aligns = (have + ["---"] * want)[:want]
        lines[i] = _row(aligns)
        diags.info("table-delimiter", f"table delimiter row rewritten for {want} columns (kramdown style)",
                   src.span(i))
    return "\n".join(lines)
