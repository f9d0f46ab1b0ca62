"""Where a project's caches live: rendered figures, converted pictures, decoded images.

`<project>/.deckgen-cache/` when the project folder is writable, else a folder
in the user's cache (`$XDG_CACHE_HOME/deckgen/<hash of the project path>`),
so a read-only course folder still gets its diagrams drawn.  The project folder is
found from a note by its markers (find_project_root), for the reader and the renderers alike.
"""
from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path

from deckgen.files import resolved

PROJECT_MARKERS = ("deckgen.toml", "pyproject.toml", "_config.yml", ".git", ".obsidian")


@functools.lru_cache(maxsize=64)
def cache_root(project_root: Path) -> Path:
    root = Path(project_root).resolve()
    local = root / ".deckgen-cache"
    # nothing is created here: caches make their folders when they first write
    if local.is_dir() and os.access(local, os.W_OK) or not local.exists() and os.access(root, os.W_OK):
        return local
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "deckgen"
    return base / hashlib.sha256(str(root).encode("utf-8")).hexdigest()[:16]


def find_project_root(note: Path) -> Path:
    """The nearest folder above *note* holding a project marker, else the note's folder."""
    note = resolved(note)        # a symlink loop: its absolute path (reading it reports the loop)
    for folder in [note.parent, *note.parent.parents]:
        if any((folder / m).exists() for m in PROJECT_MARKERS):
            return folder
    return note.parent


def user_cache(name: str) -> Path:
    """`$XDG_CACHE_HOME/deckgen/<name>` (default `~/.cache`): caches shared by every project,
    such as font subsets, which depend on installed fonts rather than on a course."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "deckgen"
    return base / name
