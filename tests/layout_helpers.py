"""Helpers for layout tests: lay a note out without writing files, summarise slides."""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

from deckgen.diagnostics import Diagnostics
from deckgen.layout.geometry import EMU_PER_PT, Bar, LaidOutDeck, PictureFrame, TableFrame, TextFrame
from deckgen.layout.deck import Layouter, LayoutOptions
from deckgen.model import Document
from deckgen.pipeline import cached_theme
from deckgen.read.parse import parse_note
from deckgen.layout.slides import split_slides
from deckgen.layout.titles import TITLE_BODY_GAP

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


def lay_out_drawn(note: Path, cache: Path, **options) -> tuple[Document, LaidOutDeck, Diagnostics]:
    """lay_out() with the figures drawn first (mermaid, dot, math as pictures), as a build does."""
    from deckgen.render import render_figures
    theme, measurer = cached_theme("default")
    diags = Diagnostics()
    doc = parse_note(note, diags, display=note.name)
    doc = render_figures(doc, diags, cache_dir=cache, theme=theme, project_root=note.parent)
    laid = Layouter(theme, measurer, diags, lang=doc.meta.lang, options=LayoutOptions(**options)).layout_deck(
        split_slides(doc))
    return doc, laid, diags


@dataclass(frozen=True)
class PageFill:
    """How full one slide's body is: the slide is part *part* of *parts* of one logical slide."""

    index: int
    """The slide's position in the deck (0-based)."""
    title: str
    part: int
    parts: int
    fill: float
    """Height from the top of the body frame to the bottom of the lowest body shape, over the body
    frame's height (the body frame starts below the title, which may have pushed it down)."""
    shapes: tuple[str, ...]
    """The kinds of the body shapes, top to bottom ('text', 'code', 'table', 'picture', ...)."""


def _shape_kind(sh) -> str:
    if isinstance(sh, TextFrame):
        return "text" if sh.role in ("body", "quote", "callout") else sh.role
    return {TableFrame: "table", PictureFrame: "picture", Bar: "box"}.get(type(sh), type(sh).__name__)


def page_fill(laid: LaidOutDeck, index: int, theme) -> PageFill:
    """The fill of content slide *index*: body shapes' extent over the body frame's height."""
    s = laid.slides[index]
    body = theme.boxes.body
    bottom = (body.y + body.h) * EMU_PER_PT
    top = body.y * EMU_PER_PT
    if s.title_shape is not None:
        t = s.shapes[s.title_shape]
        top = max(top, t.y + t.h + TITLE_BODY_GAP * EMU_PER_PT)
    shapes = [sh for i, sh in enumerate(s.shapes) if i != s.title_shape]
    low = max((sh.y + sh.h for sh in shapes), default=top)
    kinds = tuple(_shape_kind(sh) for sh in sorted(shapes, key=lambda sh: sh.y) if not isinstance(sh, Bar))
    return PageFill(index, s.title, s.part, s.parts, (low - top) / (bottom - top), kinds)


def fills_before_continuations(laid: LaidOutDeck, theme) -> list[PageFill]:
    """Every content slide followed by its own "(계속)" continuation, with how full its body is."""
    return [page_fill(laid, i, theme) for i, s in enumerate(laid.slides)
            if s.kind == "content" and s.part < s.parts]
