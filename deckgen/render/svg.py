"""SVG files: intrinsic size, normalising renderer output, rasterising safely.

Rasterising uses CairoSVG with `unsafe=False`: no XML entities, and its
`safe_fetch`, which opens data: URIs only, so an SVG can never make deckgen
read a file or touch the network.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from deckgen.diagnostics import Diagnostics
from deckgen.model import SourceSpan

SVG_NS = "http://www.w3.org/2000/svg"
MAX_SVG_BYTES = 20 * 1024 * 1024
UNITS_PX = {"": 1.0, "px": 1.0, "pt": 96 / 72, "pc": 16.0, "in": 96.0, "cm": 96 / 2.54, "mm": 96 / 25.4}
_LENGTH = re.compile(r"^\s*([\d.]+(?:[eE][-+]?\d+)?)\s*([a-z]*)\s*$")


class SvgError(Exception):
    pass


def _length(value: str | None) -> float | None:
    m = _LENGTH.match(value or "")
    if not m or m[2] not in UNITS_PX:
        return None
    return float(m[1]) * UNITS_PX[m[2]]


def _root(data: bytes) -> ET.Element:
    if len(data) > MAX_SVG_BYTES:
        raise SvgError(f"larger than {MAX_SVG_BYTES // 2**20} MB")
    if b"<!ENTITY" in data[:4096].upper():
        raise SvgError("declares XML entities")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as e:
        raise SvgError(f"not well-formed XML ({e})") from None
    if root.tag not in (f"{{{SVG_NS}}}svg", "svg"):
        raise SvgError("root element is not <svg>")
    if _depth(root) > MAX_SVG_DEPTH:
        raise SvgError(f"elements nested more than {MAX_SVG_DEPTH} deep")
    return root


MAX_SVG_DEPTH = 100
"""Element nesting a picture may have: mermaid and graphviz draw 5 to 10 levels; CairoSVG and
WeasyPrint recurse per level, and 5,000 nested <g> failed the note with a RecursionError."""


def _depth(root: ET.Element) -> int:
    """Nesting depth of *root*'s tree, walked without recursion (stops once past the limit)."""
    deepest, stack = 0, [(root, 1)]
    while stack and deepest <= MAX_SVG_DEPTH:
        element, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in element)
    return deepest


def size_of(data: bytes) -> tuple[float, float]:
    """(width, height) in CSS px from width/height, else the viewBox."""
    root = _root(data)
    w, h = _length(root.get("width")), _length(root.get("height"))
    vb = [float(v) for v in re.split(r"[\s,]+", (root.get("viewBox") or "").strip()) if v]
    if (w is None or h is None) and len(vb) == 4 and vb[2] > 0 and vb[3] > 0:
        if w is None and h is None:
            w, h = vb[2], vb[3]
        elif h is not None:
            w = h * vb[2] / vb[3]
        elif w is not None:
            h = w * vb[3] / vb[2]
    if not w or not h:
        raise SvgError("has no size (width/height or viewBox)")
    return w, h


_FONT_SIZE = re.compile(r"^\s*([\d.]+)\s*(px|pt)?\s*$")


def smallest_text_px(data: bytes) -> float | None:
    """The smallest font size (CSS px) of any text the SVG draws, or None when it draws none.
    Sizes are inherited (mermaid and graphviz set them on the text or an ancestor); a size
    that is not a plain length (`larger`, `1.2em`) is skipped."""
    root = _root(data)
    sizes: list[float] = []

    def walk(el: ET.Element, inherited: float) -> None:
        size = inherited
        m = _FONT_SIZE.match(el.get("font-size") or "")
        if m:
            size = float(m[1]) * (UNITS_PX["pt"] if m[2] == "pt" else 1.0)
        if el.tag in (f"{{{SVG_NS}}}text", "text") and "".join(el.itertext()).strip():
            sizes.append(size)
        for child in el:
            walk(child, size)

    walk(root, 16.0)                             # the SVG default, as browsers use
    return min(sizes) if sizes else None


def svg_size(path: str, where: SourceSpan, diags: Diagnostics) -> tuple[int, int] | None:
    """Pixel size of an SVG image for layout; None (with a warning) when it cannot be used."""
    try:
        w, h = size_of(Path(path).read_bytes())
        return max(1, round(w)), max(1, round(h))
    except (OSError, SvgError) as e:
        diags.warning("image-unreadable", f"SVG image {Path(path).name} cannot be used ({e}); "
                      "drawing a placeholder", where)
        return None


def normalize(svg: str) -> str:
    """Give a renderer's SVG explicit pixel width/height (mermaid writes width="100%"
    and a max-width style), so every consumer draws it at the same size."""
    root_tag = re.search(r"<svg\b[^>]*>", svg)
    if not root_tag:
        raise SvgError("no <svg> element")
    tag = root_tag.group(0)
    vb = re.search(r'viewBox="([^"]+)"', tag)
    if not vb:
        return svg
    parts = [float(v) for v in re.split(r"[\s,]+", vb.group(1).strip())]
    w, h = parts[2], parts[3]
    new = re.sub(r'\s(width|height)="[^"]*"', "", tag)
    new = re.sub(r'max-width:\s*[\d.]+px;?\s*', "", new)
    new = new.replace("<svg", f'<svg width="{w:.2f}" height="{h:.2f}"', 1)
    return svg.replace(tag, new, 1)


def to_png(data: bytes, width_px: int, *, background: str | None = None) -> bytes:
    """Rasterise an SVG to a PNG *width_px* wide (aspect kept)."""
    import cairosvg

    _root(data)                                   # size limit, entities, root check
    # unsafe=False: entities and external resources are refused; CairoSVG then fetches
    # with its safe_fetch, which opens data: URIs only (no file, no network).
    return cairosvg.svg2png(bytestring=data, output_width=max(1, int(width_px)), unsafe=False,
                            background_color=background)
