"""Writing files so that a crash never leaves half of one."""
from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterable
from pathlib import Path

TEMP_RANDOM = r"[a-z0-9_]{8}"
"""What tempfile.mkstemp puts between atomic_write's prefix and suffix."""


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


def temp_name_pattern(target: Path) -> re.Pattern[str]:
    """The exact names atomic_write gives the temporary files of *target* (`.NAME.XXXXXXXX.tmp`)."""
    return re.compile(re.escape(f".{target.name}.") + TEMP_RANDOM + re.escape(".tmp"))


def remove_stale_temps(targets: Iterable[Path], before: float) -> list[Path]:
    """Delete temporary files that a killed build left beside *targets*: only names atomic_write
    makes for exactly these targets, and only files last written before *before* (the start
    of this run), so a write under way in another run is never touched."""
    removed = []
    for target in targets:
        target = Path(target)
        pattern = temp_name_pattern(target)
        try:
            candidates = list(target.parent.glob(f".{glob_escape(target.name)}.*.tmp"))
        except OSError:
            continue
        for p in candidates:
            try:
                if pattern.fullmatch(p.name) and p.is_file() and p.stat().st_mtime < before:
                    p.unlink()
                    removed.append(p)
            except OSError:
                pass                      # gone meanwhile, or not ours to delete
    return removed


def glob_escape(name: str) -> str:
    """*name* with glob's special characters made literal."""
    return re.sub(r"([*?\[])", r"[\1]", name)
