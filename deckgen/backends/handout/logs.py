"""WeasyPrint's log records turned into diagnostics of the note being built.

WeasyPrint logs to the ``weasyprint`` logger from the building thread; a filter keyed by thread
id routes each warning to that build's Diagnostics (builds run in parallel threads), and keeps
stages silent on the console."""
from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterator

from deckgen.diagnostics import Diagnostics
from deckgen.model import SourceSpan

__all__ = ["capture_weasyprint"]


_CAPTURING: dict[int, tuple[Diagnostics, SourceSpan, str, str]] = {}
"""Threads building a handout now, and where their WeasyPrint warnings go."""


def _weasyprint_filter(record: logging.LogRecord) -> bool:
    """Turn a WeasyPrint warning of a building thread into a diagnostic (and swallow it:
    stages never print); let every other record through."""
    target = _CAPTURING.get(record.thread or 0)
    if target is None or record.levelno < logging.WARNING:
        return True
    diags, source, code, prefix = target
    diags.warning(code, f"{prefix}: {record.getMessage()}", source)
    return False


@contextlib.contextmanager
def capture_weasyprint(diags: Diagnostics, source: SourceSpan, *, code: str = "handout-render",
                       prefix: str = "handout") -> Iterator[None]:
    """WeasyPrint's warnings go to *diags* (as *code*, the message after *prefix*) while this
    thread makes a PDF: the handout, the slides PDF or a slide handout."""
    logger = logging.getLogger("weasyprint")
    if _weasyprint_filter not in logger.filters:
        logger.addFilter(_weasyprint_filter)
    _CAPTURING[threading.get_ident()] = (diags, source, code, prefix)
    try:
        yield
    finally:
        _CAPTURING.pop(threading.get_ident(), None)
