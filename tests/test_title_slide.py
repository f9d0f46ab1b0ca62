"""The title slide's byline and tag sizes come from the theme (sizes.byline, sizes.tags), with defaults."""
from __future__ import annotations

from pathlib import Path

import pytest

from deckgen.layout.geometry import TextFrame
from deckgen.layout.texts import TextSetter
from deckgen.layout.titles import TitleSetter
from deckgen.model import Meta
from deckgen.theme.load import BUILTIN_THEMES, load_theme

META = Meta(title="가상화 개요", author="김하늘", date="2026-03-10", tags=("os", "vm"))


def _byline_sizes(theme, measurer) -> list[float]:
    shapes = TitleSetter(theme, TextSetter(theme, measurer)).title_slide(META)
    frames = [s for s in shapes if isinstance(s, TextFrame) and s.role == "subtitle"]
    return [p.size for p in frames[-1].paras]


def _theme(folder: Path, toml: str):
    (folder / "theme.toml").parent.mkdir(parents=True, exist_ok=True)
    (folder / "theme.toml").write_text(toml, encoding="utf-8")
    return load_theme(str(folder))


def test_default_theme_sizes(theme, measurer) -> None:
    assert _byline_sizes(theme, measurer) == [18.0, 14.0]


def test_a_theme_sets_byline_and_tag_sizes(tmp_path, measurer) -> None:
    mine = _theme(tmp_path / "mine", 'extends = "default"\n[sizes]\nbyline = 20\ntags = 12\n')
    assert _byline_sizes(mine, measurer) == [20.0, 12.0]


def test_a_theme_without_them_gets_the_defaults(tmp_path, measurer) -> None:
    text = (BUILTIN_THEMES / "default" / "theme.toml").read_text(encoding="utf-8")
    kept = "\n".join(line for line in text.splitlines() if not line.startswith(("byline", "tags")))
    assert kept != text
    bare = _theme(tmp_path / "bare", kept)
    assert (bare.sizes.byline, bare.sizes.tags) == (18.0, 14.0)
    assert _byline_sizes(bare, measurer) == [18.0, 14.0]


@pytest.mark.parametrize("value", ['"big"', "true"])
def test_a_mistyped_size_names_its_key(tmp_path, value: str) -> None:
    from deckgen.theme.load import ThemeError
    with pytest.raises(ThemeError, match=r"sizes\.byline"):
        _theme(tmp_path / "bad", f'extends = "default"\n[sizes]\nbyline = {value}\n')
