"""Where a project's caches live: rendered figures, converted pictures, decoded images.

`<project>/.deckgen-cache/` when the project folder is writable, else a folder
in the user's cache (`$XDG_CACHE_HOME/deckgen/<hash of the project path>`),
so a read-only course folder still gets its diagrams drawn.
"""
from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path


@functools.lru_cache(maxsize=64)
def cache_root(project_root: Path) -> Path:
    root = Path(project_root).resolve()
    local = root / ".deckgen-cache"
    try:
        local.mkdir(exist_ok=True)
        if os.access(local, os.W_OK):
            return local
    except OSError:
        pass
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "deckgen"
    folder = base / hashlib.sha256(str(root).encode("utf-8")).hexdigest()[:16]
    folder.mkdir(parents=True, exist_ok=True)
    return folder
