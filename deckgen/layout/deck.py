"""Fit slides: measure, shrink one step, or continue on more slides.

The only stage that decides where text goes.  For each logical slide: the
title shrinks before wrapping past two lines; the body items are measured
with the real fonts; if they overflow, the slide shrinks one step (never
below the theme's minimum sizes), else it continues on "… (계속)" slides,
breaking only between items (code between lines, tables between rows),
balancing the pages so no slide is left near-empty.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import assert_never

from deckgen.diagnostics import Diagnostics
from deckgen.layout.flow import CodeItem, ColumnsItem, ImageItem, Item, TableItem, TextItem, flatten
from deckgen.layout.fit import (Chunk, ColumnsChunk, ImageChunk, Metrics, TextChunk, stack_height)
from deckgen.layout.frames import COLUMN_GAP, CONT_LABELS, build_frames, caption_h, grow_images
from deckgen.layout.geometry import LaidOutDeck, LaidSlide, emu
from deckgen.layout.measure import Measurer
from deckgen.model import Deck, Meta, Slide, plain_text
from deckgen.layout.notes import notes_text
from deckgen.theme.load import Insets, Theme
from deckgen.layout.pages import Paginator
from deckgen.layout.tables import table_chunks
from deckgen.layout.texts import LEGIBLE_PT, TextSetter
from deckgen.layout.titles import TitleSetter

MAX_SHRINK_STEPS = 1      # "shrink one step, else continue"
SIDE_TEXT_SHARE = 0.54    # two-column slides: the text column's share of the body width
SIDE_GAP = 0.03
SIDE_MIN_GAIN = 1.15      # go two-column only when the picture gets at least 15 % larger
BLOCK_GAP = 1.2           # space between frames, in paragraph gaps (spacing.paragraph_before)
OVERFLOW_TOLERANCE = 0.5  # points a lone block may run past the bottom before it is reported


@dataclass
class LayoutOptions:
    prose_to_notes: bool = False
    """Move long prose paragraphs to the speaker notes (blog-style notes)."""
    prose_min_chars: int = 160


def _advice(c: ImageChunk) -> str:
    """What would make a diagram legible: it is limited by the slide's width or by its height."""
    w, h = c.natural
    if w / h > 1.62:                                 # wider than the body box: the width limits it
        return "shorten its labels, or draw it top to bottom"
    return "split it, or draw it left to right"


class Layouter:
    def __init__(self, theme: Theme, measurer: Measurer, diags: Diagnostics, *, lang: str = "ko-KR",
                 options: LayoutOptions | None = None):
        self.theme = theme
        self.m = measurer
        self.diags = diags
        self.lang = lang
        self.options = options or LayoutOptions()
        self.text = TextSetter(theme, measurer)
        self.titles = TitleSetter(theme, self.text)
        self.pages = Paginator(self.text, theme)
        self.warned: set[object] = set()
        """Sources already warned about (a slide is measured once per size step)."""

    # ------------------------------------------------------------- metrics
    def metrics(self, k: int) -> Metrics:
        t = self.theme
        s, sp = t.sizes, t.spacing
        body = max(s.body_min, s.body - k * s.step)
        code = max(s.code_min, s.code - k * s.step)
        table = max(s.table_min, s.table - k * s.step)
        return Metrics(body=body, code=code, table=table, pitch=sp.line_height,
                       code_pitch=sp.code_line_height, para_gap=body * sp.paragraph_before,
                       block_gap=body * sp.paragraph_before * BLOCK_GAP, indent=s.body * sp.bullet_indent,
                       text_insets=_ltrb(t.insets.text), code_insets=_ltrb(t.insets.code),
                       cell_insets=_ltrb(t.insets.cell), step=k)

    # ---------------------------------------------------------------- deck
    def layout_deck(self, deck: Deck) -> LaidOutDeck:
        out: list[LaidSlide] = []
        for slide in deck.slides:
            if slide.kind == "title":
                out.append(self.title_slide(slide, deck.meta))
            elif slide.kind == "section":
                out.append(self.section_slide(slide))
            else:
                out.extend(self.content_slides(slide))
        return LaidOutDeck(emu(self.theme.slide_w), emu(self.theme.slide_h), tuple(out), self.lang,
                           deck.meta.title, deck.meta.author)

    def title_slide(self, slide: Slide, meta: Meta) -> LaidSlide:
        shapes = self.titles.title_slide(meta)
        return LaidSlide("title", meta.title, tuple(shapes), tuple(notes_text(slide.notes)), slide.source,
                         title_shape=self.titles.title_index(shapes))

    def section_slide(self, slide: Slide) -> LaidSlide:
        shapes = self.titles.section_slide(slide)
        return LaidSlide("section", plain_text(slide.title), tuple(shapes), tuple(notes_text(slide.notes)),
                         slide.source, title_shape=self.titles.title_index(shapes))

    # ------------------------------------------------------------ content
    def content_slides(self, slide: Slide) -> list[LaidSlide]:
        items = flatten(slide.blocks)
        notes = list(notes_text(slide.notes))
        if self.options.prose_to_notes:
            items, moved = self.move_prose(items)
            notes = moved + notes
        title_text = plain_text(slide.title)
        title_frame, body_top = self.titles.title(slide.title, slide.source, self.diags)
        body = self.theme.boxes.body
        body_h = body.y + body.h - body_top
        pages, m = self.fit(items, body.w, body_h, slide)
        result = []
        for n, page in enumerate(pages, 1):
            frame = title_frame
            if n > 1:
                frame, _ = self.titles.title(slide.title, slide.source, None, suffix=CONT_LABELS.get(
                    self.lang.split("-")[0], CONT_LABELS["en"]))
            shapes = [frame] + (self.side_by_side(page, m, body.x, body_top, body.w, body_h)
                                or build_frames(page, m, self.theme, body.x, body_top, body.w, body_h))
            result.append(LaidSlide("content", title_text, tuple(shapes), tuple(notes if n == 1 else ()),
                                    slide.source, n, len(pages), title_shape=0))
        return result

    def side_by_side(self, page: list[Chunk], m: Metrics, x: float, top: float, w: float,
                     h: float) -> list | None:
        """Text left, the picture right, when that shows the picture larger and the text still fits."""
        images = [c for c in page if isinstance(c, ImageChunk)]
        texts = [c for c in page if isinstance(c, TextChunk)]
        if len(images) != 1 or not texts or len(texts) + 1 != len(page) or images[0].placeholder is not None:
            return None
        if images[0].item.em_size is not None:           # a formula in its sentence, never beside it
            return None
        if any(c.part or c.context for c in texts):
            return None
        img = images[0]
        text_w, gap = w * SIDE_TEXT_SHARE, w * SIDE_GAP
        col_w = w - text_w - gap
        narrow = self.measure([c.item for c in texts], text_w, m)
        if stack_height(narrow, m) > h:
            return None
        nw, nh = img.natural
        cap = caption_h(img)
        side = min(1.0, col_w / nw, (h - cap) / nh)
        stacked_page = grow_images(page, m, h)
        shown = next(c for c in stacked_page if isinstance(c, ImageChunk))
        stacked = min(1.0, (shown.height - cap) / nh, w / nw)
        if side <= stacked * SIDE_MIN_GAIN:
            return None
        self.diags.info("two-columns", "text and picture side by side", img.item.source)
        img_chunk = replace(img, height=min(h, nh * side + cap))
        left = build_frames(narrow, m, self.theme, x, top, text_w, h)
        right = build_frames([img_chunk], m, self.theme, x + text_w + gap, top, col_w, h)
        return left + right

    def move_prose(self, items: list[Item]) -> tuple[list[Item], list[str]]:
        keep, moved = [], []
        cut = {it.source for it in items if isinstance(it, ImageItem) and it.em_size}   # around a formula
        for it in items:
            if isinstance(it, TextItem) and it.style == "para" and it.level == 0 and it.box is None \
                    and it.source not in cut and len(plain_text(it.spans)) >= self.options.prose_min_chars:
                moved.append(plain_text(it.spans).replace("\n", " "))
                self.diags.info("prose-to-notes", "long paragraph moved to the speaker notes", it.source)
            else:
                keep.append(it)
        return keep, moved

    # ---------------------------------------------------------------- fit
    def measure(self, items: list[Item], width: float, m: Metrics) -> list[Chunk]:
        chunks: list[Chunk] = []
        for it in items:
            match it:
                case TextItem():
                    chunks.append(self.text.paragraph(it, width, m))
                case CodeItem():
                    chunks.append(self.text.code(it, width, m, self.diags))
                case TableItem():
                    chunks.extend(table_chunks(it, width, m, self.theme, self.m, self.diags, self.warned))
                case ImageItem():
                    chunks.append(self.text.image(it, width, m))
                case ColumnsItem():
                    chunks.extend(self.columns(it, width, m))
                case _:
                    assert_never(it)
        return chunks

    def columns(self, it: ColumnsItem, width: float, m: Metrics) -> list[Chunk]:
        """Side-by-side columns; taller than a slide, they fall back to one column."""
        cols = it.columns
        gap = width * COLUMN_GAP
        col_w = (width - gap * (len(cols) - 1)) / max(1, len(cols))
        measured = [self.measure(list(col), col_w, m) for col in cols]
        height = max((stack_height(c, m) for c in measured), default=0.0)
        if height > self.theme.boxes.body.h:
            self.diags.info("columns-stacked", "columns too tall for one slide are shown one after another",
                            it.source)
            return self.measure([x for col in cols for x in col], width, m)
        return [ColumnsChunk(item=it, height=height, columns=tuple(tuple(c) for c in measured))]

    def check_legibility(self, chunks: list[Chunk]) -> None:
        """Warn about a diagram whose labels stay small even when it fills the slide."""
        for c in chunks:
            if isinstance(c, ImageChunk) and c.label_pt is not None and c.label_pt < LEGIBLE_PT - 0.05:
                self.diags.warning("figure-small-labels", f"the {c.item.image.alt or 'diagram'}'s smallest "
                                   f"labels are {c.label_pt:.1f} pt even at the largest size a slide allows "
                                   f"(under {LEGIBLE_PT:g} pt); {_advice(c)}", c.item.source)

    def fit(self, items: list[Item], width: float, height: float, slide: Slide) -> tuple[list[list[Chunk]], Metrics]:
        """Pages of chunks: one page at full size, one page a step smaller, or several at full size."""
        if not items:
            return [[]], self.metrics(0)
        full: list[Chunk] = []
        for k in range(MAX_SHRINK_STEPS + 1):
            m = self.metrics(k)
            chunks = self.measure(items, width, m)
            if not full:                                 # kept: pages are cut at full size
                full = chunks
                self.check_legibility(full)
            crowded = len(chunks) > 1 and any(self.pages.alone(c) for c in chunks)
            if stack_height(chunks, m) <= height and not crowded:
                if k:
                    self.diags.info("slide-shrunk", f"'{plain_text(slide.title)}': body text shrunk to "
                                    f"{m.body:g} pt to fit one slide", slide.source)
                return [chunks], m
            if m == self.metrics(k + 1):
                break
        m = self.metrics(0)
        pages = self.pages.paginate(full, height, m)
        for page in pages:
            over = stack_height(page, m) - height
            if over > OVERFLOW_TOLERANCE:
                c = next(x for x in reversed(page) if not x.context)
                self.diags.warning("overflow", f"'{plain_text(slide.title)}': a {c.noun} block is "
                                   f"{over:.0f} pt too tall for a slide even on its own and runs past the "
                                   f"bottom", c.item.source)
        self.diags.info("slide-split", f"'{plain_text(slide.title)}' continues on {len(pages)} slides "
                        f"(breaks before lines {', '.join(str(p[0].item.source.line) for p in pages[1:])})",
                        slide.source)
        return pages, m


def _ltrb(i: Insets) -> tuple[float, float, float, float]:
    return (i.left, i.top, i.right, i.bottom)


__all__ = ["Layouter", "LayoutOptions"]
