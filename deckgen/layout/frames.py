"""Place a page of measured chunks: positions, frames, box decorations.

Positions add the one stacking rule, :func:`deckgen.layout.fit.lead`, so what
was measured to fit is what is drawn.  Images take the room left over, up to
their natural size.
"""
from __future__ import annotations

from dataclasses import replace
from typing import assert_never

from deckgen.layout.fit import (CAPTION_GAP, Chunk, CodeChunk, ColumnsChunk, ImageChunk, Metrics, TableChunk,
                                TextChunk, box_id, box_indent, caption_height, closing, frame_insets, lead, same_frame,
                                stack_height)
from deckgen.layout.geometry import Bar, CellFrame, Para, PictureFrame, Shape, TableFrame, TextFrame, emu
from deckgen.layout.texts import PLACEHOLDER_INSET
from deckgen.theme.load import Theme

CONT_LABELS = {"ko": "(계속)", "en": "(cont.)", "ja": "(続き)", "zh": "(续)"}
QUOTE_BAR_W = 4.0
QUOTE_BAR_INSET = 2.0     # the quote bar sits this many points inside the quote's box
PLACEHOLDER_FILL = "F8F9FA"   # background of the box drawn for a missing picture
COLUMN_GAP = 0.04         # pandoc `::: columns`: gap between columns, share of the body width


def grow_images(page: list[Chunk], m: Metrics, height: float) -> list[Chunk]:
    """Give the height left on the page to images, up to their natural size."""
    extra = height - stack_height(page, m)
    imgs = [c for c in page if isinstance(c, ImageChunk) and c.placeholder is None]
    wants = {id(c): max(0.0, c.natural[1] - (c.height - caption_h(c))) for c in imgs}
    total = sum(wants.values())
    if extra <= 0 or total <= 0:
        return page
    share = min(1.0, extra / total)
    return [replace(c, height=c.height + wants[id(c)] * share) if id(c) in wants else c for c in page]


def caption_h(c: ImageChunk) -> float:
    return caption_height(c.caption)


def positions(page: list[Chunk], m: Metrics, top: float) -> list[float]:
    """The y (points) where each chunk's content starts: fit.lead() added chunk after chunk."""
    ys, y, prev = [], top, None
    for c in page:
        y += lead(prev, c, m)
        ys.append(y)
        y += c.height
        prev = c
    return ys


def build_frames(page: list[Chunk], m: Metrics, theme: Theme, x: float, top: float, w: float,
                 h: float) -> list[Shape]:
    page = grow_images(page, m, h)
    ys = positions(page, m, top)
    shapes: list[Shape] = []
    i = 0
    while i < len(page):
        j = i
        while j + 1 < len(page) and same_frame(page[j], page[j + 1]):
            j += 1
        group, gys = page[i:j + 1], ys[i:j + 1]
        shapes.extend(_frame(group, gys, m, theme, x, w))
        i = j + 1
    decorations = _boxes(page, ys, m, theme, x, w)
    return decorations + shapes


def _frame(group: list[Chunk], ys: list[float], m: Metrics, theme: Theme, x: float, w: float) -> list[Shape]:
    """The shapes of one frame: a run of text chunks sharing a frame, or one other chunk."""
    c0 = group[0]
    ins = frame_insets(c0, m)
    pad = box_indent(c0.item.box, m)
    fx, fw = x + pad, w - 2 * pad
    top = ys[0] - ins[1]
    bottom = ys[-1] + group[-1].height + ins[3]
    ins_emu = (emu(ins[0]), emu(ins[1]), emu(ins[2]), emu(ins[3]))
    lvl = c0.item.level * m.indent
    match c0:
        case TextChunk():
            paras = [c.para for c in group if isinstance(c, TextChunk)]
            paras[0] = replace(paras[0], space_before=0.0)
            role = c0.item.box.kind if c0.item.box else "body"
            return [TextFrame(emu(fx), emu(top), emu(fw), emu(bottom - top), tuple(paras), role, ins_emu)]
        case CodeChunk():
            return [_code(c0, m, theme, fx + lvl, top, fw - lvl, bottom - top, ins_emu)]
        case TableChunk():
            return [_table(c0, m, theme, fx + lvl, top)]
        case ImageChunk() if c0.item.em_size is not None:     # a formula on its own line: inset like text
            left, right = m.text_insets[0], m.text_insets[2]
            return _image(c0, ys[0], theme, fx + lvl + left, fw - lvl - left - right)
        case ImageChunk():
            return _image(c0, ys[0], theme, fx + lvl, fw - lvl)
        case ColumnsChunk():
            return _columns(c0, ys[0], m, theme, fx, fw)
        case _:
            assert_never(c0)


def _code(c: CodeChunk, m: Metrics, theme: Theme, x: float, y: float, w: float, h: float,
          insets: tuple[int, int, int, int]) -> TextFrame:
    pitch = c.height / max(1, len(c.lines))
    paras = tuple(Para(line, c.size, pitch, color=theme.colors.text, lines=("".join(r.text for r in line),))
                  for line in c.lines)
    return TextFrame(emu(x), emu(y), emu(w), emu(h), paras, "code", insets,
                     fill=theme.colors.code_background, line=theme.colors.code_border)


def _table(c: TableChunk, m: Metrics, theme: Theme, x: float, y: float) -> TableFrame:
    cols = tuple(emu(v) for v in c.col_widths)
    rows, heights = [], []
    for n, (paras, rh) in enumerate(c.rows):
        fill = theme.colors.table_header if n < c.header_rows else None
        rows.append(tuple(CellFrame((p,), fill) for p in paras))
        heights.append(emu(rh))
    ci = (emu(m.cell_insets[0]), emu(m.cell_insets[1]), emu(m.cell_insets[2]), emu(m.cell_insets[3]))
    return TableFrame(emu(x), emu(y), sum(cols), sum(heights), cols, tuple(heights), tuple(rows),
                      c.header_rows, ci, theme.colors.table_border)


def _columns(c: ColumnsChunk, y: float, m: Metrics, theme: Theme, x: float, w: float) -> list[Shape]:
    n = max(1, len(c.columns))
    gap = w * COLUMN_GAP
    col_w = (w - gap * (n - 1)) / n
    out: list[Shape] = []
    for j, col in enumerate(c.columns):
        if col:
            out += build_frames(list(col), m, theme, x + j * (col_w + gap), y, col_w, c.height)
    return out


def _image(c: ImageChunk, y: float, theme: Theme, x: float, w: float) -> list[Shape]:
    cap = caption_h(c)
    room_h = c.height - cap
    nw, nh = c.natural
    scale = min(1.0, room_h / nh if nh else 1.0, w / nw if nw else 1.0)
    iw, ih = nw * scale, nh * scale
    align = c.item.align or "center"
    ix = x + (w - iw) / 2 if align == "center" else (x + w - iw if align == "right" else x)
    out: list[Shape] = []
    path = c.item.image.path
    if c.placeholder is None and path is not None:
        out.append(PictureFrame(emu(ix), emu(y), emu(iw), emu(ih), path, c.item.image.alt))
    elif c.placeholder is not None:
        pad = emu(PLACEHOLDER_INSET)
        out.append(TextFrame(emu(ix), emu(y), emu(iw), emu(ih), (c.placeholder,), "placeholder",
                             (pad, pad, pad, pad), fill=PLACEHOLDER_FILL, line=theme.colors.muted,
                             anchor="middle", dash=True))
    if c.caption is not None:
        out.append(TextFrame(emu(x), emu(y + ih + CAPTION_GAP), emu(w), emu(cap), (c.caption,), "caption"))
    return out


def _boxes(page: list[Chunk], ys: list[float], m: Metrics, theme: Theme, x: float, w: float) -> list[Shape]:
    """Quote bars and callout rectangles behind the chunks of each box."""
    out: list[Shape] = []
    i = 0
    while i < len(page):
        box = page[i].item.box
        if box is None:
            i += 1
            continue
        j = i
        while j + 1 < len(page) and box_id(page[j + 1].item.box) == box.id:
            j += 1
        top = ys[i] - frame_insets(page[i], m)[1] - m.box_pad
        bottom = ys[j] + page[j].height + closing(page[j], m)    # its bottom inset + box padding
        if box.kind == "quote":
            out.append(Bar(emu(x + QUOTE_BAR_INSET), emu(top + QUOTE_BAR_INSET), emu(QUOTE_BAR_W),
                           emu(bottom - top - 2 * QUOTE_BAR_INSET),
                           theme.colors.quote_bar))
        else:
            style = theme.callout(box.style)
            out.append(Bar(emu(x), emu(top), emu(w), emu(bottom - top), style.fill, style.border))
        i = j + 1
    return out
