"""Measured chunks of slide content, and how they stack and split.

A chunk is one item (or part of one) measured at a given size: a paragraph
with its predicted lines, some lines of code, some rows of a table, or an
image.  Stacking rules (gaps, frame insets, box padding) live in one place,
:func:`step`, so the height used to decide a page is the height drawn.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from deckgen.layout.flow import BoxRef, Item
from deckgen.layout.geometry import Para, Run


@dataclass(frozen=True)
class Metrics:
    """Sizes in points for one shrink step of a slide."""

    body: float
    code: float
    table: float
    pitch: float
    """Body line height factor."""
    code_pitch: float
    para_gap: float
    """Space between paragraphs in one text frame."""
    block_gap: float
    """Space between frames (text, code, table, image)."""
    indent: float
    """Bullet indent per level."""
    text_insets: tuple[float, float, float, float]
    code_insets: tuple[float, float, float, float]
    cell_insets: tuple[float, float, float, float]
    box_pad: float = 10.0
    """Padding inside quote and callout boxes."""
    quote_indent: float = 18.0
    step: int = 0


@dataclass
class Chunk:
    item: Item
    kind: str
    """'text' | 'code' | 'table' | 'image'."""
    height: float
    """Content height in points (images: the smallest height they may take)."""
    para: Para | None = None
    code: list[list[Run]] = field(default_factory=list)
    """Code: laid-out lines (already wrapped), each a list of runs."""
    code_size: float = 0.0
    table_rows: list = field(default_factory=list)
    """Table: [(row cells paras, row height)] with the header first when present."""
    table_header: int = 0
    col_widths: list[float] = field(default_factory=list)
    image_natural: tuple[float, float] = (0.0, 0.0)
    """Images: the (w, h) in points they would like."""
    placeholder: Para | None = None
    """Images whose file is missing: the label drawn in the placeholder box."""
    columns: list[list["Chunk"]] = field(default_factory=list)
    """Columns: the measured chunks of each column."""
    context: bool = False
    """A dimmed repeat of a parent bullet on a continuation slide."""
    part: int = 0
    """0 for a whole item; 1, 2... for parts of a split item."""

    @property
    def group(self) -> tuple:
        """Chunks with equal groups share one text frame."""
        box = self.item.box.id if self.item.box else 0
        return ("text", box) if self.kind == "text" else (self.kind, box, id(self))


def frame_insets(chunk: Chunk, m: Metrics) -> tuple[float, float, float, float]:
    if chunk.kind == "text":
        return m.text_insets
    if chunk.kind == "code":
        return m.code_insets
    return (0.0, 0.0, 0.0, 0.0)


def step(prev: Chunk | None, cur: Chunk, m: Metrics) -> float:
    """Height added by stacking *cur* after *prev* (None at the top of the body)."""
    h = cur.height
    if prev is not None and prev.group == cur.group:
        return h + (cur.para.space_before if cur.para else 0.0)
    ins = frame_insets(cur, m)
    h += ins[1] + ins[3]
    if prev is not None:
        h += m.block_gap
        if prev.item.box and (cur.item.box is None or prev.item.box.id != cur.item.box.id):
            h += m.box_pad
    if cur.item.box and (prev is None or prev.item.box is None or prev.item.box.id != cur.item.box.id):
        h += m.box_pad
    return h


def closing(last: Chunk | None, m: Metrics) -> float:
    """Height added after the last chunk of a page (a box's bottom padding)."""
    return m.box_pad if last is not None and last.item.box else 0.0


def stack_height(chunks: list[Chunk], m: Metrics) -> float:
    total, prev = 0.0, None
    for c in chunks:
        total += step(prev, c, m)
        prev = c
    return total + closing(prev, m)


def box_of(chunk: Chunk) -> BoxRef | None:
    return chunk.item.box


def first_in_frame(chunk: Chunk) -> Chunk:
    """The chunk with no space before it (the first paragraph of a frame)."""
    if chunk.para is not None and chunk.para.space_before:
        return replace(chunk, para=replace(chunk.para, space_before=0.0),
                       height=chunk.height)
    return chunk
