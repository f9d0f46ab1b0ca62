"""Tables: column widths from measured content, row heights, splitting by rows.

Columns get at least their longest word and share the rest in proportion to
their natural (unwrapped) widths, like CSS's automatic table layout.  When
even the longest words do not fit, the table's text shrinks (never below the
theme's minimum) and then words break by character.
"""
from __future__ import annotations

from dataclasses import replace

from deckgen.diagnostics import Diagnostics
from deckgen.layout.fit import Metrics, TableChunk, TableRow
from deckgen.layout.flow import TableItem
from deckgen.layout.geometry import Para, Run
from deckgen.layout.measure import Measurer
from deckgen.layout.runs import run_pieces, span_runs
from deckgen.layout.texts import SHRINK_BY, split_runs
from deckgen.model import Cell, Inline, split_columns
from deckgen.theme.load import Theme

MIN_ROW_SPLIT_LINES = 2
"""A row split across slides keeps at least this many lines of its cells on the first slide."""


def _cell_runs(spans: Inline, header: bool, theme: Theme) -> list[Run]:
    c = theme.colors
    runs = span_runs(spans, bold=header, color=c.heading if header else None, link_color=c.link,
                     mark_color=c.mark)
    return runs or [Run("")]


def column_widths(naturals: list[float], minimums: list[float], avail: float) -> list[float]:
    """Auto table layout: min widths first, the rest shared by (natural - min)."""
    if sum(naturals) <= avail:
        extra = avail - sum(naturals)
        total = sum(naturals) or 1
        return [n + extra * n / total for n in naturals]
    base = sum(minimums)
    if base >= avail:
        return [avail * mn / base for mn in minimums] if base else [avail / len(naturals)] * len(naturals)
    flex = [n - mn for n, mn in zip(naturals, minimums)]
    total = sum(flex) or 1
    return [mn + (avail - base) * f / total for mn, f in zip(minimums, flex)]


def measure_table(it: TableItem, width: float, m: Metrics, theme: Theme, measurer: Measurer,
                  diags: Diagnostics) -> TableChunk:
    table = it.table
    avail = width - it.level * m.indent
    given = ([table.header] if table.header else []) + list(table.rows)
    ncols = max((len(r) for r in given), default=0)
    rows: list[tuple[Cell | None, ...]] = [(*r, *[None] * (ncols - len(r))) for r in given]
    pad = m.cell_insets[0] + m.cell_insets[2]
    size = m.table
    while True:
        runs = [[_cell_runs(c.spans if c else (), i == 0 and bool(table.header), theme) for c in r]
                for i, r in enumerate(rows)]
        naturals = [max(measurer.text_width(run_pieces(rs[j]), size) for rs in runs) / measurer.slack + pad
                    for j in range(ncols)]
        minimums = [max(measurer.max_word_width(run_pieces(rs[j]), size) for rs in runs) / measurer.slack + pad
                    for j in range(ncols)]
        if sum(minimums) <= avail or size <= theme.sizes.table_min:
            break
        size -= SHRINK_BY
    if size < m.table:
        diags.info("table-shrunk", f"table text shrunk to {size:g} pt so its columns fit", it.source)
    widths = column_widths(naturals, minimums, avail)
    pitch = size * m.pitch
    out_rows = []
    for r, rs in zip(rows, runs):
        paras = []
        for j, cell_runs in enumerate(rs):
            cell = r[j]
            lines = tuple(measurer.wrap(run_pieces(cell_runs), size, widths[j] - pad))
            paras.append(Para(tuple(cell_runs), size, pitch, align=(cell.align if cell and cell.align else "left"),
                              color=theme.colors.text, lines=lines))
        h = max(len(p.lines) for p in paras) * pitch + m.cell_insets[1] + m.cell_insets[3]
        out_rows.append((tuple(paras), h))
    header = 1 if table.header else 0
    return TableChunk(item=it, height=sum(h for _, h in out_rows), rows=tuple(out_rows), header_rows=header,
                      col_widths=tuple(widths))


def _too_narrow(c: TableChunk, m: Metrics) -> bool:
    """A column left less than one em for its text: the cell insets alone fill the slide's width
    (200 columns drew past the slide's right edge)."""
    size = c.rows[0][0][0].size if c.rows and c.rows[0][0] else m.table
    pad = m.cell_insets[0] + m.cell_insets[2]
    return any(w - pad < size for w in c.col_widths)


def table_chunks(it: TableItem, width: float, m: Metrics, theme: Theme, measurer: Measurer,
                 diags: Diagnostics, warned: set[object]) -> list[TableChunk]:
    """The table measured; one too wide for the slide even at the smallest size is shown as
    several tables of fewer columns (the first column repeated), with a warning."""
    chunk = measure_table(it, width, m, theme, measurer, diags)
    per = len(chunk.col_widths)
    parts = [chunk]
    while per > 2 and any(_too_narrow(c, m) for c in parts):
        per = (per + 2) // 2
        parts = [measure_table(replace(it, table=t), width, m, theme, measurer, diags)
                 for t in split_columns(it.table, per)]
    if len(parts) > 1 and it.source not in warned:
        warned.add(it.source)
        diags.warning("table-too-wide", f"a table of {len(chunk.col_widths)} columns is too wide for a "
                      f"slide: shown as {len(parts)} tables of up to {per} columns, the first column "
                      "repeated in each", it.source)
    return parts


def split_table(c: TableChunk, room: float) -> tuple[TableChunk, TableChunk] | None:
    """Split between rows; the header row is repeated on the continuation."""
    head_rows = c.rows[:c.header_rows]
    body = c.rows[c.header_rows:]
    used = sum(h for _, h in head_rows)
    fit = 0
    for _, h in body:
        if used + h > room:
            break
        used += h
        fit += 1
    if fit < 1 and body and used + body[0][1] > room:
        return _split_row(c, room - used, head_rows)
    if fit < 1 or fit >= len(body):
        return None
    first = head_rows + body[:fit]
    rest = head_rows + body[fit:]
    return (replace(c, rows=first, height=sum(h for _, h in first), part=c.part or 1),
            replace(c, rows=rest, height=sum(h for _, h in rest), part=(c.part or 1) + 1))


def _split_row(c: TableChunk, room: float,
               head_rows: tuple[TableRow, ...]) -> tuple[TableChunk, TableChunk] | None:
    """A row taller than the room (a very long cell): split every cell at the same line."""
    paras, h = c.rows[c.header_rows]
    pitch = paras[0].line_pitch
    pad = h - max(len(p.lines) for p in paras) * pitch
    k = int((room - pad) // pitch)
    if k < MIN_ROW_SPLIT_LINES:
        return None
    top, rest = [], []
    for p in paras:
        a, b = split_runs(list(p.runs), p.lines, min(k, len(p.lines)))
        top.append(replace(p, runs=tuple(a), lines=p.lines[:k] or ("",)))
        rest.append(replace(p, runs=tuple(b) or (p.runs[0].__class__(""),), lines=p.lines[k:] or ("",)))
    top_h = max(len(p.lines) for p in top) * pitch + pad
    rest_h = max(len(p.lines) for p in rest) * pitch + pad
    first = head_rows + ((tuple(top), top_h),)
    tail = head_rows + ((tuple(rest), rest_h),) + c.rows[c.header_rows + 1:]
    return (replace(c, rows=first, height=sum(x for _, x in first), part=c.part or 1),
            replace(c, rows=tail, height=sum(x for _, x in tail), part=(c.part or 1) + 1))
