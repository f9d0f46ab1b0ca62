"""WeasyPrint's PDF writer with deckgen's settings: every PDF it writes is tagged.

PDF/UA-1 (WeasyPrint's `pdf/ua-1` variant, WeasyPrint 70+): a structure tree in document order
(the logical reading order: cover, contents, the note), `/MarkInfo /Marked true`, page
decorations (running headers, page numbers) as artifacts, `/Lang` from `<html lang>`,
`/DisplayDocTitle`, the title, author, subject and keywords from `<title>` and `<meta>` in the
document info and in XMP with the PDF/UA identification, and each `<img alt>` as its figure's
`/Alt`.  Use this for any HTML page deckgen turns into a PDF (handouts, slides PDFs).
"""
from __future__ import annotations

from typing import Any

from deckgen.backends.handout.leaders import install_line_merge
from deckgen.backends.handout.logs import capture_weasyprint
from deckgen.backends.handout.pseudo import install_lazy_pseudo_styles
from deckgen.backends.handout.release import RELEASE_MARK, install_page_release, install_stream_packing
from deckgen.diagnostics import Diagnostics
from deckgen.model import SourceSpan

__all__ = ["write_tagged_pdf", "PDF_OPTIONS"]

PDF_OPTIONS: dict[str, Any] = {"pdf_variant": "pdf/ua-1"}
"""Keyword arguments of WeasyPrint's write_pdf (the variant implies pdf_tags=True, PDF 1.7)."""


def write_tagged_pdf(page: str, *, base_url: str, url_fetcher: Any, diags: Diagnostics,
                     source: SourceSpan, font_config: Any = None) -> bytes:
    """The PDF of one HTML *page*; WeasyPrint's warnings become diagnostics at *source*.
    Dotted leaders are drawn as one text run each (leaders.py); pseudo-element styles are
    computed when used (pseudo.py); each page's boxes are let go once tagged and its content
    stream packed once painted (release.py).
    *font_config*: a WeasyPrint FontConfiguration to typeset with (fontshare.py), else a new one."""
    from weasyprint import HTML

    install_line_merge()
    install_lazy_pseudo_styles()
    install_page_release()
    install_stream_packing()
    with capture_weasyprint(diags, source):
        html = HTML(string=page, base_url=base_url, url_fetcher=url_fetcher)
        document = html.render(font_config=font_config, **PDF_OPTIONS)
        setattr(document, RELEASE_MARK, True)      # written once, then dropped
        return document.write_pdf(**PDF_OPTIONS)
