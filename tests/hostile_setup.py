"""Set-up steps of tests/hostile rows whose files cannot live in git as they are."""
from __future__ import annotations

import os
import unicodedata
from pathlib import Path


def bidi_name(row: Path) -> None:
    """lec.md -> a name holding U+202E RIGHT-TO-LEFT OVERRIDE (displays as 'lecexe.gpj')."""
    (row / "lec.md").rename(row / "lec\u202egpj.exe.md")


def nfd_name(row: Path) -> None:
    """note.md -> '강의.md' spelled in NFD, as macOS file systems hand names over."""
    (row / "note.md").rename(row / unicodedata.normalize("NFD", "강의.md"))


def symlink_out(row: Path) -> None:
    """escape.png -> /etc/hostname: a link inside the project pointing outside it."""
    (row / "escape.png").symlink_to("/etc/hostname")


def non_utf8_name(row: Path) -> Path:
    """note.md -> 'lec\\xff\\xfe.md': a name whose bytes are not UTF-8 (surrogates in Python)."""
    target = Path(os.fsdecode(os.fsencode(str(row)) + b"/lec\xff\xfe.md"))
    (row / "note.md").rename(target)
    return target
