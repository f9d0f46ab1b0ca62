"""Slide-shaped PDFs: laid-out deck (LaidOutDeck) in, PDF bytes out.

The slides PDF (one page per slide at the slide's size) and the N-up and
notes handouts draw every slide from the same geometry the PPTX backend
writes: each shape becomes an absolutely positioned HTML box and each
predicted line its own unbreakable line box, then WeasyPrint renders it with
the theme's font files embedded.  Nothing is re-measured or re-broken here.
"""
from deckgen.backends.slides_pdf.render import build_handout_slides_pdf, build_slides_pdf

__all__ = ["build_slides_pdf", "build_handout_slides_pdf"]
