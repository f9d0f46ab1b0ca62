"""The first slide as a small PNG (the course pack's index shows it).

WeasyPrint no longer writes PNG, so the first slide is made into a one-page
PDF by the same drawing as the slides PDF, then rasterised with pypdfium2:
a self-contained wheel (PDFium, no system library), so the thumbnail is the
real slide, fonts and all, instead of a second, approximate drawing.
"""
from __future__ import annotations

import dataclasses
import io

from deckgen.backends.slides_pdf.render import build_slides_pdf
from deckgen.diagnostics import Diagnostics
from deckgen.layout.geometry import EMU_PER_PT, LaidOutDeck
from deckgen.model import SourceSpan
from deckgen.theme.load import Theme

THUMB_WIDTH = 480
"""Pixels: sharp at 240 CSS px on a 2x screen."""


def first_slide_png(deck: LaidOutDeck, theme: Theme, diags: Diagnostics, *, source: SourceSpan) -> bytes:
    """PNG bytes of the deck's first slide, THUMB_WIDTH pixels wide."""
    import pypdfium2

    one = dataclasses.replace(deck, slides=deck.slides[:1])
    pdf = pypdfium2.PdfDocument(build_slides_pdf(one, theme, diags, source=source))
    try:
        scale = THUMB_WIDTH / (deck.width / EMU_PER_PT)
        image = pdf[0].render(scale=scale).to_pil()
        buf = io.BytesIO()
        image.save(buf, format="PNG", optimize=True)
        return buf.getvalue()
    finally:
        pdf.close()
