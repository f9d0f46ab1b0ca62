"""Model spans -> laid-out runs and measurable pieces; Pygments code -> coloured runs."""
from __future__ import annotations

import functools

from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name
from pygments.styles import get_style_by_name
from pygments.token import _TokenType
from pygments.util import ClassNotFound

from deckgen.layout.geometry import Run
from deckgen.layout.measure import Piece
from deckgen.model import Span

SUP_SCALE = 0.7


def span_runs(spans: tuple[Span, ...], *, role: str = "body", bold: bool = False, color: str | None = None,
              link_color: str | None = None, mark_color: str | None = None) -> list[Run]:
    out = []
    for s in spans:
        if s.math_runs:                       # inline math: italic variables, real scripts
            out += [Run(text=m.text, role=role, bold=bold or s.bold, italic=m.italic or s.italic,
                        color=s.color or color, baseline=m.baseline) for m in s.math_runs]
            continue
        out.append(Run(
            text=s.text, role="mono" if s.code else role, bold=bold or s.bold, italic=s.italic,
            strike=s.strike, underline=s.underline or bool(s.link),
            color=s.color or (link_color if s.link else None) or color,
            link=s.link, highlight=mark_color if s.highlight else None, baseline=s.baseline))
    return out


def run_pieces(runs: list[Run]) -> list[Piece]:
    return [Piece(r.text, r.role, r.bold, SUP_SCALE if r.baseline else 1.0) for r in runs]


def plain_runs(text: str, *, role: str = "body", bold: bool = False, color: str | None = None) -> list[Run]:
    return [Run(text, role, bold, color=color)]


@functools.lru_cache(maxsize=8)
def _style_colors(style_name: str) -> dict[_TokenType, tuple[str, bool, bool]]:
    """(colour, bold, italic) per token type of a Pygments style (an unknown style: 'friendly')."""
    try:
        style = get_style_by_name(style_name)
    except ClassNotFound:
        style = get_style_by_name("friendly")
    out: dict[_TokenType, tuple[str, bool, bool]] = {}
    for ttype, st in style:
        out[ttype] = (st["color"] or "", bool(st["bold"]), bool(st["italic"]))
    return out


def _lexer(language: str, code: str) -> Lexer | None:
    try:
        return get_lexer_by_name(language.lower(), stripnl=False, ensurenl=False) if language else None
    except ClassNotFound:
        return None


def code_lines(code: str, language: str, style_name: str, default_color: str) -> list[list[Run]]:
    """Highlighted code as one list of runs per source line (tabs expanded to 4)."""
    code = code.expandtabs(4)
    lexer = _lexer(language, code)
    if lexer is None:
        return [[Run(line, "mono", color=default_color)] if line else [] for line in code.split("\n")]
    colors = _style_colors(style_name)
    lines: list[list[Run]] = [[]]
    # session lexers (console, pycon) drop a last output line that has no newline: give them one
    for ttype, value in lexer.get_tokens(code if code.endswith("\n") else code + "\n"):
        t = ttype
        while t not in colors and t.parent is not None:
            t = t.parent
        color, bold, italic = colors.get(t, ("", False, False))
        parts = value.split("\n")
        for i, part in enumerate(parts):
            if i:
                lines.append([])
            if part:
                lines[-1].append(Run(part, "mono", bold, italic, color=(color or default_color).upper()))
    if lines and not lines[-1] and code and not code.endswith("\n"):
        lines.pop()                               # the newline added above
    return lines


