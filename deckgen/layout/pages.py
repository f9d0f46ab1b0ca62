"""Cut a slide's measured chunks into pages: greedy, then balanced.

A chunk too tall for the room left is cut (paragraphs between lines, code
between lines, tables between rows); lead-ins and parent bullets move with
what follows them; a continuation page starts with dimmed copies of the
parent bullets of its first chunk; a large diagram gets a page of its own.
Composition (issue 14): no page is left under MIN_FILL before its own
continuation (the picture after a short text shrinks to share its page), and a
picture yields before a table is split (it shrinks, or the table moves whole).
"""
from __future__ import annotations

from dataclasses import replace
from typing import assert_never

from deckgen.layout.fit import (Chunk, CodeChunk, ColumnsChunk, ImageChunk, Metrics, TableChunk, TextChunk,
                                caption_height, closing, stack_height, step)
from deckgen.layout.flow import TextItem
from deckgen.layout.tables import split_table
from deckgen.layout.texts import DIAGRAM_ALONE_SHARE, TextSetter
from deckgen.theme.load import Theme

MIN_SPLIT_LINES = 2       # never leave fewer lines than this of a split paragraph/code on a page
BALANCE_FLOOR = 0.8       # balanced pages: try capacities down to this share of an even split
BALANCE_STEPS = 14        # bisection steps for the balanced capacity (876 pt / 2**14: well under a point)
CONTEXT_DEPTH = 3         # a continuation slide repeats at most this many parent bullets
CONTEXT_MAX_SHARE = 0.5   # ... taking at most this share of its body (large template sizes overflowed)
FIT_TOLERANCE = 0.01      # points a balanced page may exceed the body by (float rounding)
MIN_FILL = 0.25           # a slide before its own continuation is at least this full (issue 14): text
                          # filling less of it keeps the picture that follows, shrunk to the room left
MIN_PICTURE_KEEP = 0.5    # ... unless that leaves the picture less than this share of its least height
TAIL_SHRINK = 0.8         # a short text after a large diagram joins it when the diagram keeps this share
TABLE_WHOLE_SHARE = 1.0   # a table up to this share of the body moves whole past a picture rather than split
PICTURE_YIELD = 0.3       # a photo yields room to a table down to this share of the body height


class Paginator:
    """Pages for one slide's chunks, measured at one size."""

    def __init__(self, text: TextSetter, theme: Theme):
        self.text = text
        self.theme = theme

    def paginate(self, chunks: list[Chunk], height: float, m: Metrics) -> list[list[Chunk]]:
        """Greedy pages, then the smallest capacity that keeps the page count (balanced pages)."""
        pages = self.greedy(chunks, height, height, m)
        n = len(pages)
        if n < 2:
            return pages
        lo, hi = height / n * BALANCE_FLOOR, height
        best, shrunk = pages, _shrunk(pages, chunks)
        for _ in range(BALANCE_STEPS):
            mid = (lo + hi) / 2
            trial = self.greedy(chunks, mid, height, m)
            if len(trial) <= n and _all_fit(trial, height, m) and _shrunk(trial, chunks) <= shrunk:
                best, hi = trial, mid
            else:
                lo = mid
        return best

    def greedy(self, chunks: list[Chunk], cap: float, hard: float, m: Metrics) -> list[list[Chunk]]:
        """Fill pages in order up to *cap* points; a chunk alone on its page may be cut at *hard*."""
        pages: list[list[Chunk]] = [[]]
        queue = list(chunks)
        used = 0.0
        while queue:
            c = queue.pop(0)
            page = pages[-1]
            if not page and pages[:-1]:
                page.extend(self.context(c, m))
                used = stack_height(page, m)
            alone = self.alone(c)
            # a picture (never a table, so yield_to_table below cannot change it) fitted under short text
            lead = self.share_with_lead(page, used, c, hard, m) if _has_content(page) else None
            if alone and _has_content(page) and lead is None:
                queue.insert(0, c)                       # a large diagram starts its own slide
                pages.append([])
                used = 0.0
                continue
            prev = page[-1] if page else None
            need = step(prev, c, m) + closing(c, m) - closing(prev, m)
            if used + need > cap and isinstance(c, TableChunk) and _has_content(page):
                used = self.yield_to_table(page, used, need, cap, m)    # a picture yields before a table splits
            shared = None if used + need <= cap else lead
            if used + need <= cap or shared is not None:
                if shared is not None:                   # a picture made to fit under a short text
                    c, need = shared, step(prev, shared, m) + closing(shared, m) - closing(prev, m)
                page.append(c)
                used += need
                if alone and queue:
                    if self.share_with_tail(page, queue, hard, m):     # a last sentence stays too
                        used = stack_height(page, m)
                    else:
                        pages.append([])
                        used = 0.0
                continue
            if not self.cut_here(pages, queue, c, used, need - c.height, cap, hard):
                page.append(c)
                used += need
                continue
            pages.append([])
            used = 0.0
        return [p for p in pages if p]

    def cut_here(self, pages: list[list[Chunk]], queue: list[Chunk], c: Chunk, used: float, overhead: float,
                 cap: float, hard: float) -> bool:
        """*c* does not fit the room left on the last page: put what fits of it there and the rest on
        *queue*, and say True (the page is done); False when *c* stays whole on a page of its own."""
        page = pages[-1]
        parts = None if self.keep_whole(page, c, hard) else self.split(c, cap - used - overhead)
        if not _has_content(page):                       # first on its page and too tall: cut it
            if parts is None and used + c.height + overhead > hard:
                parts = self.split(c, hard - used - overhead)
            if parts is None:
                return False
        if parts is not None:
            page.append(parts[0])
            queue.insert(0, parts[1])
        else:
            queue.insert(0, c)
            _keep_together(pages, queue)
        return True

    def keep_whole(self, page: list[Chunk], c: Chunk, hard: float) -> bool:
        """A table that would be cut under a picture and fits a slide of its own moves there whole:
        cutting a short table after a row or two to fill the room beside a picture reads badly."""
        return (isinstance(c, TableChunk) and not c.part and c.height <= hard * TABLE_WHOLE_SHARE
                and any(isinstance(x, ImageChunk) and not x.context for x in page))

    def yield_to_table(self, page: list[Chunk], used: float, need: float, cap: float, m: Metrics) -> float:
        """Shrink the pictures on *page* (never below their floor) so a table of *need* points fits
        whole under them; the new height used, or *used* unchanged when even that is not enough."""
        body_h = self.theme.boxes.body.h
        give = {id(x): x.height - _picture_floor(x, body_h) for x in page if isinstance(x, ImageChunk)}
        short = used + need - cap
        total = sum(g for g in give.values() if g > 0)
        if total < short or short <= 0:
            return used
        for n, x in enumerate(page):
            if isinstance(x, ImageChunk) and give[id(x)] > 0:
                page[n] = replace(x, height=x.height - give[id(x)] * short / total)
        return stack_height(page, m)

    def share_with_lead(self, page: list[Chunk], used: float, c: Chunk, hard: float, m: Metrics) -> Chunk | None:
        """The picture *c* made to fit under the short text on *page*, or None: a slide holding only
        a sentence before its picture's "(계속)" slide is the near-empty slide lecturers notice.
        Under text filling less than a quarter of the body a picture always shrinks to the room left
        (the guarantee of issue 14); a tall one then often goes beside the text at full height."""
        if not isinstance(c, ImageChunk) or used >= hard * MIN_FILL:
            return None
        room = hard - used - (step(page[-1], c, m) - c.height) - closing(c, m)
        if room < c.height * MIN_PICTURE_KEEP:
            return None
        return replace(c, height=min(c.height, room))

    def share_with_tail(self, page: list[Chunk], queue: list[Chunk], hard: float, m: Metrics) -> bool:
        """Shrink the large diagram ending *page* so the short rest of the slide (*queue*, less than a
        quarter of the body) fits under it, keeping TAIL_SHRINK of its height; False when it cannot."""
        c = page[-1]
        if not isinstance(c, ImageChunk) or stack_height(queue, m) >= hard * MIN_FILL:
            return False
        over = stack_height(page + queue, m) - hard + FIT_TOLERANCE
        if over > 0 and c.height - over < c.height * TAIL_SHRINK:
            return False
        if over > 0:
            page[-1] = replace(c, height=c.height - over)
        return True

    def alone(self, c: Chunk) -> bool:
        """A large diagram: it gets a slide of its own. One with labels is large when even at the
        smallest size its labels allow it needs most of the body; one without, at its natural size."""
        if not isinstance(c, ImageChunk) or c.item.image.kind != "diagram":
            return False
        least = c.height if c.label_pt is not None else c.natural[1]
        return least > self.theme.boxes.body.h * DIAGRAM_ALONE_SHARE

    def context(self, chunk: Chunk, m: Metrics) -> list[Chunk]:
        """Dimmed copies of the parent bullets of the first chunk on a continuation slide."""
        chain: list[TextItem] = []
        parent = chunk.item.parent
        while parent is not None and len(chain) < CONTEXT_DEPTH:
            chain.insert(0, parent)
            parent = parent.parent
        out: list[Chunk] = []
        body_h = self.theme.boxes.body.h
        budget = body_h * CONTEXT_MAX_SHARE
        if isinstance(chunk, (ImageChunk, ColumnsChunk)):   # cannot be cut: the parents leave it room
            budget = min(budget, body_h - chunk.height)
        for it in reversed(chain):               # nearest parent first; large text sizes keep fewer
            c = self.text.paragraph(it, self.theme.boxes.body.w, m, dim=True)
            budget -= c.height + m.para_gap
            if budget < 0:
                break
            out.insert(0, replace(c, context=True))
        return out

    def split(self, c: Chunk, room: float) -> tuple[Chunk, Chunk] | None:
        """*c* cut to fit *room* points and the rest, or None when it cannot be cut there."""
        match c:
            case TextChunk():
                return self.text.split_paragraph(c, room, MIN_SPLIT_LINES)
            case CodeChunk():
                return self.text.split_code(c, room, MIN_SPLIT_LINES + 1)
            case TableChunk():
                return split_table(c, room)
            case ImageChunk() | ColumnsChunk():
                return None
            case _:
                assert_never(c)


def _has_content(page: list[Chunk]) -> bool:
    """Whether *page* holds more than the dimmed context repeated at its top."""
    return any(not x.context for x in page)


def _shrunk(pages: list[list[Chunk]], chunks: list[Chunk]) -> int:
    """How many pictures are shrunk below their measured least height: balancing may not shrink more
    (it once cut a paragraph to hand its last lines to a diagram's slide, shrinking the diagram)."""
    least = {id(c.item): c.height for c in chunks if isinstance(c, ImageChunk)}
    return sum(1 for p in pages for c in p
               if isinstance(c, ImageChunk) and c.height < least.get(id(c.item), 0.0) - FIT_TOLERANCE)


def _all_fit(pages: list[list[Chunk]], height: float, m: Metrics) -> bool:
    return all(stack_height(p, m) <= height + FIT_TOLERANCE or len(p) == 1 for p in pages)


def _keep_together(pages: list[list[Chunk]], queue: list[Chunk]) -> None:
    """Move trailing keep-with-next chunks (a lead-in, a parent bullet) to the next page."""
    page = pages[-1]
    while len([c for c in page if not c.context]) > 1 and page[-1].item.keep_with_next and not page[-1].part:
        queue.insert(0, page.pop())


def _picture_floor(c: ImageChunk, body_h: float) -> float:
    """The least height *c* may yield to a table: a diagram with labels keeps its legible height; a
    picture shrinks to PICTURE_YIELD of the body (never below what it measured if already smaller)."""
    if c.label_pt is not None or c.placeholder is not None or c.part:
        return c.height
    return min(c.height, body_h * PICTURE_YIELD + caption_height(c.caption))
