"""Diagnostics: every warning, skip, shrink and split, as data with a source line.

Stages never print; they report to a :class:`Diagnostics` sink, which the CLI
formats compiler-style (``path:line: warning: message``).
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from typing import TextIO

SEVERITIES = ("info", "warning", "error")
UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""Controls a message may quote from a note (a handout's missing glyphs, an alt text): ESC and the
C1 CSI (0x9B) would drive the terminal they are printed on, so they are spelled <U+XXXX>."""


@dataclass(frozen=True, slots=True)
class SourceSpan:
    """Where a node came from.  Defined here, not in deckgen.model (which re-exports it), so that
    replaying a skipped note's messages does not import the whole document model."""

    path: str
    """The note's path as the user gave it (used verbatim in messages)."""
    line: int
    """1-based line in the original file, front matter included."""


@dataclass(frozen=True, slots=True)
class Diagnostic:
    severity: str
    """'info' (fit report), 'warning' (something was replaced or dropped) or 'error'."""
    code: str
    """Stable short name, e.g. 'image-missing', 'slide-split'."""
    message: str
    source: SourceSpan

    def format(self) -> str:
        where = self.source.path or "<input>"
        if self.source.line:
            where += f":{self.source.line}"
        message = UNPRINTABLE.sub(lambda m: f"<U+{ord(m.group(0)):04X}>", self.message)
        return f"{where}: {self.severity}: {message} [{self.code}]"


@dataclass
class Diagnostics:
    """Collects diagnostics for one note."""

    items: list[Diagnostic] = field(default_factory=list)
    _seen: set = field(default_factory=set, repr=False)

    def add(self, severity: str, code: str, message: str, source: SourceSpan) -> None:
        assert severity in SEVERITIES, severity
        d = Diagnostic(severity, code, message, source)
        if d not in self._seen:          # layout may measure an item more than once
            self._seen.add(d)
            self.items.append(d)

    def info(self, code: str, message: str, source: SourceSpan) -> None:
        self.add("info", code, message, source)

    def warning(self, code: str, message: str, source: SourceSpan) -> None:
        self.add("warning", code, message, source)

    def error(self, code: str, message: str, source: SourceSpan) -> None:
        self.add("error", code, message, source)

    def count(self, severity: str) -> int:
        return sum(1 for d in self.items if d.severity == severity)

    def print(self, stream: TextIO = sys.stderr, *, verbose: bool = False) -> None:
        for d in self.items:
            if d.severity != "info" or verbose:
                print(d.format(), file=stream)


class BuildError(Exception):
    """A note cannot be built at all (unreadable, missing font...)."""

    def __init__(self, message: str, source: SourceSpan | None = None, code: str = "build-failed"):
        super().__init__(message)
        self.source = source or SourceSpan("", 0)
        self.code = code

    def format(self) -> str:
        return Diagnostic("error", self.code, str(self), self.source).format()
