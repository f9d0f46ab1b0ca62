"""Helpers for layout tests: lay a note out without writing files, summarise slides."""
from __future__ import annotations

import re
import sys
from pathlib import Path

from deckgen.diagnostics import Diagnostics
from deckgen.layout.geometry import EMU_PER_PT, Bar, LaidOutDeck, PictureFrame, TableFrame, TextFrame
from deckgen.layout.deck import Layouter, LayoutOptions
from deckgen.model import Document
from deckgen.pipeline import cached_theme
from deckgen.read.parse import parse_note
from deckgen.layout.slides import split_slides

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))   # the note generator

WORD = re.compile(r"[0-9A-Za-z]+|[\uac00-\ud7a3]+")


def lay_out(note: Path, **options) -> tuple[Document, LaidOutDeck, Diagnostics]:
    theme, measurer = cached_theme("default")
    diags = Diagnostics()
    doc = parse_note(note, diags, display=note.name)
    deck = split_slides(doc)
    laid = Layouter(theme, measurer, diags, lang=doc.meta.lang, options=LayoutOptions(**options)).layout_deck(deck)
    return doc, laid, diags


def frame_text(shape) -> list[str]:
    if isinstance(shape, TextFrame):
        return ["".join(r.text for r in p.runs) for p in shape.paras]
    if isinstance(shape, TableFrame):
        return ["".join(r.text for r in p.runs) for row in shape.rows for c in row for p in c.paras]
    return []


def deck_words(laid: LaidOutDeck) -> list[str]:
    out = []
    for s in laid.slides:
        for sh in s.shapes:
            for t in frame_text(sh):
                out += WORD.findall(t)
        for n in s.notes:
            out += WORD.findall(n)
    return out


def pt(v: int) -> float:
    return round(v / EMU_PER_PT, 1)


def summary(laid: LaidOutDeck, diags: Diagnostics) -> dict:
    """A compact, reviewable picture of the layout decisions."""
    slides = []
    for s in laid.slides:
        shapes = []
        for sh in s.shapes:
            if isinstance(sh, TextFrame):
                shapes.append({sh.role: [f"{p.size:g}pt x{len(p.lines)}" for p in sh.paras]})
            elif isinstance(sh, TableFrame):
                shapes.append({"table": f"{len(sh.rows)} rows, {sh.rows[0][0].paras[0].size:g}pt"})
            elif isinstance(sh, PictureFrame):
                shapes.append({"picture": f"{pt(sh.w)}x{pt(sh.h)}"})
            elif isinstance(sh, Bar):
                shapes.append("bar")
        slides.append({"title": s.title, "part": f"{s.part}/{s.parts}", "shapes": shapes})
    return {"slides": slides, "fit": sorted({f"{d.code} line {d.source.line}" for d in diags.items
                                             if d.severity == "info"})}
