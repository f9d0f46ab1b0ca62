"""The handout's entry points: a Document in, the HTML page or the PDF out.

This is the only module that calls WeasyPrint's renderer; the page itself is written by
writer.HtmlWriter, its CSS by css.py, inline text by inline.py, and WeasyPrint only reads
local files through sandbox.handout_url_fetcher.
"""
from __future__ import annotations

from pathlib import Path

from deckgen.backends.handout.inline import wrap_words
from deckgen.backends.handout.logs import capture_weasyprint
from deckgen.backends.handout.sandbox import Roots, handout_url_fetcher
from deckgen.backends.handout.writer import HtmlWriter
from deckgen.diagnostics import Diagnostics
from deckgen.model import Document, SourceSpan
from deckgen.theme.load import Theme

__all__ = ["render_handout_html", "build_handout_pdf", "handout_url_fetcher", "wrap_words"]


def render_handout_html(doc: Document, theme: Theme, diags: Diagnostics, *, base_dir: Path) -> str:
    """The handout as one HTML page (generated CSS inline, theme CSS linked)."""
    writer = HtmlWriter(doc, theme, diags, Roots.for_theme(theme, base_dir))
    return writer.document()


def build_handout_pdf(doc: Document, theme: Theme, diags: Diagnostics, *, base_dir: Path) -> bytes:
    """The handout PDF; WeasyPrint's own warnings become diagnostics."""
    from weasyprint import HTML

    page = render_handout_html(doc, theme, diags, base_dir=base_dir)
    fetcher = handout_url_fetcher(theme, base_dir)
    base_url = Path(base_dir).resolve().as_uri() + "/"
    with capture_weasyprint(diags, SourceSpan(doc.path, 0)):
        return HTML(string=page, base_url=base_url, url_fetcher=fetcher).write_pdf()
