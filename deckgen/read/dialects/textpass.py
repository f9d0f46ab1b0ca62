"""Helpers for text pre-passes that must keep line numbers.

Dialect pre-passes (Liquid, kramdown extensions, Obsidian comments) rewrite the
note's body before markdown-it sees it.  Every diagnostic downstream names a
line of the original file, so a replacement never changes the line count:
removed text is replaced by as many newlines as it held.  Code (fences and
inline code spans) is found first so that pre-passes can leave it alone.
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator

FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)((?:(?!\n[ \t]*\n).)+?)(?<!`)\1(?!`)", re.S)

Edit = tuple[int, int, str]
"""(start, end, replacement) on the text."""


def keep_lines(old: str, new: str) -> str:
    """*new* padded with the newlines *old* had, so the line count is unchanged."""
    missing = old.count("\n") - new.count("\n")
    return new + "\n" * max(missing, 0)


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """Apply non-overlapping edits (sorted here), keeping the line count of each."""
    out: list[str] = []
    pos = 0
    for start, end, new in sorted(edits):
        if start < pos:
            continue                      # overlapping edit: the first one wins
        out.append(text[pos:start])
        out.append(keep_lines(text[start:end], new))
        pos = end
    out.append(text[pos:])
    return "".join(out)


def fenced_ranges(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of fenced code blocks, fence lines included."""
    out: list[tuple[int, int]] = []
    pos = 0
    opened: tuple[str, int] | None = None
    for line in text.splitlines(keepends=True):
        m = FENCE.match(line)
        if opened is None and m:
            opened = (m.group(1), pos)
        elif opened is not None and m and m.group(1)[0] == opened[0][0] \
                and len(m.group(1)) >= len(opened[0]) and not line[m.end():].strip():
            out.append((opened[1], pos + len(line)))
            opened = None
        pos += len(line)
    if opened is not None:
        out.append((opened[1], len(text)))
    return out


def code_ranges(text: str) -> list[tuple[int, int]]:
    """Fenced code blocks and inline code spans, sorted by start."""
    fences = fenced_ranges(text)
    ranges = list(fences)
    pos = 0
    for start, end in fences + [(len(text), len(text))]:
        for m in CODE_SPAN.finditer(text, pos, start):
            ranges.append(m.span())
        pos = end
    return sorted(ranges)


_NO_BLANK = r"(?:(?!\n[ \t]*\n).)+?"
MATH = re.compile(r"\$\$" + _NO_BLANK + r"\$\$"                     # display $$..$$ (kramdown's inline $$ too)
                  r"|\\\[" + _NO_BLANK + r"\\\]|\\\(" + _NO_BLANK + r"\\\)"   # \[..\] and \(..\)
                  r"|(?<![\\$])\$(?![\s$])[^$\n]+?(?<![\s\\])\$(?![\d$])",   # inline $..$ (not prices)
                  re.S)
"""TeX math, never across a blank line (an unpaired `$$` must not hide the rest of the note)."""


def math_ranges(text: str) -> list[tuple[int, int]]:
    """TeX math outside code: `{{n}}` there is a TeX group, not Liquid."""
    code = Ranges(code_ranges(text))
    return [m.span() for m in MATH.finditer(text) if not code.contains(m.start())]


class Ranges:
    """Fast 'is this offset inside one of these ranges' queries."""

    def __init__(self, ranges: list[tuple[int, int]]):
        merged: list[tuple[int, int]] = []
        for start, end in sorted(ranges):      # overlapping ranges (code inside raw) are merged
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
            else:
                merged.append((start, end))
        self.ranges = merged
        self.starts = [r[0] for r in merged]

    def contains(self, offset: int) -> bool:
        i = bisect.bisect_right(self.starts, offset) - 1
        return i >= 0 and offset < self.ranges[i][1]


def finditer_closed(pattern: re.Pattern, text: str, opener: str, closer: str, *,
                    line_start: bool = False) -> Iterator[re.Match]:
    """``pattern.finditer(text)`` for a pattern that opens with *opener* and needs *closer* later,
    tried only at openers that have a closer after them: a flood of unclosed openers then costs
    one scan, not one scan to the end of the text per opener.  *line_start*: the pattern is
    anchored at the start of the opener's line (``^[ \t]*...``)."""
    last = text.rfind(closer)
    pos = 0
    while True:
        i = text.find(opener, pos)
        if i == -1 or i > last:
            return
        at = text.rfind("\n", 0, i) + 1 if line_start else i
        m = pattern.match(text, at) if at >= pos else None
        if m:
            yield m
            pos = max(m.end(), i + 1)
        else:
            pos = i + 1


def widen_over_space(text: str, start: int, end: int) -> int:
    """End of a removal, taking one space too when the removed text sat between two spaces."""
    if start > 0 and end < len(text) and text[start - 1] == " " and text[end] == " ":
        return end + 1
    return end


def line_starts(lines: list[str]) -> list[int]:
    """The offset in the joined text ("\\n" between lines) where each of *lines* starts."""
    out, pos = [], 0
    for line in lines:
        out.append(pos)
        pos += len(line) + 1
    return out


def line_of(text: str, offset: int) -> int:
    """0-based line of *offset* in *text*."""
    return text.count("\n", 0, offset)
