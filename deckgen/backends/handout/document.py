"""The handout's entry points: a Document in, the HTML page or the PDF out.

The page itself is written by writer.HtmlWriter, its CSS by css.py, inline text by inline.py;
pdf.py has WeasyPrint write it as a tagged PDF, reading local files only through
sandbox.handout_url_fetcher.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from deckgen.backends.handout.fontshare import handout_fonts
from deckgen.backends.handout.inline import wrap_words
from deckgen.backends.handout.pdf import write_tagged_pdf
from deckgen.backends.handout.sandbox import Roots, handout_url_fetcher
from deckgen.backends.handout.writer import HtmlWriter
from deckgen.diagnostics import Diagnostics
from deckgen.model import Document, SourceSpan, instructor_only
from deckgen.theme.load import Theme

__all__ = ["EDITIONS", "has_instructor_edition", "render_handout_html", "build_handout_pdf",
           "handout_url_fetcher", "wrap_words"]

EDITIONS = ("student", "instructor")


def has_instructor_edition(doc: Document, theme: Theme) -> bool:
    """Whether to write an instructor edition: [handout] instructor_edition is on (the default)
    and it would differ from the student's (instructor blocks, or speaker notes while
    [handout] speaker_notes is on)."""
    if not theme.handout.instructor_edition:
        return False
    return instructor_only(doc.blocks, speaker_notes=theme.handout.speaker_notes)


def render_handout_html(doc: Document, theme: Theme, diags: Diagnostics, *, base_dir: Path,
                        edition: str = "student") -> str:
    """The handout as one HTML page (generated CSS inline, theme CSS linked) in *edition*
    ('student': no instructor blocks, no speaker notes; 'instructor': both, in their boxes)."""
    assert edition in EDITIONS, edition
    writer = HtmlWriter(doc, theme, diags, Roots.for_theme(theme, base_dir), edition=edition)
    return writer.document()


def build_handout_pdf(doc: Document, theme: Theme, diags: Diagnostics, *, base_dir: Path,
                      edition: str = "student", font_config: Any = None) -> bytes:
    """The handout PDF of *edition*, tagged (pdf.py); WeasyPrint's own warnings become diagnostics.
    *font_config*: the WeasyPrint FontConfiguration to typeset with (the warm-up's own), else the
    shared one for the theme's fonts (fontshare.py)."""
    page = render_handout_html(doc, theme, diags, base_dir=base_dir, edition=edition)

    def write(fonts: Any) -> bytes:
        return write_tagged_pdf(page, base_url=Path(base_dir).resolve().as_uri() + "/",
                                url_fetcher=handout_url_fetcher(theme, base_dir), diags=diags,
                                source=SourceSpan(doc.path, 0), font_config=fonts)

    if font_config is not None:
        return write(font_config)
    with handout_fonts(theme) as fonts:
        return write(fonts)
