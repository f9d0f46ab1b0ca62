"""What WeasyPrint's PDF writer holds, let go or packed as soon as it is no longer needed.

WeasyPrint's write_pdf paints every page, then builds the PDF/UA structure tree (`add_tags`)
from every page's boxes, then serialises the whole PDF.  The laid-out boxes (about 1 MB a
page) stay alive to the end, beside the painted content streams, the tags and the serialised
file, although nothing reads them once a page's tags are built: that end is where a long
handout's memory peaks.

install_page_release wraps that step so that, for a document marked `deckgen_release_pages`
(write_tagged_pdf marks its own, which it drops afterwards), each page's box tree is released
as the tag builder moves on to the next page.  The PDF is the same byte for byte; only when it
is freed changes.  Other documents, and a WeasyPrint without that step, are left as they are.

install_stream_packing joins each page's content stream into one bytes object as soon as the
page is painted: pydyf keeps a stream as a list of one small bytes object per operator (three
times the size of the content itself: 8.4 MB for 2.6 MB on a 100-section handout) until the
file is serialised, where it joins them the same way, so the PDF does not change.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

__all__ = ["install_page_release", "install_stream_packing", "RELEASE_MARK"]

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


def install_stream_packing() -> bool:
    """Have each painted page's content stream joined into one piece (idempotent); False,
    leaving WeasyPrint as it is, when its page or pydyf's stream is not shaped as expected."""
    import pydyf
    from weasyprint import document

    paint = getattr(document.Page, "paint", None)
    to_bytes = getattr(pydyf, "_to_bytes", None)
    if paint is None or to_bytes is None:
        return False
    if getattr(paint, "deckgen_packs", False):
        return True

    def packed_paint(self: Any, stream: Any, *args: Any, **kwargs: Any) -> Any:
        result = paint(self, stream, *args, **kwargs)
        items = getattr(stream, "stream", None)
        if isinstance(items, list) and len(items) > 1:
            stream.stream = [b"\n".join(to_bytes(item) for item in items)]   # as pydyf joins it
        return result

    packed_paint.deckgen_packs = True  # type: ignore[attr-defined]
    packed_paint.deckgen_original = paint  # type: ignore[attr-defined]
    document.Page.paint = packed_paint
    return True
