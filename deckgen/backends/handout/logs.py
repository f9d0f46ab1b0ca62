"""WeasyPrint's log records turned into diagnostics of the note being built, and its progress
records into page counts (report_pages: a long handout shows how far its typesetting got).

WeasyPrint logs to the ``weasyprint`` logger from the building thread; a filter keyed by thread
id routes each warning to that build's Diagnostics (builds run in parallel threads), and keeps
stages silent on the console."""
from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Iterator

from deckgen.diagnostics import Diagnostics
from deckgen.model import SourceSpan

__all__ = ["capture_weasyprint", "report_pages"]


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


class _PageCounter(logging.Handler):
    """WeasyPrint's progress records (`Step 5 - Creating layout - Page N`, then `Step 6 -
    Creating PDF`) as numbers: the highest page laid out so far, then 0 while the PDF is written."""

    def __init__(self, report: Callable[[int], None]):
        super().__init__(logging.INFO)
        self.report, self.highest, self.thread = report, 0, threading.get_ident()

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread != self.thread:          # another build's handout (where not forked)
            return
        message = str(record.msg)
        if message.startswith("Step 5") and record.args and isinstance(record.args, tuple):
            page = record.args[0]
            if isinstance(page, int) and page > self.highest:
                self.highest = page
                self.report(page)
        elif message.startswith("Step 6"):
            self.report(0)


@contextlib.contextmanager
def report_pages(report: Callable[[int], None]) -> Iterator[None]:
    """*report* hears the pages WeasyPrint lays out (a number each), then 0 when it starts
    writing the PDF; WeasyPrint's progress records go nowhere else meanwhile."""
    logger = logging.getLogger("weasyprint.progress")
    handler = _PageCounter(report)
    level, propagate = logger.level, logger.propagate
    logger.setLevel(logging.INFO)
    logger.propagate = False
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        logger.propagate = propagate
