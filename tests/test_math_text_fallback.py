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


def test_no_kerning_across_the_math_font_and_the_fallback_face() -> None:
    """A fallback glyph beside a math-font glyph: ziamath asks the fallback face to kern the pair by
    the other font's glyph index.  NanumBarunGothic has a GPOS table, so it read that foreign index
    as one of its own glyphs and parsed garbage (a `cases` formula on the Nature template ran for
    minutes past 800 MB).  The fallback face must never be asked for a glyph index it did not give."""
    from ziafont import Font

    body = "/usr/share/fonts/truetype/nanum/NanumBarunGothic.ttf"
    face = Font(body)
    if not face.gpos:
        pytest.skip("this NanumBarunGothic has no GPOS table")
    tex.use_text_fallback(body)
    fallback = tex._FALLBACK[body]
    own = {fallback.glyphindex(ch) for ch in "또는 "}
    asked: list[int] = []

    def only_own(gid: int, read=fallback.glyph_fromid):
        asked.append(gid)
        if gid not in own:                 # fail here, before garbage is parsed for minutes
            raise AssertionError(f"fallback face asked for foreign glyph index {gid}")
        return read(gid)

    fallback.glyph_fromid = only_own
    try:
        svg = tex.render_math_svg(r"L = \begin{cases} 0 & i = 0 \text{ 또는 } j = 0 \\ 1 & x_i \ne y_j \end{cases}",
                                  24, text_font=body)
    finally:
        del fallback.glyph_fromid
    assert "_0\"" not in svg and asked
