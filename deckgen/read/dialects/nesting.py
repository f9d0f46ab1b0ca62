"""Deep nesting, flattened before markdown-it sees it, so nothing after it is lost.

markdown-it stops parsing a block once its nesting passes `maxNesting` and
skips the rest of the enclosing block, which for a list 10 deep or quotes 20
deep was the rest of the note.  We raise `maxNesting` (see mdit.py) and, past
MAX_LIST_DEPTH list levels or MAX_QUOTE_DEPTH quote levels, move the deeper
lines up to the cap: their words stay, only their indentation is lost, and a
warning names the first line of each flattened run.  A deck cannot show more
levels than PowerPoint's nine paragraph levels anyway.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from deckgen.diagnostics import Diagnostics
from deckgen.read.dialects.textpass import fenced_ranges, line_of
from deckgen.read.source import Source

MAX_LIST_DEPTH = 8
MAX_QUOTE_DEPTH = 8
ITEM = re.compile(r"^( *)([-+*]|\d{1,9}[.)])( +|$)")
QUOTES = re.compile(r"^( {0,3}(?:> ?))+")
PREFIX = re.compile(r"^(?: {0,3}(?:>|[-+*](?= )|\d{1,9}[.)](?= )) *)+")
"""Containers opened on one line: `> - > 1. > text`."""
MAX_PREFIX = 12
MAX_INLINE_DEPTH = 40
"""Emphasis, links and inline HTML nested deeper than this keep their text but not their styles
(`**` x 500 made a tree deeper than Python's recursion limit)."""


@dataclass
class _Item:
    indent: int
    """Column of the marker in the original text."""
    content: int
    """Column where the item's text starts (deeper lines belong to it)."""
    shift: int = 0
    """Columns this item (and what is inside it) moves left."""


def _columns(line: str) -> str:
    return line.expandtabs(4)


def prepass(src: Source, diags: Diagnostics) -> str:
    """The body with lists, quotes and `:::` divs nested past their caps flattened."""
    text = src.text
    code = fenced_ranges(text)
    code_lines = {n for a, b in code for n in range(line_of(text, a), line_of(text, max(a, b - 1)) + 1)}
    lines = text.split("\n")
    flat_list = _flatten_lists(lines, code_lines)
    flat_quote = _flatten_quotes(lines, code_lines)
    flat_div = _flatten_divs(lines, code_lines)
    flat = flat_list | flat_quote | flat_div
    first_div = min(flat_div, default=-1)
    for n in sorted(flat):
        if n - 1 not in flat and (n not in flat_div or n == first_div):   # one warning for all divs
            what = "list" if n in flat_list else "block quote" if n in flat_quote else "fenced div (:::)"
            cap = MAX_LIST_DEPTH if n in flat_list else MAX_QUOTE_DEPTH if n in flat_quote else MAX_DIV_DEPTH
            diags.warning("nesting-flattened", f"{what} nested deeper than {cap} levels: the deeper levels "
                          f"are shown at level {cap}", src.span(n))
    return "\n".join(lines)


def _flatten_lists(lines: list[str], code_lines: set[int]) -> set[int]:
    """Rewrite *lines* in place; the numbers of the lines moved left."""
    stack: list[_Item] = []
    moved: set[int] = set()
    blank_before = False
    for n, raw in enumerate(lines):
        line = _columns(raw)
        if not line.strip():
            blank_before = True
            continue
        indent = len(line) - len(line.lstrip(" "))
        m = ITEM.match(line) if n not in code_lines else None
        if m:
            while stack and indent < stack[-1].content:
                stack.pop()
            width = len(m.group(2)) + max(1, min(len(m.group(3)), 4))
            item = _Item(indent, indent + width)
            if len(stack) >= MAX_LIST_DEPTH:
                cap = stack[MAX_LIST_DEPTH - 1]
                item.shift = indent - (cap.indent - cap.shift)
            stack.append(item)
        elif blank_before and indent == 0:
            stack.clear()
        blank_before = False
        owner = next((it for it in reversed(stack) if indent >= it.indent), None)
        if owner and owner.shift > 0 and n not in code_lines:
            lines[n] = line[min(owner.shift, indent):]
            moved.add(n)
    return moved


def _flatten_quotes(lines: list[str], code_lines: set[int]) -> set[int]:
    moved: set[int] = set()
    for n, line in enumerate(lines):
        if n in code_lines:
            continue
        m = QUOTES.match(line)
        if m is not None and m.group(0).count(">") > MAX_QUOTE_DEPTH:
            lines[n] = line = "> " * MAX_QUOTE_DEPTH + line[m.end():]
            moved.add(n)
        m = PREFIX.match(line)
        markers = re.findall(r">|[-+*]|\d{1,9}[.)]", m.group(0)) if m else []
        if m is not None and len(markers) > MAX_PREFIX:
            lines[n] = " ".join(markers[:MAX_PREFIX]) + " " + line[m.end():]
            moved.add(n)
    return moved


MAX_DIV_DEPTH = 8
DIV_FENCE = re.compile(r"^ {0,3}(:{3,})\s*(.*)$")


def _flatten_divs(lines: list[str], code_lines: set[int]) -> set[int]:
    """Blank the fence lines of `:::` divs nested deeper than MAX_DIV_DEPTH (their content joins
    the div around them): 500 nested divs passed markdown-it's nesting limit and the text inside
    the deepest was lost.  The numbers of the lines blanked."""
    stack: list[tuple[int, bool]] = []          # (colons, flattened) of each open div
    moved: set[int] = set()
    for n, line in enumerate(lines):
        m = DIV_FENCE.match(line) if n not in code_lines else None
        if m is None:
            continue
        colons = len(m.group(1))
        if m.group(2):                              # an opener: `::: {.note}`, `:::: columns`
            flattened = len(stack) >= MAX_DIV_DEPTH
            stack.append((colons, flattened))
        elif stack and colons >= stack[-1][0]:      # a closer: the innermost open div
            flattened = stack.pop()[1]
        else:
            continue
        if flattened:
            lines[n] = ""
            moved.add(n)
    return moved


def check_tokens(tokens: list, src: Source, diags: Diagnostics, max_nesting: int) -> None:
    """After markdown-it: flatten inline styles nested past MAX_INLINE_DEPTH, and say so if
    block nesting reached markdown-it's limit anyway (it skips what lies deeper)."""
    line = 0
    for tok in tokens:
        line = tok.map[0] if tok.map else line
        if tok.level >= max_nesting - 2:
            diags.warning("nesting-too-deep", f"blocks nested more than {max_nesting} levels deep: text "
                          "inside the deepest block may be missing", src.span(line))
            break
    for tok in tokens:
        if tok.children and _flatten_inline(tok):
            diags.warning("nesting-flattened", f"inline styles nested deeper than {MAX_INLINE_DEPTH} levels: "
                          "the deeper styles are dropped, the text is kept", src.span(tok.map[0] if tok.map else 0))


def _flatten_inline(tok) -> bool:
    """Drop open/close tokens deeper than MAX_INLINE_DEPTH from an inline token's children."""
    depth, kept, dropped = 0, [], False
    for child in tok.children:
        if child.nesting == 1:
            depth += 1
        if abs(child.nesting) == 1 and depth > MAX_INLINE_DEPTH:
            dropped = True
        else:
            kept.append(child)
        if child.nesting == -1:
            depth -= 1
    if dropped:
        tok.children = kept
    return dropped
