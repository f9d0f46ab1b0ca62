"""Each laid-out page let go once its part of the PDF's structure tree is built.

WeasyPrint's write_pdf paints every page, then builds the PDF/UA structure tree (`add_tags`)
from every page's boxes, then serialises the whole PDF.  The laid-out boxes (about 1 MB a
page) stay alive to the end, beside the painted content streams, the tags and the serialised
file, although nothing reads them once a page's tags are built: that end is where a long
handout's memory peaks.

install_page_release wraps that step so that, for a document marked `deckgen_release_pages`
(write_tagged_pdf marks its own, which it drops afterwards), each page's box tree is released
as the tag builder moves on to the next page.  The PDF is the same byte for byte; only when it
is freed changes.  Other documents, and a WeasyPrint without that step, are left as they are.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

__all__ = ["install_page_release", "RELEASE_MARK"]

RELEASE_MARK = "deckgen_release_pages"
"""The attribute that asks for a Document's pages to be let go while its PDF is written."""


def install_page_release() -> bool:
    """Have WeasyPrint let go of each page's boxes after tagging it, for marked documents
    (idempotent); False, leaving WeasyPrint as it is, when it has no such step."""
    from weasyprint import pdf as weasy_pdf

    step = getattr(weasy_pdf, "add_tags", None)
    if step is None:
        return False
    if getattr(step, "deckgen_releases", False):
        return True

    def add_tags(pdf: Any, document: Any, *args: Any, **kwargs: Any) -> Any:
        pages = document.pages
        if not getattr(document, RELEASE_MARK, False) or isinstance(pages, _Releasing):
            return step(pdf, document, *args, **kwargs)
        document.pages = _Releasing(list.__getitem__(pages, slice(None)))   # not through __iter__
        try:
            return step(pdf, document, *args, **kwargs)
        finally:
            document.pages = pages

    add_tags.deckgen_releases = True  # type: ignore[attr-defined]
    add_tags.deckgen_original = step  # type: ignore[attr-defined]
    weasy_pdf.add_tags = add_tags
    return True


class _Releasing(list):
    """The document's pages, each one's box tree dropped when the loop over them moves on."""

    def __iter__(self) -> Iterator[Any]:
        for page in list.__iter__(self):
            yield page
            if hasattr(page, "_page_box"):
                page._page_box = None
