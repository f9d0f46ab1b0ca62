"""Writing files so that a crash never leaves half of one; reading only regular files."""
from __future__ import annotations

import functools
import os
import re
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

TEMP_RANDOM = r"[a-z0-9_]{8}"
"""What tempfile.mkstemp puts between atomic_write's prefix and suffix."""


class NotRegularFile(OSError):
    """A FIFO, a device or a folder where a file was expected."""


def open_regular(path: str | Path) -> BinaryIO:
    """*path* opened for reading, or NotRegularFile: opening a FIFO blocks until a writer comes
    (a note or image named *.md that is a FIFO stopped the whole run) and a device never ends
    (/dev/zero filled memory), so it is opened without blocking and checked before any read."""
    f = open(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb")  # noqa: SIM115 (the caller closes it)
    if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
        f.close()
        raise NotRegularFile(f"not a regular file: {path}")
    return f


@functools.lru_cache(maxsize=8192)
def resolved(path: Path) -> Path:
    """Path.resolve(), remembered: an up-to-date check of a 40-note course resolved the same
    few hundred paths 768 times, one lstat per path component each.  build_paths clears it
    at the start of every run, so a long watch session sees a new symlink.  A symlink loop
    (`lec.md -> lec.md`) resolves to its absolute path: Path.resolve() raised RuntimeError and
    stopped a whole folder build; reading the note then fails with its reason."""
    try:
        return Path(path).resolve()
    except RuntimeError:
        return Path(os.path.abspath(path))


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write(path: Path, data: bytes, *, sync: bool = True) -> None:
    """Write *data* to a temporary file beside *path*, then rename it into place.

    Readers see the old file or the new one, never a mix; the file gets the
    ordinary mode for the user's umask (mkstemp would leave it 0600)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            if sync:
                f.flush()
                os.fsync(f.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


TEMP_NAME = re.compile(r"\.(?P<target>.+)\." + TEMP_RANDOM + r"\.tmp")
"""The names atomic_write gives temporary files: `.TARGET.XXXXXXXX.tmp`."""


def remove_stale_temps(targets: Iterable[Path], before: float) -> list[Path]:
    """Delete temporary files that a killed build left beside *targets*: only names atomic_write
    makes for exactly these targets, and only files last written before *before* (the start
    of this run), so a write under way in another run is never touched.

    Each folder is listed once (an up-to-date course check spent a third of its time
    globbing once per output)."""
    folders: dict[Path, set[str]] = {}
    for target in targets:
        target = Path(target)
        folders.setdefault(target.parent, set()).add(target.name)
    removed = []
    for folder, names in folders.items():
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            m = TEMP_NAME.fullmatch(entry.name) if entry.name.endswith(".tmp") else None
            if m is None or m["target"] not in names:
                continue
            try:
                if entry.is_file() and entry.stat().st_mtime < before:
                    os.unlink(entry.path)
                    removed.append(Path(entry.path))
            except OSError:
                pass                      # gone meanwhile, or not ours to delete
    return removed
