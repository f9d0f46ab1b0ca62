"""Inline math as styled text runs, for the slides.

A PowerPoint text run cannot hold a picture, but it can be italic and raised or lowered
(`baseline` on `a:rPr`), which PowerPoint and LibreOffice both draw as real sub- and
superscripts. Most inline math in lecture notes is letters with scripts, fractions,
Greek, operators, roots and sums: those become runs (`ρ = N_vm / N_host` as italic
letters with lowered `vm`, `host`), never ASCII like `N_(vm)`. What runs cannot show
(matrices, stacked layouts) is reported by `MathTooComplex`, so the caller can draw
the formula as a picture instead.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from deckgen.model import MathRun
from deckgen.render.tex import MML, MathError, accent_of, accented, covers_all, to_mathml

UPRIGHT_IDENTIFIERS = re.compile(r"^[A-Za-z]{2,}$")
"""Multi-letter identifiers (`sin`, `log`, `max`) are function names: upright, as TeX sets them."""

SPACED = frozenset("=+−-×÷<>≤≥≠≈→←⇒⇔∈∉⊂⊆∪∩±∓·")
"""Binary operators and relations: spaced on the line (TeX's medium/thick spaces), tight in scripts."""

SCRIPTED = ("msub", "msup", "msubsup", "munder", "mover", "munderover")


class MathTooComplex(Exception):
    """The formula has structure that text runs cannot show (a table, nested scripts)."""


def _compound(runs: list[MathRun]) -> bool:
    """Runs that need brackets around them as a fraction's part: more than one term."""
    on_line = "".join(r.text for r in runs if not r.baseline)
    return not re.fullmatch(r"[\w.,]*", on_line) or not on_line


class _Builder:
    """MathML -> runs. Strict: structure runs cannot show raises MathTooComplex; lenient:
    it is flattened (a script inside a script stays on its parent's level, a table's
    cells are listed), still without ASCII markers."""

    def __init__(self, strict: bool):
        self.strict = strict

    def shifted(self, runs: list[MathRun], baseline: int) -> list[MathRun]:
        if any(r.baseline for r in runs) and self.strict:
            raise MathTooComplex("a script inside a script")
        return [MathRun(r.text.strip() or r.text, r.italic, baseline) for r in runs]

    def accent(self, base: list[MathRun], mark: str) -> list[MathRun]:
        return [MathRun(accented(r.text, mark), r.italic, r.baseline) if i == len(base) - 1 or covers_all(mark)
                else r for i, r in enumerate(base)]

    def scripts(self, tag: str, kids: list[ET.Element]) -> list[MathRun]:
        base = self.runs(kids[0])
        if tag in ("msub", "munder"):
            return base + self.shifted(self.runs(kids[1]), -1)
        if tag in ("msup", "mover"):
            return base + self.shifted(self.runs(kids[1]), 1)
        return base + self.shifted(self.runs(kids[1]), -1) + self.shifted(self.runs(kids[2]), 1)

    def bracketed(self, runs: list[MathRun]) -> list[MathRun]:
        return [MathRun("("), *runs, MathRun(")")] if _compound(runs) and len(runs) > 0 else runs

    def fraction(self, kids: list[ET.Element]) -> list[MathRun]:
        top, bottom = (self.runs(k) for k in kids)
        return [*self.bracketed(top), MathRun("/"), *self.bracketed(bottom)]

    def table(self, el: ET.Element) -> list[MathRun]:
        if self.strict:
            raise MathTooComplex("a matrix or table")
        out: list[MathRun] = []
        for i, row in enumerate(el):
            out += [MathRun("; ")] if i else []
            for j, cell in enumerate(row):
                out += ([MathRun(", ")] if j else []) + self.runs(cell)
        return out

    def runs(self, el: ET.Element) -> list[MathRun]:
        tag = el.tag.replace(MML, "")
        kids = list(el)
        if (mark := accent_of(el)) is not None:
            return self.accent(self.runs(kids[0]), mark)
        if tag in SCRIPTED and len(kids) == (3 if tag in ("msubsup", "munderover") else 2):
            return self.scripts(tag, kids)
        if tag == "mfrac" and len(kids) == 2:
            return self.fraction(kids)
        if tag == "msqrt":
            return [MathRun("√"), *self.bracketed([r for k in kids for r in self.runs(k)])]
        if tag == "mtable":
            return self.table(el)
        if tag in ("mroot", "menclose", "mmultiscripts") and self.strict:
            raise MathTooComplex(f"<{tag}>")
        text = (el.text or "").strip() if tag in ("mi", "mn", "mo", "mtext", "ms") else ""
        if tag == "mi" and text:
            if UPRIGHT_IDENTIFIERS.match(text):
                return [MathRun(text + " ")]           # a function name, then a space
            return [MathRun(text, italic=el.get("mathvariant") != "normal")]
        if tag == "mo" and text in SPACED:
            text = f" {'−' if text == '-' else text} "
        out = [MathRun(text)] if text else []
        for kid in kids:
            out += self.runs(kid)
        return out


def _merged(runs: list[MathRun]) -> tuple[MathRun, ...]:
    out: list[MathRun] = []
    for r in runs:
        if out and (out[-1].italic, out[-1].baseline) == (r.italic, r.baseline):
            out[-1] = MathRun(out[-1].text + r.text, r.italic, r.baseline)
        else:
            out.append(r)
    return tuple(out)


def tex_to_runs(tex: str, *, strict: bool = True) -> tuple[MathRun, ...]:
    """Runs for inline TeX; MathError when it cannot be parsed; with *strict*, MathTooComplex
    when runs cannot show it (else it is flattened)."""
    root = to_mathml(tex.strip())
    runs = _merged(_Builder(strict).runs(root))
    if not runs:
        raise MathError("empty formula")
    return runs
