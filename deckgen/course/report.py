"""What a batch prints: per-note lines, a progress bar on terminals, a summary, or JSON.

Humans get compiler-style diagnostics on stderr and one line per note on
stdout as each finishes; CI logs get the same plain lines (no bar); ``--json``
prints one object on stdout and nothing else there, with notes in plan order
so the output is stable whatever order the workers finished in.
"""
from __future__ import annotations

import contextlib
import json
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Iterator
from typing import ClassVar, TextIO

from deckgen.course.cache import diags_to_json
from deckgen.diagnostics import Diagnostics

STATUSES = ("built", "skipped", "failed", "stopped")
"""stopped: watch mode stopped the note's handout because the note was saved again (built next)."""


@dataclass
class Outcome:
    """One note's result in a batch."""

    index: int
    """Position in the plan (for stable ordering)."""
    display: str
    status: str
    outputs: list[Path] = field(default_factory=list)
    diags: Diagnostics = field(default_factory=Diagnostics)
    seconds: float = 0.0
    slides: int = 0


@dataclass
class Reporter:
    total: int
    quiet: bool = False
    verbose: bool = False
    as_json: bool = False
    out: TextIO = field(default_factory=lambda: sys.stdout)
    err: TextIO = field(default_factory=lambda: sys.stderr)
    outcomes: list[Outcome] = field(default_factory=list)
    _bar: bool = False

    def __post_init__(self) -> None:
        self._bar = (not self.quiet and not self.as_json and self.total > 1
                     and hasattr(self.err, "isatty") and self.err.isatty())

    def _clear_bar(self) -> None:
        if self._bar:
            self.err.write("\r\033[K")

    def _draw_bar(self) -> None:
        if not self._bar:
            return
        done = len(self.outcomes)
        width = 30
        filled = width * done // max(self.total, 1)
        self.err.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{self.total}")
        self.err.flush()

    def add(self, o: Outcome) -> None:
        """Print one finished note right away (diagnostics first, then its status line)."""
        self.outcomes.append(o)
        if self.as_json:
            return
        self._clear_bar()
        replay = o.status != "skipped" or self.verbose  # a fresh note's old warnings only under -v
        for d in o.diags.items:
            if d.severity == "error" or (replay and not self.quiet and (d.severity == "warning" or self.verbose)):
                print(d.format(), file=self.err)
        if not self.quiet and (o.status != "skipped" or self.verbose):
            state = {"built": "ok", "skipped": "up to date", "failed": "FAILED",
                     "stopped": "handout stopped: the note was saved again, building the new save"}[o.status]
            outs = ", ".join(str(p) for p in o.outputs) if o.status == "built" else ""
            slides = f"{o.slides} slides, " if o.slides and o.status == "built" else ""
            secs = f" ({slides}{o.seconds:.1f} s)" if o.status != "skipped" else ""
            print(f"{o.display}: {state}{secs}{' -> ' + outs if outs else ''}", file=self.out, flush=True)
        self._draw_bar()

    def totals(self, seconds: float) -> dict[str, float | int]:
        t: dict[str, float | int] = {s: sum(1 for o in self.outcomes if o.status == s) for s in STATUSES}
        t["warnings"] = sum(o.diags.count("warning") for o in self.outcomes)
        t["errors"] = sum(o.diags.count("error") for o in self.outcomes)
        t["notes"] = len(self.outcomes)
        t["seconds"] = round(seconds, 3)
        return t

    def finish(self, seconds: float, *, errors: list[str] | None = None,
               pruned: list[Path] | None = None) -> None:
        """The closing summary (or the whole JSON report); *errors* stopped the batch before it began."""
        t = self.totals(seconds)
        if self.as_json:
            notes = [{"path": o.display, "status": o.status, "outputs": [str(p) for p in o.outputs],
                      "diagnostics": diags_to_json(o.diags), "seconds": round(o.seconds, 3)}
                     for o in sorted(self.outcomes, key=lambda o: o.index)]
            report: dict = {"notes": notes, "totals": t}
            if errors:
                report["errors"] = errors
            if pruned:
                report["pruned"] = [str(p) for p in pruned]
            json.dump(report, self.out, ensure_ascii=False, indent=1)
            self.out.write("\n")
            return
        self._clear_bar()
        if self.quiet:
            return
        stopped = f", {t['stopped']} stopped" if t["stopped"] else ""
        print(f"{t['built']} built, {t['skipped']} skipped, {t['failed']} failed{stopped}, "
              f"{t['warnings']} warnings in {seconds:.1f} s", file=self.out)


class StageLine:
    """One self-redrawing line on a terminal while a single note builds: the stage, the slide
    count once known and the seconds so far, so a two-minute build is visibly alive.  Used only
    when stderr is a terminal; the batch bar covers builds of several notes.  Watch mode may
    build another note while a handout is typeset (aside): the innermost line alone is drawn."""

    _shown: ClassVar[list[StageLine | None]] = []
    """The lines in use, innermost last; None while another build's messages are printed."""
    _lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, name: str, err: TextIO):
        self.name, self.err = name, err
        self.stage, self.slides = "starting", 0
        self.start = time.monotonic()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._tick, daemon=True, name="deckgen-progress")

    @staticmethod
    def wanted(err: TextIO, quiet: bool, as_json: bool) -> bool:
        return not quiet and not as_json and hasattr(err, "isatty") and err.isatty()

    def __enter__(self) -> StageLine:
        with self._lock:
            StageLine._shown.append(self)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        with self._lock:
            StageLine._shown.remove(self)
            self.err.write("\r\033[K")
            self.err.flush()

    @classmethod
    @contextlib.contextmanager
    def aside(cls) -> Iterator[None]:
        """Clear the line in use and draw none until the block ends (its lines print clean)."""
        with cls._lock:
            top = cls._shown[-1] if cls._shown else None
            if top is not None:
                top.err.write("\r\033[K")
                top.err.flush()
            cls._shown.append(None)
        try:
            yield
        finally:
            with cls._lock:
                cls._shown.reverse()
                cls._shown.remove(None)
                cls._shown.reverse()

    def __call__(self, stage: str, slides: int = 0) -> None:
        """The pipeline reports a new stage (and the slide count once the deck is laid out)."""
        self.stage, self.slides = stage, slides or self.slides
        self._draw()

    def _tick(self) -> None:
        while not self._stop.wait(0.5):
            self._draw()

    def _draw(self) -> None:
        slides = f", {self.slides:,} slides" if self.slides else ""
        with self._lock:
            if not self._stop.is_set() and StageLine._shown and StageLine._shown[-1] is self:
                self.err.write(f"\r\033[K{self.name}: {self.stage}{slides} "
                               f"({time.monotonic() - self.start:.0f} s)")
                self.err.flush()
