"""Built-in themes beyond the default, `deckgen themes` and its gallery."""
from __future__ import annotations

import sys

import pytest
from pptx import Presentation

from conftest import ROOT, run

from deckgen.theme.load import load_theme

# theme -> (slide size in pt, body size, background)
BUILT_IN = {
    "default": ((960, 540), 24, "FFFFFF"),
    "dark": ((960, 540), 24, "1B2430"),
    "large-print": ((960, 540), 30, "FFFFFF"),
    "classic-4x3": ((720, 540), 22, "FFFFFF"),
}


@pytest.mark.parametrize("name", sorted(BUILT_IN))
def test_built_in_theme_values(name) -> None:
    size, body, background = BUILT_IN[name]
    t = load_theme(name)
    assert (t.slide_w, t.slide_h) == size and t.sizes.body == body and t.colors.background == background
    assert t.description and t.sizes.body_min <= t.sizes.body and not t.warnings
    for name in t.boxes.__dataclass_fields__:          # every box lies on the slide
        box = getattr(t.boxes, name)
        assert box.x >= 0 and box.x + box.w <= t.slide_w and box.y >= 0 and box.y + box.h <= t.slide_h


def test_themes_lists_built_in_and_project_themes(tmp_path) -> None:
    own = tmp_path / "themes" / "school"
    own.mkdir(parents=True)
    (own / "theme.toml").write_text('extends = "dark"\nname = "school"\ndescription = "우리 학교 색"\n',
                                    encoding="utf-8")
    r = run([sys.executable, "-m", "deckgen", "themes", str(tmp_path)], cwd=ROOT)
    assert r.returncode == 0, r.stderr
    rows = {line.split()[0]: line for line in r.stdout.splitlines()}
    assert set(BUILT_IN) | {"school"} <= set(rows)
    assert "project" in rows["school"] and "우리 학교 색" in rows["school"]
    assert "built-in" in rows["dark"] and "projector" in rows["dark"]


def test_gallery_renders_a_deck_and_handout_per_theme(tmp_path) -> None:
    out = tmp_path / "gallery"
    r = run([sys.executable, "-m", "deckgen", "themes", "--gallery", str(out)], cwd=ROOT)
    assert r.returncode == 0, r.stderr
    for name, ((w, h), _, background) in BUILT_IN.items():
        deck = out / name / "sample.pptx"
        assert deck.is_file() and (out / name / "sample.pdf").stat().st_size > 10_000, name
        prs = Presentation(str(deck))
        assert (prs.slide_width, prs.slide_height) == (w * 12700, h * 12700), name
        assert len(prs.slides) >= 3
        if background != "FFFFFF":                     # the dark slides are painted by their master
            assert str(prs.slide_master.background.fill.fore_color.rgb) == background
