"""Korean inside a formula's `\\text{}`: the math font (STIX) has no Hangul, so those glyphs
come from the theme's body face instead of .notdef boxes (glyph 0), in display and inline math."""
from __future__ import annotations

import re

import pytest

from deckgen.pipeline import cached_theme
from deckgen.render import tex

CASES = [
    (r"\text{직렬 가능성} \iff \text{충돌 그래프에 사이클 없음}", False),
    (r"f(n) = \begin{cases} 0 & \text{기저 사례} \\ f(n-1) + 1 & \text{그 외} \end{cases}", False),
    (r"\rho_{\text{가상}} = N/M", True),
]


def _glyphs(svg: str) -> list[str]:
    return re.findall(r'<symbol id="([^"]+)"', svg) or re.findall(r'id="([^"]+_\d+)"', svg)


@pytest.mark.parametrize(("source", "inline"), CASES)
def test_hangul_in_text_is_drawn_from_the_body_face(source: str, inline: bool) -> None:
    theme, _ = cached_theme("default")
    face = theme.fonts.body.regular
    svg = tex.render_math_svg(source, 24, inline=inline, text_font=face.path)
    glyphs = _glyphs(svg)
    assert glyphs
    assert not [g for g in glyphs if g.endswith("_0")], glyphs          # no .notdef box
    syllables = {ch for ch in source if "\uac00" <= ch <= "\ud7a3"}
    from_face = {g for g in glyphs if not g.startswith("STIX")}
    assert len(from_face) >= len(syllables) > 0, glyphs


def test_without_a_text_face_the_math_font_alone_draws_boxes() -> None:
    """The condition the fallback exists for (guards the test above from passing vacuously)."""
    svg = tex.render_math_svg(r"\text{가상}", 24)
    assert any(g.endswith("_0") for g in _glyphs(svg))
