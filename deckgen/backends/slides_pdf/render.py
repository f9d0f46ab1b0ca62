"""Slide-shaped HTML -> PDF with WeasyPrint: local files only, warnings as diagnostics.

Page labels are written into the PDF catalog (decimal from 1), so a viewer's
page box shows the slide number; bookmarks come from the CSS bookmark-label
of each slide.  The PDF is tagged (WeasyPrint's pdf_tags: structure in slide
reading order, /Lang from the deck's language) at no measurable cost.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

from deckgen.backends.handout.logs import capture_weasyprint
from deckgen.backends.slides_pdf.pages import handout_document, slides_document
from deckgen.diagnostics import Diagnostics
from deckgen.layout.geometry import LaidOutDeck, PictureFrame
from deckgen.model import SourceSpan
from deckgen.theme.load import Theme


def build_slides_pdf(deck: LaidOutDeck, theme: Theme, diags: Diagnostics, *, source: SourceSpan) -> bytes:
    """NOTE-slides.pdf: one page per slide at the slide's size."""
    return _write(slides_document(deck, theme), deck, theme, diags, source)


def build_handout_slides_pdf(deck: LaidOutDeck, theme: Theme, layout: str, diags: Diagnostics, *,
                             source: SourceSpan) -> bytes:
    """An A4 handout of scaled slides: 'slides-2', 'slides-3', 'slides-6' or 'notes'."""
    return _write(handout_document(deck, theme, layout), deck, theme, diags, source)


def _write(page: str, deck: LaidOutDeck, theme: Theme, diags: Diagnostics, source: SourceSpan) -> bytes:
    from weasyprint import HTML

    if not deck.slides:   # a PDF cannot have no pages: say why this one is blank
        diags.warning("slides-empty", "the note has no slides: its slide PDF is one blank page", source)
    fetcher = _fetcher(_allowed_files(deck, theme))
    with capture_weasyprint(diags, source, code="slides-render", prefix="slides PDF"):
        return HTML(string=page, url_fetcher=fetcher).write_pdf(finisher=_page_labels, pdf_tags=True)


def _allowed_files(deck: LaidOutDeck, theme: Theme) -> frozenset[Path]:
    """The only files a slide PDF may read: the pictures on its slides and the theme's fonts."""
    files = {Path(sh.path).resolve() for s in deck.slides for sh in s.shapes if isinstance(sh, PictureFrame)}
    for face in (theme.fonts.heading, theme.fonts.body, theme.fonts.mono):
        files |= {Path(face.regular.path).resolve(), Path(face.bold.path).resolve()}
    return frozenset(files)


def _fetcher(allowed: frozenset[Path]) -> Any:
    from weasyprint.urls import URLFetcher

    class SlideFetcher(URLFetcher):
        def fetch(self, url: str, headers: dict | None = None) -> Any:
            parts = urlsplit(url)
            if parts.scheme.lower() == "data":
                return super().fetch(url, headers)
            if parts.scheme.lower() != "file" or Path(url2pathname(parts.path)).resolve() not in allowed:
                raise ValueError(f"a slides PDF reads only its pictures and fonts; refused {url}")
            return super().fetch(url, headers)

    return SlideFetcher(allowed_protocols=("file", "data"), allow_redirects=False)


def _page_labels(document: Any, pdf: Any) -> None:
    """/PageLabels: decimal numbers from 1, i.e. the slide numbers."""
    import pydyf

    pdf.catalog["PageLabels"] = pydyf.Dictionary({"Nums": pydyf.Array([0, pydyf.Dictionary({"S": "/D"})])})
