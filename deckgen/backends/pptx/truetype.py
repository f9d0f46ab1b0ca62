"""PostScript (CFF) outlines to TrueType (glyf) ones, because PowerPoint embeds TrueType only.

Many CJK faces (Noto Sans CJK, Source Han) are OpenType/CFF.  Their cubic curves are
approximated by quadratic ones (fontTools' cu2qu, within a thousandth of an em),
hints are dropped, and the tables TrueType needs are rebuilt: glyf/loca, maxp 1.0,
post 3.0.  Done after subsetting, so only a few thousand glyphs are converted.
"""
from __future__ import annotations

MAXP_V1_ZERO = ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                "maxStackElements", "maxSizeOfInstructions", "maxComponentElements", "maxComponentDepth",
                "maxPoints", "maxContours", "maxCompositePoints", "maxCompositeContours")


def has_truetype_outlines(font) -> bool:
    return "glyf" in font


def can_convert(font) -> bool:
    """True for static CFF fonts (CFF2 variable fonts and bitmap-only fonts are not converted)."""
    return "CFF " in font and "glyf" not in font


def cff_to_truetype(font) -> None:
    """Replace *font*'s CFF table by glyf/loca, in place."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    max_err = font["head"].unitsPerEm / 1000
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(None)
        glyph_set[name].draw(Cu2QuPen(pen, max_err, reverse_direction=True))
        glyphs[name] = pen.glyph()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    for tag in ("CFF ", "VORG"):
        if tag in font:
            del font[tag]
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for attr in MAXP_V1_ZERO:
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    font["head"].glyphDataFormat = 0
    post = font["post"]
    post.formatType = 3.0
    for attr in ("extraNames", "mapping"):
        if hasattr(post, attr):
            delattr(post, attr)
    font.sfntVersion = "\0\1\0\0"
