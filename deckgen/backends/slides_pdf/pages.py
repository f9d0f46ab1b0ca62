"""Page documents made of slides: the slides PDF and the printed handouts.

``slides``: one page per slide at the slide's size.  The handouts put scaled
slides on A4 (PowerPoint's Handouts print): ``slides-2`` and ``slides-6``
grids, ``slides-3`` three slides down the left with ruled lines beside each,
``notes`` one slide per page with its speaker notes below.  A slide on a
handout is the very same slide box, scaled with a CSS transform, so it stays
vector text.  Handout pages carry the lecture title as a running header and
the page number in the footer.
"""
from __future__ import annotations

import html
from dataclasses import dataclass

from deckgen.backends.slides_pdf.boxes import pt, slide_html
from deckgen.backends.handout.css import css_str
from deckgen.backends.slides_pdf.css import base_css, font_stack
from deckgen.layout.geometry import EMU_PER_PT, LaidOutDeck, LaidSlide
from deckgen.theme.load import Theme

HANDOUT_LAYOUTS = ("document", "slides-2", "slides-3", "slides-6", "notes")
A4 = (595.28, 841.89)
MARGINS = (54.0, 42.0, 48.0, 42.0)
"""top, right, bottom, left of a handout page, in points (room for the header and footer)."""
RULE_GAP = 22.0
"""Distance between the ruled lines beside a slide on a slides-3 page, in points."""


@dataclass(frozen=True, slots=True)
class Grid:
    """Where the slides of one handout page go: columns, rows and the slide width."""

    cols: int
    rows: int
    share: float
    """Slide width as a share of the page's content width (per column)."""
    ruled: bool = False


GRIDS = {"slides-2": Grid(1, 2, 0.86), "slides-3": Grid(1, 3, 0.5, ruled=True), "slides-6": Grid(2, 3, 1.0),
         "notes": Grid(1, 1, 1.0)}


def _head(deck: LaidOutDeck, css: str) -> str:
    author = f'<meta name="author" content="{html.escape(deck.author, quote=True)}">' if deck.author else ""
    return (f'<!DOCTYPE html><html lang="{html.escape(deck.lang, quote=True)}"><head><meta charset="utf-8">'
            f"<title>{html.escape(deck.title)}</title>{author}"
            '<meta name="generator" content="deckgen"><style>' + css + "</style></head>")


def slides_document(deck: LaidOutDeck, theme: Theme) -> str:
    """One page per slide, the page exactly the slide's size."""
    bg = theme.colors.background
    css = base_css(theme) + (f"@page {{ size: {pt(deck.width)} {pt(deck.height)}; margin: 0 }}\n"
                             ".page { page-break-after: always; } .page:last-child { page-break-after: auto; }")
    body = "".join(f'<div class="page">{slide_html(s, deck.width, deck.height, bg, bookmark=True)}</div>'
                   for s in deck.slides)
    return _head(deck, css) + f"<body>{body}</body></html>"


def handout_document(deck: LaidOutDeck, theme: Theme, layout: str) -> str:
    """The slides of *deck* placed on A4 pages by *layout* (one of GRIDS)."""
    grid = GRIDS[layout]
    content_w = A4[0] - MARGINS[1] - MARGINS[3]
    content_h = A4[1] - MARGINS[0] - MARGINS[2]
    css = base_css(theme) + _handout_css(deck, theme, content_h)
    if layout == "notes":
        pages = [_notes_page(deck, theme, s, content_w) for s in deck.slides]
    else:
        per = grid.cols * grid.rows
        pages = [_grid_page(deck, theme, deck.slides[i:i + per], grid, content_w, content_h)
                 for i in range(0, len(deck.slides), per)]
    return _head(deck, css) + f"<body>{''.join(pages)}</body></html>"


def _handout_css(deck: LaidOutDeck, theme: Theme, content_h: float) -> str:
    top, right, bottom, left = MARGINS
    font = font_stack("body", theme.fonts.body.family)
    muted = theme.colors.muted
    return f"""
@page {{ size: A4; margin: {top}pt {right}pt {bottom}pt {left}pt;
  @top-left {{ content: {css_str(deck.title)}; font-family: {font}; font-size: 9pt; color: #{muted};
               vertical-align: bottom; padding-bottom: 8pt; }}
  @bottom-center {{ content: counter(page); font-family: {font}; font-size: 9pt;
                    color: #{muted}; vertical-align: top; padding-top: 8pt; }} }}
.sheet {{ position: relative; height: {content_h:.2f}pt; page-break-after: always; }}
.sheet:last-child {{ page-break-after: auto; }}
.slot {{ position: absolute; overflow: hidden; border: 0.5pt solid #{muted}; }}
.rule {{ position: absolute; height: 0; border-top: 0.5pt solid #C8CDD2; }}
.notes-page {{ page-break-after: always; padding-top: 1pt; }}
.notes-page:last-child {{ page-break-after: auto; }}
.notes-slot {{ position: relative; overflow: hidden; border: 0.5pt solid #{muted}; margin-bottom: 18pt; }}
.notes-text p {{ font-family: {font}; font-size: {theme.sizes.notes:.1f}pt; line-height: 1.5;
                 margin: 0 0 6pt 0; color: #{theme.colors.text}; }}
"""


def _scaled_slide(deck: LaidOutDeck, theme: Theme, s: LaidSlide, width: float) -> tuple[str, float]:
    """The slide box scaled to *width* points; returns (html, height in points)."""
    k = width / (deck.width / EMU_PER_PT)
    inner = slide_html(s, deck.width, deck.height, theme.colors.background, bookmark=True, scale=k)
    return inner, deck.height / EMU_PER_PT * k


def _grid_page(deck: LaidOutDeck, theme: Theme, slides: tuple[LaidSlide, ...], grid: Grid,
               content_w: float, content_h: float) -> str:
    gap = 18.0
    cell_w = (content_w - gap * (grid.cols - 1)) / grid.cols
    slot_w = cell_w * grid.share
    band_h = content_h / grid.rows
    out = []
    for n, s in enumerate(slides):
        row, col = divmod(n, grid.cols)
        inner, slot_h = _scaled_slide(deck, theme, s, slot_w)
        x = col * (cell_w + gap) + (0.0 if grid.ruled else (cell_w - slot_w) / 2)
        y = row * band_h + (band_h - slot_h) / 2
        out.append(f'<div class="slot" style="left:{x:.2f}pt;top:{y:.2f}pt;width:{slot_w:.2f}pt;'
                   f'height:{slot_h:.2f}pt">{inner}</div>')
        if grid.ruled:
            out.append(_rules(x + slot_w + 24.0, y, content_w - slot_w - 24.0, slot_h))
    return f'<div class="sheet">{"".join(out)}</div>'


def _rules(x: float, y: float, w: float, h: float) -> str:
    """Ruled lines for handwriting beside a slide, spanning its height."""
    count = int(h // RULE_GAP)
    return "".join(f'<div class="rule" style="left:{x:.2f}pt;top:{y + RULE_GAP * (i + 1):.2f}pt;width:{w:.2f}pt">'
                   "</div>" for i in range(count))


def _notes_page(deck: LaidOutDeck, theme: Theme, s: LaidSlide, content_w: float) -> str:
    """One slide at the page's width with its speaker notes below (they may run onto the next page)."""
    inner, slot_h = _scaled_slide(deck, theme, s, content_w)
    notes = "".join(f"<p>{html.escape(n)}</p>" for n in s.notes)
    return (f'<div class="notes-page"><div class="notes-slot" style="width:{content_w:.2f}pt;height:{slot_h:.2f}pt">'
            f'{inner}</div><div class="notes-text">{notes}</div></div>')
