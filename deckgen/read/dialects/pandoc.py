"""pandoc's Markdown that GFM reads as text: bracketed spans, table captions and grid tables.

Lecture decks written for pandoc (beamer, reveal.js, Quarto) use them freely, and markdown-it
would show their syntax: `[강조]{.fragment}` as brackets and braces, `: 표 제목 {#tbl:x}` as a
definition list swallowing the heading above it, a grid table as a paragraph of `+---+`.
Each is rewritten here, before markdown-it, keeping every line where it was.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from deckgen.read.dialects.kramdown import PANDOC_ATTRS
from deckgen.read.dialects.textpass import Ranges, code_ranges, fenced_ranges, line_starts

if TYPE_CHECKING:
    from deckgen.diagnostics import Diagnostics
    from deckgen.read.source import Source

BRACKETED_SPAN = re.compile(r"(?<![!\]\\])\[([^\[\]\n]+)\](?:\{:[^}\n]*\}|" + PANDOC_ATTRS.pattern + ")")
"""`[text]{.smallcaps}`, `[text]{.fragment .highlight-red}`: a span with attributes, not a link."""
CAPTION = re.compile(r"^(?:Table)?:[ \t]+(\S.*?)[ \t]*(?:" + PANDOC_ATTRS.pattern + r")?[ \t]*$")
"""`: 표 1. 설명`, `Table: 설명 {#tbl:x}`: a table's caption, before or after it."""
GRID_RULE = re.compile(r"^[ \t]*\+(?:[-=:]+\+)+[ \t]*$")
GRID_ROW = re.compile(r"^[ \t]*\|.*\|[ \t]*$")


def prepass(src: Source, diags: Diagnostics) -> str:
    text = src.text
    if "]{" in text:
        text = _bracketed_spans(text)
    lines = text.split("\n")
    code = Ranges(fenced_ranges(text))
    starts = line_starts(lines)
    in_code = [code.contains(s) for s in starts]
    if ":" in text:
        _captions(lines, in_code)
    if "+-" in text:
        _grid_tables(lines, in_code, src, diags)
    return "\n".join(lines)


def _bracketed_spans(text: str) -> str:
    code = Ranges(code_ranges(text))
    return BRACKETED_SPAN.sub(lambda m: m.group(0) if code.contains(m.start()) else m.group(1), text)


def _is_table_line(line: str) -> bool:
    return line.lstrip().startswith("|") or bool(GRID_RULE.match(line))


def _captions(lines: list[str], in_code: list[bool]) -> None:
    """A caption line next to a table (one blank line between allowed) becomes a plain
    paragraph. One after a paragraph line is a definition list's definition, left alone."""
    for i, line in enumerate(lines):
        m = CAPTION.match(line)
        if not m or in_code[i]:
            continue
        before, after = _neighbour(lines, i, -1), _neighbour(lines, i, 1)
        # after a table, a blank line between (else GFM reads the caption as one more row)
        follows_table = before is not None and before < i - 1 and _is_table_line(lines[before])
        # before a table, not right under a paragraph line (that is a definition list's term)
        precedes_table = after is not None and _is_table_line(lines[after]) and (
            before is None or before < i - 1 and not _is_text(lines[before])
            or lines[before].lstrip().startswith("#"))
        if follows_table or precedes_table:
            lines[i] = m.group(1)


def _neighbour(lines: list[str], i: int, step: int) -> int | None:
    """The nearest non-blank line within two lines of *i* in direction *step*."""
    for j in (i + step, i + 2 * step):
        if 0 <= j < len(lines) and lines[j].strip():
            return j
    return None


def _is_text(line: str) -> bool:
    s = line.strip()
    return bool(s) and not s.startswith(("#", "|", "+", "```", ":::", "<!--"))


def _grid_tables(lines: list[str], in_code: list[bool], src: Source, diags: Diagnostics) -> None:
    i = 0
    while i < len(lines):
        if in_code[i] or not GRID_RULE.match(lines[i]):
            i += 1
            continue
        end = i + 1
        while end < len(lines) and (GRID_RULE.match(lines[end]) or GRID_ROW.match(lines[end])):
            end += 1
        if end - i >= 3 and GRID_RULE.match(lines[end - 1]):
            lines[i:end] = _grid_to_pipe(lines[i:end])
            diags.info("grid-table", "pandoc grid table read as a table", src.span(i))
        i = end


def _grid_to_pipe(block: list[str]) -> list[str]:
    """A grid table's lines -> a pipe table, padded with blank lines to the same line count.
    Rows are the text between rules; a cell's lines are joined with spaces; the `+===+` rule
    ends the header (a table without one takes its first row as the header)."""
    first = block[0].strip()
    bounds = [k for k, ch in enumerate(first) if ch == "+"]
    rows: list[list[str]] = []
    header_rows = 0
    aligns = ["---"] * (len(bounds) - 1)
    current: list[list[str]] | None = None
    for line in block:
        s = line.strip()
        if GRID_RULE.match(s):
            if current is not None:
                rows.append([" ".join(p for p in cell if p) for cell in current])
            current = [[] for _ in aligns]
            if "=" in s:
                header_rows = len(rows)
                aligns = _aligns(s, bounds) or aligns
            continue
        assert current is not None
        for c, part in enumerate(_row_cells(s, bounds)):
            current[c].append(part)
    header = rows[:max(header_rows, 1)]
    body = rows[max(header_rows, 1):]
    head = [" ".join(r[c] for r in header if r[c]) for c in range(len(aligns))]
    out = [_pipe(head), "|" + "|".join(aligns) + "|"] + [_pipe(r) for r in body]
    return out + [""] * (len(block) - len(out))


def _row_cells(line: str, bounds: list[int]) -> list[str]:
    """A grid row's cells: split at its `|` when there are as many as columns (Hangul is wide,
    so authors line the bars up by eye, not by character count), else at the rule's `+`."""
    n = len(bounds) - 1
    parts = re.split(r"(?<!\\)\|", line.strip())[1:-1]
    if len(parts) == n:
        return [p.strip() for p in parts]
    return [line[a + 1:b].strip().strip("|").strip() for a, b in zip(bounds, bounds[1:])]


def _aligns(rule: str, bounds: list[int]) -> list[str] | None:
    out = []
    for a, b in zip(bounds, bounds[1:]):
        seg = rule[a + 1:b]
        left, right = seg.startswith(":"), seg.endswith(":")
        out.append(":---:" if left and right else ":---" if left else "---:" if right else "---")
    return out if len(out) == len(bounds) - 1 else None


def _pipe(cells: list[str]) -> str:
    return "| " + " | ".join(c.replace("|", "\\|") or " " for c in cells) + " |"
