"""The per-script fallback faces travel with the deck too, as small subsets.

Runs of Han, Kana and emoji name their fallback face (theme/fallback.py); the
embedding (backends/pptx/fontembed.py) must carry those faces under the same
rules, keeping only the characters used (and ASCII): nobody types Korean in a
Han face, and its 11,172 Hangul syllables would triple the deck."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from conftest import FIXTURES, build, need, run
from test_embed_fonts import BUDGET, embedded_fonts, used_characters

NOTES = ["chinese-table", "keycap-emoji"]
IGNORABLE = {"\ufe0e", "\ufe0f", "\u200d"}
"""Variation selectors and the zero width joiner shape to nothing: no face needs them."""


@pytest.mark.parametrize("name", NOTES)
def test_fallback_faces_are_embedded_as_used_subsets(name: str, tmp_path: Path, theme) -> None:
    need("eot2ttf")
    from fontTools.ttLib import TTFont

    r = build(FIXTURES / "scripts" / f"{name}.md", tmp_path, "--format", "pptx")
    assert r.returncode == 0 and "font-not-embedded" not in r.stderr, r.stderr
    deck = tmp_path / f"{name}.pptx"
    assert deck.stat().st_size < BUDGET, deck.stat().st_size
    fallbacks = {face.family for _, face in theme.fonts.fallback.faces()}
    with zipfile.ZipFile(deck) as z:
        used = used_characters(z)
        fonts = embedded_fonts(z)
        named = {family for family, _ in used} & fallbacks
        assert named, f"{name}: no run names a fallback face"
        assert named <= {f["family"] for f in fonts}
        for f in (f for f in fonts if f["family"] in named):
            src, dst = tmp_path / "face.eot", tmp_path / "face.ttf"
            src.write_bytes(z.read(f["part"]))
            assert run(["eot2ttf", str(src), str(dst)]).returncode == 0
            cmap = TTFont(str(dst)).getBestCmap()
            chars = used.get((f["family"], f["style"] == "bold"), set()) - IGNORABLE
            assert not sorted(c for c in chars if ord(c) not in cmap), f["family"]
            assert ord("A") in cmap and ord("힝") not in cmap, f"{f['family']}: Hangul kept in a fallback subset"
