"""Math without LaTeX: TeX -> SVG with ziamath (pure Python), TeX -> readable text.

Display math becomes a picture.  Inline math stays text in the slide's text
flow where it can (a PowerPoint text box cannot hold a picture inside a line):
styled runs (`mathruns`) on the slide, and a readable Unicode rendering (`x²`,
`α/β`, `√x`, TeX's `N_{vm}` where Unicode has no script form) for plain text such
as speaker notes; the TeX source is kept on the span (`Span.math`).
"""
from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as ET
from typing import Any

SUP = str.maketrans("0123456789+-=()niakx", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱᵃᵏˣ")
SUB = str.maketrans("0123456789+-=()aeijkmnox", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑᵢⱼₖₘₙₒₓ")
MML = "{http://www.w3.org/1998/Math/MathML}"
BARE_AMP = re.compile(r"&(?!#?\w+;)")
"""latex2mathml writes the column separator of `aligned` as a bare `<mi>&</mi>`, which is not XML."""


ACCENTS = {"^": "\u0302", "ˆ": "\u0302", "¯": "\u0304", "~": "\u0303", "˜": "\u0303", "→": "\u20d7",
           "˙": "\u0307", "¨": "\u0308", "―": "\u0305", "‾": "\u0305", "ˇ": "\u030c", "´": "\u0301"}
"""An accent over a letter (`\\hat y`, `\\bar W`, `\\vec v`) as the combining mark drawn on it: ŷ, W̄, v⃗."""


def accented(base: str, mark: str) -> str:
    """*base* with the combining form of accent *mark*: on every letter for a bar (a line over
    all of them), after the last letter for the others."""
    comb = ACCENTS[mark]
    if covers_all(mark):
        return unicodedata.normalize("NFC", "".join(c + comb if not c.isspace() else c for c in base))
    return unicodedata.normalize("NFC", base + comb)        # ŷ, ā: one character where Unicode has it


def covers_all(mark: str) -> bool:
    """A bar accent is a line over every letter of its base; the others sit on the last one."""
    return ACCENTS[mark] in ("\u0304", "\u0305")


def accent_of(el: ET.Element) -> str | None:
    """The accent a <mover> puts over its base, or None for a real upper limit."""
    kids = list(el)
    if el.tag != f"{MML}mover" or len(kids) != 2 or kids[1].tag != f"{MML}mo":
        return None
    mark = (kids[1].text or "").strip()
    return mark if mark in ACCENTS else None


class MathError(Exception):
    pass


def to_mathml(tex: str) -> ET.Element:
    """MathML for *tex*; MathError when it cannot be parsed or uses an unknown command."""
    import latex2mathml.converter

    try:
        mathml = latex2mathml.converter.convert(tex)
    except Exception as e:  # latex2mathml raises many exception types
        raise MathError(f"{type(e).__name__}: {e}".rstrip(": ")) from None
    try:
        root = ET.fromstring(BARE_AMP.sub("&amp;", mathml))
    except ET.ParseError as e:
        raise MathError(f"MathML not readable: {e}") from None
    for el in root.iter():
        if el.tag in (f"{MML}mi", f"{MML}mo", f"{MML}mtext") and (el.text or "").startswith("\\"):
            raise MathError(f"unknown command {el.text}")
        if el.tag == f"{MML}merror":
            raise MathError("parse error")
    return root


def _script(text: str, table: dict, mark: str) -> str:
    if text and all(ord(c) in table for c in text):   # every character has a script form
        return text.translate(table)
    return f"{mark}{text}" if len(text) == 1 else f"{mark}{{{text}}}"     # TeX's own linear form


def _text(el: ET.Element) -> str:
    tag = el.tag.replace(MML, "")
    kids = list(el)
    if tag in ("msup", "msub") and len(kids) == 2:
        base, script = _text(kids[0]), _text(kids[1])
        return base + _script(script, SUP if tag == "msup" else SUB, "^" if tag == "msup" else "_")
    if tag == "msubsup" and len(kids) == 3:
        return _text(kids[0]) + _script(_text(kids[1]), SUB, "_") + _script(_text(kids[2]), SUP, "^")
    if tag == "mfrac" and len(kids) == 2:
        a, b = _text(kids[0]), _text(kids[1])
        wrap = lambda s: s if len(s) <= 1 or re.fullmatch(r"\w+", s) else f"({s})"  # noqa: E731
        return f"{wrap(a)}/{wrap(b)}"
    if tag == "msqrt":
        inner = "".join(_text(k) for k in kids)
        return f"√{inner}" if len(inner) <= 1 else f"√({inner})"
    if tag == "mtable":                            # a matrix, row by row: (a, b; c, d)
        return "; ".join(", ".join(_text(cell) for cell in row) for row in kids)
    if (mark := accent_of(el)) is not None:
        return accented(_text(kids[0]), mark)
    if tag in ("munder", "mover", "munderover") and kids:
        return "".join(_text(k) for k in kids)
    return (el.text or "") + "".join(_text(k) + (k.tail or "") for k in kids)


def tex_to_text(tex: str) -> str:
    """A readable Unicode rendering of inline TeX (the source itself if it cannot be parsed)."""
    tex = tex.strip()
    try:
        out = _text(to_mathml(tex))
    except MathError:
        return tex
    out = re.sub(r"\s+", " ", out).strip()
    return out or tex


def render_math_svg(tex: str, size_px: float, *, inline: bool = False, text_font: str | None = None) -> str:
    """SVG of *tex* drawn at *size_px* (display or text style); MathError when it cannot be parsed.
    Characters the math font lacks (Hangul in `\\text{...}`) are drawn from *text_font*."""
    import ziamath

    to_mathml(tex)                                 # unknown commands are errors, not silent text
    use_text_fallback(text_font)
    try:
        return ziamath.Latex(tex, size=size_px, inline=inline).svg()
    except Exception as e:
        raise MathError(f"{type(e).__name__}: {e}") from None


def depth_below_baseline(svg: bytes) -> float:
    """How far a ziamath SVG reaches below its baseline, in its pixels: ziamath puts the baseline
    at y = 0 of the viewBox, so it is the viewBox's bottom (0 when there is no viewBox)."""
    m = re.search(rb'<svg\b[^>]*?viewBox="\s*([-\d.e]+)[\s,]+([-\d.e]+)[\s,]+([-\d.e]+)[\s,]+([-\d.e]+)', svg)
    if m is None:
        return 0.0
    return max(0.0, float(m[2]) + float(m[4]))


def ziamath_version() -> str:
    try:
        import ziamath
        return getattr(ziamath, "__version__", "?")
    except ImportError:
        return ""


_FALLBACK: dict[str, Any] = {}
"""The loaded fallback face (ziafont.Font) by path, and the patch's own state."""


def use_text_fallback(path: str | None) -> None:
    """Make ziamath take a glyph the math font lacks from *path* (the theme's body face; None: none).

    ziamath draws `\\text{직렬 가능성}` with its STIX math font, which has no Hangul: every
    syllable became a .notdef box in both outputs. ziamath has no fallback option, so its
    glyph lookup is wrapped once; the face is only used for characters STIX does not have,
    and only when both faces share a unitsPerEm (ziamath advances glyphs in the math font's units)."""
    import ziafont
    from ziamath import mathfont

    if path is None:
        _FALLBACK.pop("current", None)
        return
    if path not in _FALLBACK:
        _FALLBACK[path] = ziafont.Font(path)
    _FALLBACK["current"] = _FALLBACK[path]
    if "patched" in _FALLBACK:
        return
    findglyph = mathfont.MathFont.findglyph

    def find_with_fallback(self: Any, char: str, variant: Any) -> Any:
        face = _FALLBACK.get("current")
        if (face is not None and len(char) == 1 and self.glyphindex(char) == 0 and face.glyphindex(char) != 0
                and face.info.layout.unitsperem == self.info.layout.unitsperem):
            return face.glyph(char)
        return findglyph(self, char, variant)

    mathfont.MathFont.findglyph = find_with_fallback  # type: ignore[method-assign]  # ziamath has no fallback hook
    _kern_within_one_font()
    _FALLBACK["patched"] = True         # last: a time limit that stops a formula here patches again next time


def _kern_within_one_font() -> None:
    """A glyph's advance asks its font to kern it with the next glyph by that glyph's index; ziamath
    expects an IndexError when the next glyph is from another font, but a fallback face with a GPOS
    table reads the foreign index as its own glyph and parses garbage: on NanumBarunGothic one
    `cases` formula ran for minutes and grew past 800 MB.  Across two fonts there is no kerning."""
    from ziafont import glyph

    advance = glyph.SimpleGlyph.advance

    def advance_within_font(self: Any, nextchr: Any = None) -> int:
        if nextchr is not None and getattr(nextchr, "font", None) is not self.font:
            nextchr = None
        return advance(self, nextchr)

    glyph.SimpleGlyph.advance = advance_within_font  # type: ignore[method-assign]
