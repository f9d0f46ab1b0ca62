"""One laid-out slide as HTML: every shape an absolutely positioned box, in points.

Text frames keep the layout's insets, anchoring and paragraph metrics; each
predicted line is its own ``white-space: pre`` block exactly one line pitch
high, so the PDF shows the lines the deck was measured with.  Tables are
drawn cell by cell at the layout's column widths and row heights, pictures
as <img> (SVG stays vector), bars as filled rectangles.
"""
from __future__ import annotations

import html
from pathlib import Path

from deckgen.backends.slides_pdf.lines import line_runs
from deckgen.layout.geometry import (EMU_PER_PT, Bar, LaidSlide, Para, PictureFrame, Run, Shape, TableFrame,
                                     TextFrame, marker_size)

SUP_SCALE = 0.7
"""Superscripts and subscripts are drawn at this share of the size (as layout measured them)."""
LINK_SCHEMES = ("http:", "https:", "mailto:", "ftp:")
OBLIQUE_DEG = 12
"""Italic runs are slanted by this angle (as viewers slant a face without an italic); the
advance widths stay those of the upright face, which is what the layout measured."""


class Scale:
    """Lengths of one drawing: EMU and points times a factor (1 on the slides PDF, smaller on
    a handout), so a scaled slide is drawn at its size instead of transformed afterwards
    (WeasyPrint paginates a transformed box at its unscaled size)."""

    def __init__(self, k: float = 1.0):
        self.k = k

    def emu(self, v: float) -> str:
        """EMU as a CSS length in points."""
        return f"{v / EMU_PER_PT * self.k:.3f}pt"

    def pt(self, v: float) -> str:
        return f"{v * self.k:.3f}pt"

    def box(self, x: int, y: int, w: int, h: int) -> str:
        return f"left:{self.emu(x)};top:{self.emu(y)};width:{self.emu(w)};height:{self.emu(h)};"


def pt(v: int) -> str:
    """EMU as a CSS length in points."""
    return Scale().emu(v)


def slide_html(s: LaidSlide, width: int, height: int, background: str, *, bookmark: bool,
               scale: float = 1.0) -> str:
    """A <div class="slide"> the size of the slide (times *scale*) holding its shapes in z-order."""
    k = Scale(scale)
    label = shown_title(s)
    mark = f" style=\"bookmark-level:1;bookmark-label:{_css_attr(label)}\"" if bookmark and label else ""
    inner = "".join(shape_html(sh, k) for sh in s.shapes)
    bg = s.background or background
    return (f'<div class="slide" style="width:{k.emu(width)};height:{k.emu(height)};background:#{bg}">'
            f"<div class=\"anchor\"{mark}></div>{inner}</div>")


def shown_title(s: LaidSlide) -> str:
    """The title as the slide shows it ("... (계속)" on a continuation), for its bookmark."""
    frame = s.shapes[s.title_shape] if s.title_shape is not None else None
    if isinstance(frame, TextFrame):
        text = " ".join("".join(r.text for r in p.runs) for p in frame.paras)
        return " ".join(text.split()) or s.title
    return s.title


def _css_attr(text: str) -> str:
    esc = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return html.escape(f'"{esc}"', quote=True)


def shape_html(sh: Shape, k: Scale) -> str:
    if isinstance(sh, TextFrame):
        return text_frame_html(sh, k)
    if isinstance(sh, Bar):
        border = f"border:{k.pt(0.75)} solid #{sh.line};" if sh.line else ""
        return f'<div style="{k.box(sh.x, sh.y, sh.w, sh.h)}background:#{sh.fill};{border}"></div>'
    if isinstance(sh, TableFrame):
        return table_html(sh, k)
    if isinstance(sh, PictureFrame):
        return picture_html(sh, k)
    raise TypeError(f"unknown shape {type(sh).__name__}")


def text_frame_html(f: TextFrame, k: Scale) -> str:
    left, top, right, bottom = f.insets
    content = sum(p.height for p in f.paras) * EMU_PER_PT
    room = f.h - top - bottom
    shift = {"top": 0, "middle": max(0, (room - content) / 2), "bottom": max(0, room - content)}[f.anchor]
    style = k.box(f.x, f.y, f.w, f.h)
    style += f"padding:{k.emu(top + shift)} {k.emu(right)} 0 {k.emu(left)};"
    if f.fill:
        style += f"background:#{f.fill};"
    if f.line:
        style += f"border:{k.pt(f.line_width)} {'dashed' if f.dash else 'solid'} #{f.line};"
    return f'<div class="tf tf-{f.role}" style="{style}">{paras_html(f.paras, k)}</div>'


def paras_html(paras: tuple[Para, ...], k: Scale) -> str:
    return "".join(para_html(p, k) for p in paras)


def para_html(p: Para, k: Scale) -> str:
    """A paragraph: space before, then one fixed-height block per predicted line."""
    out = [f'<div style="height:{k.pt(p.space_before)}"></div>'] if p.space_before else []
    for i, runs in enumerate(line_runs(p)):
        pad = p.margin_left + (p.indent if i == 0 and not p.bullet else 0.0)
        style = (f"height:{k.pt(p.line_pitch)};line-height:{k.pt(p.line_pitch)};font-size:{k.pt(p.size)};"
                 f"padding-left:{k.pt(max(0.0, pad))};color:#{p.color};")
        if p.align in ("center", "right"):
            style += f"text-align:{p.align};"
        marker = _bullet_html(p, k) if i == 0 and p.bullet else ""
        out.append(f'<div class="ln r-body" style="{style}">{marker}{"".join(run_html(r) for r in runs)}</div>')
    return "".join(out)


def _bullet_html(p: Para, k: Scale) -> str:
    color = f"color:#{p.bullet_color};" if p.bullet_color else ""
    if marker_size(p.bullet) != 1.0:
        color += f"font-size:{marker_size(p.bullet) * 100:g}%;"
    return (f'<span class="bu" style="left:{k.pt(max(0.0, p.margin_left + p.indent))};{color}">'
            f"{html.escape(p.bullet or '')}</span>")


def run_html(r: Run) -> str:
    """A styled span; a web link becomes a PDF link annotation."""
    style = []
    if r.bold:
        style.append("font-weight:bold")
    if r.italic:   # the theme's faces have no italic file and WeasyPrint does not slant a face itself
        style.append(f"display:inline-block;transform:skewX(-{OBLIQUE_DEG}deg)")
    deco = " ".join(d for d, on in (("underline", r.underline), ("line-through", r.strike)) if on)
    if deco:
        style.append(f"text-decoration:{deco}")
    if r.color:
        style.append(f"color:#{r.color}")
    if r.highlight:
        style.append(f"background:#{r.highlight}")
    cls = f"r-{r.role}"
    if r.baseline:
        style.append(f"font-size:{SUP_SCALE * 100:.0f}%")
        cls += " sup" if r.baseline > 0 else " sub"
    span = f'<span class="{cls}" style="{";".join(style)}">{html.escape(r.text)}</span>'
    if r.link and r.link.lower().startswith(LINK_SCHEMES):
        return f'<a href="{html.escape(r.link, quote=True)}">{span}</a>'
    return span


def table_html(t: TableFrame, k: Scale) -> str:
    """Cells as boxes at the layout's column widths and row heights (borders overlap like a grid)."""
    left, top, right, bottom = t.insets
    out = []
    y = t.y
    for row, h in zip(t.rows, t.row_heights):
        x = t.x
        for cell, w in zip(row, t.col_widths):
            fill = f"background:#{cell.fill};" if cell.fill else ""
            style = (f"{k.box(x, y, w, h)}{fill}border:{k.pt(0.75)} solid #{t.border};"
                     f"padding:{k.emu(top)} {k.emu(right)} 0 {k.emu(left)};")
            out.append(f'<div class="cell" style="{style}">{paras_html(cell.paras, k)}</div>')
            x += w
        y += h
    return "".join(out)


def picture_html(p: PictureFrame, k: Scale) -> str:
    """The picture file itself, scaled into its frame (an SVG stays vector)."""
    path = Path(p.path)
    if not path.is_file():
        return (f'<div style="{k.box(p.x, p.y, p.w, p.h)}border:{k.pt(0.75)} dashed #8A939C;">'
                f'<div class="ln r-body" style="font-size:{k.pt(12)};padding:{k.pt(4)}">'
                f"{html.escape(p.alt or path.name)}</div></div>")
    return (f'<img src="{html.escape(path.resolve().as_uri(), quote=True)}" alt="{html.escape(p.alt, quote=True)}" '
            f'style="{k.box(p.x, p.y, p.w, p.h)}object-fit:contain">')
