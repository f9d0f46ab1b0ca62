"""A content-addressed cache of rendered figures, shared across builds.

A figure's key is the SHA-256 of everything that changes its picture: renderer
name and version, source, theme font.  Files are written to a temporary name in
the cache folder and renamed into place, so parallel builds never see half a
file and an unchanged diagram is never drawn twice.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from deckgen.files import atomic_write


def figure_key(*parts: str) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(p.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()[:32]


class FigureCache:
    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def path(self, key: str, ext: str) -> Path:
        return self.folder / key[:2] / f"{key}.{ext}"

    def get(self, key: str, ext: str) -> Path | None:
        p = self.path(key, ext)
        return p if p.is_file() and p.stat().st_size > 0 else None

    def put(self, key: str, ext: str, data: bytes) -> Path:
        p = self.path(key, ext)
        atomic_write(p, data, sync=False)      # a cache: fast writes, rebuilt if lost
        return p
