"""EOT containers, embedding permissions, subset character sets and the embed_fonts option."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import need, run
from deckgen.backends.pptx.eot import MAGIC, VERSION, read_eot_header, wrap_eot
from deckgen.backends.pptx.fontsubset import BASE_CHARACTERS, ks_x_1001_syllables, truetype_bytes
from deckgen.theme.faceinfo import permission


def test_eot_round_trips_through_eot2ttf(theme, tmp_path: Path) -> None:
    need("eot2ttf")
    ttf = Path(theme.fonts.mono.regular.path).read_bytes()
    eot = wrap_eot(ttf, theme.fonts.mono.family, "Regular", subset=False)
    h = read_eot_header(eot)
    assert (h.version, h.flags, h.font_data_size) == (VERSION, 0, len(ttf))
    assert h.family_name == theme.fonts.mono.family + "\0"        # PowerPoint's trailing NUL
    assert int.from_bytes(eot[:4], "little") == len(eot)
    assert int.from_bytes(eot[34:36], "little") == MAGIC
    (tmp_path / "f.eot").write_bytes(eot)
    r = run(["eot2ttf", str(tmp_path / "f.eot"), str(tmp_path / "f.ttf")])
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "f.ttf").read_bytes() == ttf


def test_bad_eot_is_refused() -> None:
    with pytest.raises(ValueError, match="magic"):
        read_eot_header(bytes(200))
    with pytest.raises(ValueError, match="shorter"):
        read_eot_header(b"\1\2")


@pytest.mark.parametrize("fs_type, embeddable, label, subsettable", [
    (0, True, "installable", True),
    (2, False, "restricted", True),
    (4, False, "preview & print", True),
    (8, True, "editable", True),
    (0x0108, True, "editable", False),     # bit 8: no subsetting
    (0x0200, False, "bitmap only", True),
    (0x000C, True, "editable", True),      # the least restrictive bit wins
])
def test_fs_type_permissions(fs_type, embeddable, label, subsettable) -> None:
    p = permission(fs_type)
    assert (p.embeddable, p.label, p.subsettable) == (embeddable, label, subsettable)


def test_ks_x_1001_has_the_2350_syllables() -> None:
    syl = ks_x_1001_syllables()
    assert len(syl) == 2350
    assert min(syl) == ord("가") and max(syl) == ord("힝")
    assert ord("똠") not in syl          # a modern syllable KS X 1001 lacks (the famous 똠방각하)
    assert syl <= BASE_CHARACTERS and {ord("ㄱ"), ord("A"), 0x1100} <= BASE_CHARACTERS


def test_subset_keeps_used_characters_beyond_the_base(theme) -> None:
    import io

    from fontTools.ttLib import TTFont

    f = theme.fonts.body.regular
    data = truetype_bytes(f.path, f.index, "똠방각하 ©", subset=True)
    cmap = TTFont(io.BytesIO(data)).getBestCmap()
    assert ord("똠") in cmap and ord("가") in cmap
    assert ord("뙁") not in cmap          # neither used nor in KS X 1001: dropped
    assert len(data) < Path(f.path).stat().st_size / 2


def test_embed_fonts_option_is_checked_and_keys_the_cache(tmp_path: Path) -> None:
    from deckgen.course.cache import build_key
    from deckgen.course.config import ConfigError, parse_config
    from deckgen.pipeline import BuildOptions
    from deckgen.theme.load import ThemeError, load_theme

    cfg = tmp_path / "deckgen.toml"
    assert parse_config({"embed_fonts": "none"}, cfg).embed_fonts == "none"
    with pytest.raises(ConfigError, match=r"embed_fonts: expected \"subset\" or \"full\" or \"none\", got 'all'"):
        parse_config({"embed_fonts": "all"}, cfg)
    keys = {build_key(BuildOptions(embed_fonts=m), [], []) for m in (None, "subset", "full", "none")}
    assert len(keys) == 4
    theme = tmp_path / "t"
    theme.mkdir()
    (theme / "theme.toml").write_text('extends = "default"\nembed_fonts = "yes"\n', encoding="utf-8")
    with pytest.raises(ThemeError, match="embed_fonts: expected one of 'subset', 'full', 'none', got 'yes'"):
        load_theme(str(theme))


def test_disk_cache_of_subsets_is_used_and_bounded(theme, tmp_path: Path, monkeypatch) -> None:
    from deckgen.backends.pptx import fontsubset

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(fontsubset, "DISK_CACHE_FILES", 2)
    f = theme.fonts.mono.regular
    rare = [chr(cp) for cp in range(0xAC00, 0xD7A4)
            if cp not in BASE_CHARACTERS and cp in fontsubset.face_cmap(f.path, f.index)][:3]
    calls = []
    real = fontsubset._make_subset
    monkeypatch.setattr(fontsubset, "_make_subset", lambda *a: calls.append(a) or real(*a))
    for ch in rare:                       # three character sets: three subsets, two kept on disk
        fontsubset._subset.cache_clear()
        fontsubset.truetype_bytes(f.path, f.index, ch, subset=True)
    assert len(calls) == 3 and len(list((tmp_path / "deckgen" / "fonts").glob("*.ttf"))) == 2
    fontsubset._subset.cache_clear()
    fontsubset.truetype_bytes(f.path, f.index, rare[-1], subset=True)   # a new process: read from disk
    assert len(calls) == 3


def _cff_font(path: Path) -> None:
    """A two-glyph OpenType/CFF face (cubic curves), like Noto Sans CJK's outlines."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.t2CharStringPen import T2CharStringPen

    def glyph(curved: bool):
        pen = T2CharStringPen(600, None)
        pen.moveTo((50, 0))
        if curved:
            pen.curveTo((50, 500), (550, 500), (550, 0))
        else:
            pen.lineTo((300, 700))
            pen.lineTo((550, 0))
        pen.closePath()
        return pen.getCharString()

    fb = FontBuilder(1000, isTTF=False)
    fb.setupGlyphOrder([".notdef", "A", "uniAC00"])
    fb.setupCharacterMap({0x41: "A", 0xAC00: "uniAC00"})
    fb.setupCFF("TestCFF-Regular", {"FullName": "Test CFF"},
                {".notdef": glyph(False), "A": glyph(False), "uniAC00": glyph(True)}, {})
    fb.setupHorizontalMetrics({n: (600, 50) for n in (".notdef", "A", "uniAC00")})
    fb.setupHorizontalHeader(ascent=800, descent=-200)
    fb.setupNameTable({"familyName": "Test CFF", "styleName": "Regular"})
    fb.setupOS2(fsType=0)
    fb.setupPost()
    fb.save(str(path))


def test_cff_faces_are_converted_to_truetype(tmp_path: Path) -> None:
    import io

    from fontTools.pens.boundsPen import BoundsPen
    from fontTools.ttLib import TTFont

    need("eot2ttf")
    otf = tmp_path / "TestCFF.otf"
    _cff_font(otf)
    for subset in (True, False):
        data = truetype_bytes(str(otf), 0, "가A", subset=subset)
        font = TTFont(io.BytesIO(data))
        assert "glyf" in font and "CFF " not in font and font.sfntVersion == "\0\1\0\0"
        cmap = font.getBestCmap()
        assert font["glyf"][cmap[0xAC00]].numberOfContours == 1
        bounds = BoundsPen(font.getGlyphSet())
        font.getGlyphSet()[cmap[0xAC00]].draw(bounds)
        x0, y0, x1, y1 = bounds.bounds
        assert (x0, y0, x1) == (50, 0, 550) and abs(y1 - 375) <= 1.5   # the cubic's peak, within 1/1000 em
        (tmp_path / "f.eot").write_bytes(wrap_eot(data, "Test CFF", "Regular", subset=subset))
        r = run(["eot2ttf", str(tmp_path / "f.eot"), str(tmp_path / "f.ttf")])
        assert r.returncode == 0 and TTFont(str(tmp_path / "f.ttf")).getBestCmap()[0x41] == cmap[0x41]


def test_theme_faces_finds_faces_nested_in_fallback_records(theme) -> None:
    from dataclasses import dataclass

    from deckgen.backends.pptx.fontembed import theme_faces

    @dataclass(frozen=True)
    class Chain:
        han: tuple

    @dataclass(frozen=True)
    class Fonts:
        body: object
        fallback: Chain
        by_script: dict

    mono = theme.fonts.mono
    faces = theme_faces(Fonts(theme.fonts.body, Chain((mono,)), {"kana": theme.fonts.heading}))
    assert set(faces) == {theme.fonts.body.family, mono.family, theme.fonts.heading.family}
    fallbacks = {face.family for _, face in theme.fonts.fallback.faces()}      # [fonts.fallback] (theme/fallback.py)
    assert fallbacks
    assert set(theme_faces(theme.fonts)) == {theme.fonts.body.family, mono.family, theme.fonts.heading.family,
                                             *fallbacks}


def test_subsets_are_reproducible(theme, monkeypatch, tmp_path: Path) -> None:
    from deckgen.backends.pptx import fontsubset

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))    # no disk cache from earlier runs
    f = theme.fonts.heading.bold
    fontsubset._subset.cache_clear()
    import io

    from fontTools.ttLib import TTFont

    data = fontsubset.truetype_bytes(f.path, f.index, "가", subset=True)
    # head.modified is the font's own, not the time of the build: same fonts, same deck bytes
    assert TTFont(io.BytesIO(data))["head"].modified == TTFont(f.path)["head"].modified
