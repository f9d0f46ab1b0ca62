"""A course build's parent imports what the deck writer needs before the pool forks
(backends/pptx/preload.py), so a worker's first deck imports none of it again: checked on a
note with a picture, with embedded fonts (fontTools) and Pillow's plugins in play."""
from __future__ import annotations

import os
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
    """Run twice with a cache folder of its own: the first run makes the font subsets (a
    subset not on disk yet is made with fontTools.subset, imported only then), the second is
    a worker of a later build, which finds them there."""
    note = FIXTURES / "realnotes" / "marp-git-basics.md"
    assert "![" in note.read_text(encoding="utf-8")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    runs = [subprocess.run([sys.executable, "-c", PROGRAM, str(note), str(tmp_path / "deck.pptx")], env=env,
                           capture_output=True, text=True, check=True).stdout for _ in range(2)]
    assert "fontTools.subset" in runs[0].split()                     # the subsets were made here
    assert runs[1].split() == []
    assert (tmp_path / "deck.pptx").stat().st_size > 100_000          # fonts were embedded
