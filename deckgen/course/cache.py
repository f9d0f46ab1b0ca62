"""The incremental build cache: ``<out>/.deckgen-cache.json``.

An entry says "these outputs were made from exactly these bytes": the note,
every image it used, the theme files, the options that change output and
deckgen's version and code, all by sha256 (mtimes lie after checkouts and copies).
Beside each hash it keeps the file's size and mtime_ns: a file whose stats are
unchanged is taken as unchanged without reading it (an up-to-date run then reads
no note at all); a file with other stats is hashed, so a touch or a checkout
costs a hash, not a rebuild.  Stats are only recorded for files last modified
more than RACY_SECONDS before they were looked at, so an edit landing in the
same timestamp tick as the build cannot hide behind equal stats.
Entries are written only after a build's outputs are in place and only for
successful builds, so a crash or a failure can never make a stale output look
fresh.
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from deckgen import __version__
from deckgen.diagnostics import Diagnostics, SourceSpan
from deckgen.course.discover import CACHE_NAME, OPTIONAL_OUTPUTS, cache_key
from deckgen.files import atomic_write, open_regular, resolved
from deckgen.options import BuildOptions

CACHE_VERSION = 2
"""2: an entry lists the outputs the build wrote (an optional one, the instructor edition, may be absent)."""
NoteState = tuple[list[int] | None, str | None]
"""A note's (stats, sha256) taken before its build started."""
UNSETTLED_CODES = {"image-missing"}
"""A note with these never counts as fresh: the missing file may have appeared since, and a
resolver only records files it found, so there is no hash that could tell."""


def file_hash(path: str | Path) -> str | None:
    """sha256 of a file's bytes, None when it cannot be read or is not a regular file (a FIFO
    blocked the run before any build started, /dev/zero never ended)."""
    h = hashlib.sha256()
    try:
        with open_regular(path) as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
    except OSError:
        return None
    return h.hexdigest()


RACY_SECONDS = 2.0
"""A file modified this recently when stat'd gets no recorded stats: it is always hashed."""


def file_stat(path: str | Path) -> list[int] | None:
    """[size, mtime_ns] to trust later, or None when the file is missing or too fresh to trust."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    if st.st_mtime_ns > time.time_ns() - int(RACY_SECONDS * 1e9):
        return None
    return [st.st_size, st.st_mtime_ns]


def same_file(path: str, digest: str | None, stats: dict[str, list[int]], name: str | None = None) -> bool:
    """Whether *path* still has *digest*: by its stats recorded under *name* (default: the path)
    when they match, else by hashing it.  Matching by hash refreshes the recorded stats (so a
    touched file is hashed once, not every run)."""
    name = name or path
    recorded = stats.get(name)
    if recorded is not None:
        try:
            st = os.stat(path)
        except OSError:
            return False
        if [st.st_size, st.st_mtime_ns] == recorded:
            return True
    if digest is None or file_hash(path) != digest:
        return False
    fresh = file_stat(path)
    if fresh is None:
        stats.pop(name, None)
    else:
        stats[name] = fresh
    return True


@functools.cache
def code_digest() -> str:
    """sha256 of deckgen's own files (its code and data, not compiled bytecode): a build made by
    other code is not up to date even when the release version is the same (a developer's tree,
    a patched install).  Reading the package's ~1 MB costs a few milliseconds per run."""
    return package_digest(Path(__file__).resolve().parent.parent)


def package_digest(package: Path) -> str:
    """sha256 over the relative names and bytes of every file below *package* but bytecode."""
    h = hashlib.sha256()
    for folder, dirs, files in os.walk(package):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(f for f in files if not f.endswith((".pyc", ".pyo"))):
            path = os.path.join(folder, name)
            h.update(os.path.relpath(path, package).encode("utf-8", "surrogateescape") + b"\0")
            try:
                with open(path, "rb") as f:
                    h.update(hashlib.sha256(f.read()).digest())
            except OSError:
                h.update(b"unreadable")
    return h.hexdigest()


def build_key(options: BuildOptions, theme_files: list[str], font_files: list[str]) -> str:
    """Everything shared by all notes of one run that changes what a build writes."""
    data = {
        "deckgen": __version__,
        "code": code_digest(),
        "formats": sorted(options.formats),
        "theme": options.theme,
        "template": options.template,
        "slide_level": options.slide_level,
        "prose_to_notes": options.prose_to_notes,
        "fetch_images": options.fetch_images,
        "handout_layout": [options.handout_layout, options.default_handout_layout],
        "embed_fonts": options.embed_fonts,
        "config": [options.config_digest, options.default_slide_level, options.default_lang,
                   options.default_prose_to_notes, list(options.asset_dirs), [list(h) for h in options.handout]],
        "theme_files": {f: file_hash(f) for f in theme_files},
        "fonts": sorted(font_files),
    }
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def diags_to_json(diags: Diagnostics) -> list[dict[str, Any]]:
    return [{"severity": d.severity, "code": d.code, "message": d.message,
             "path": d.source.path, "line": d.source.line} for d in diags.items]


def diags_from_json(items: list[dict[str, Any]]) -> Diagnostics:
    diags = Diagnostics()
    for d in items:
        diags.add(d["severity"], d["code"], d["message"], SourceSpan(d.get("path") or "", d.get("line") or 0))
    return diags


@dataclass
class BuildCache:
    """Entries of one output folder, keyed by the note's absolute path."""

    path: Path
    entries: dict[str, dict[str, Any]] = field(default_factory=dict)
    refreshed: bool = False
    """fresh() updated some entry's recorded stats (a touched file): worth saving."""
    changed: set[str] = field(default_factory=set)
    """Notes this instance recorded or forgot: what it may write over another writer's entries."""
    seen: tuple[int, int] | None = None
    """The cache file as this instance last read or wrote it (inode, mtime)."""

    @classmethod
    def load(cls, out_dir: Path) -> BuildCache:
        path = out_dir / CACHE_NAME
        seen = _signature(path)                     # before reading: a newer file shows up as a change
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("version") == CACHE_VERSION and isinstance(data.get("entries"), dict):
                return cls(path, data["entries"], seen=seen)
        except (OSError, ValueError, AttributeError):
            pass  # missing or damaged: start empty, everything rebuilds
        return cls(path, seen=seen)

    def save(self) -> None:
        """Write the entries; when another build wrote the file since this one read it (watch mode
        builds a note while another note's handout is typeset), its entries are kept except for the
        notes this instance recorded or forgot."""
        if _signature(self.path) != self.seen:
            newer = BuildCache.load(self.path.parent).entries
            for note in self.changed:
                if note in self.entries:
                    newer[note] = self.entries[note]
                else:
                    newer.pop(note, None)
            self.entries = newer
        body = json.dumps({"version": CACHE_VERSION, "deckgen": __version__, "entries": self.entries},
                          ensure_ascii=False, indent=1, sort_keys=True)
        atomic_write(self.path, body.encode("utf-8"))
        self.seen = _signature(self.path)

    def fresh(self, note: Path, outputs: dict[str, Path], key: str) -> dict[str, Any] | None:
        """The entry for *note* when nothing it depends on changed and its outputs still exist."""
        e = self.entries.get(cache_key(note))
        if not e or e.get("key") != key:
            return None
        stats = e.setdefault("stats", {})
        before = dict(stats)
        if not same_file(str(resolved(note)), e.get("note_hash"), stats, name=cache_key(note)):
            return None
        if any(d.get("code") in UNSETTLED_CODES for d in e.get("diagnostics", [])):
            return None
        recorded = e.get("outputs") or {}
        expected = {f: str(resolved(p)) for f, p in outputs.items() if f not in OPTIONAL_OUTPUTS or f in recorded}
        if recorded != expected:
            return None
        if not all(Path(p).is_file() for p in recorded.values()):
            return None
        if not all(same_file(dep, h, stats) for dep, h in e.get("deps", {}).items()):
            return None
        self.refreshed = self.refreshed or stats != before
        return e

    def record(self, note: Path, outputs: dict[str, Path], key: str, note_state: NoteState,
               deps: list[str], diags: Diagnostics, slides: int) -> None:
        """Call only once the outputs are in place, with the outputs the build wrote (an optional
        one it did not write is left out); *note_state* is taken before the build started."""
        note_stat, note_hash = note_state
        stats = {} if note_stat is None else {cache_key(note): note_stat}
        for d in deps:
            st = file_stat(d)  # before hashing: a change in between shows up as a stat mismatch
            if st is not None:
                stats[d] = st
        self.changed.add(cache_key(note))
        self.entries[cache_key(note)] = {
            "key": key, "note_hash": note_hash, "stats": stats,
            "outputs": {f: str(p.resolve()) for f, p in outputs.items()},
            "deps": {d: file_hash(d) for d in deps},
            "diagnostics": diags_to_json(diags), "slides": slides,
        }

    def forget(self, note: Path) -> bool:
        self.changed.add(cache_key(note))
        return self.entries.pop(cache_key(note), None) is not None


def _signature(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_ino, st.st_mtime_ns


def cached_diagnostics(entry: dict[str, Any]) -> Diagnostics:
    """Replay the warnings a skipped note had, so the summary and --strict still see them."""
    return diags_from_json(entry.get("diagnostics", []))

