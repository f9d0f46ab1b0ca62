"""A course build's parent imports what the deck writer needs before the pool forks
(backends/pptx/preload.py), so a worker's first deck imports none of it again: checked on a
note with a picture, with embedded fonts (fontTools) and Pillow's plugins in play."""
from __future__ import annotations

import subprocess
import sys

from conftest import FIXTURES

PROGRAM = """
import sys
from pathlib import Path
from deckgen.backends.pptx.preload import preload_deck_writer
from deckgen.pipeline import build_one, cached_theme
from deckgen.options import BuildOptions

cached_theme("default")
preload_deck_writer()
before = set(sys.modules)
result = build_one(Path(sys.argv[1]), {"pptx": Path(sys.argv[2])}, BuildOptions(formats=("pptx",)))
assert not result.failed, result.diags.items
print(" ".join(sorted(m for m in set(sys.modules) - before if m.split(".")[0] in ("fontTools", "PIL", "pptx"))))
"""


def test_first_deck_after_preload_imports_no_font_or_picture_library(tmp_path) -> None:
    note = FIXTURES / "realnotes" / "marp-git-basics.md"
    assert "![" in note.read_text(encoding="utf-8")
    out = subprocess.run([sys.executable, "-c", PROGRAM, str(note), str(tmp_path / "deck.pptx")],
                         capture_output=True, text=True, check=True).stdout
    assert out.split() == []
    assert (tmp_path / "deck.pptx").stat().st_size > 100_000          # fonts were embedded
