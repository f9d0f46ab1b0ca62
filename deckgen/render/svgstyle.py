"""Resolve an SVG's style sheet into presentation attributes.

mermaid styles its diagrams through a `<style>` sheet (`#id .pieCircle {...}`,
`#id .node .label text {text-anchor: middle}`) and writes colours as `hsl(...)`
with fractional percentages. Browsers understand both; CairoSVG (the deck's PNG),
PowerPoint's SVG renderer and LibreOffice each understand a different part of it,
so a pie came out black and labels moved. Here every rule is matched once
(cssselect2, as CairoSVG itself does) and written onto the elements it selects,
colours become `#rrggbb`, and the sheet is removed: every renderer then draws
from the same plain attributes.
"""
from __future__ import annotations

import colorsys
import math
import re

import cssselect2
import tinycss2
from lxml import etree

SVG = "{http://www.w3.org/2000/svg}"

PROPERTIES = frozenset({
    "fill", "fill-opacity", "stroke", "stroke-width", "stroke-opacity", "stroke-dasharray",
    "stroke-linecap", "stroke-linejoin", "opacity", "font-family", "font-size", "font-weight",
    "font-style", "text-anchor", "dominant-baseline", "alignment-baseline", "display", "visibility",
    "text-decoration", "stop-color", "stop-opacity",
})
"""Properties that SVG also accepts as attributes: the ones worth carrying over."""

COLOR_PROPERTIES = frozenset({"fill", "stroke", "stop-color"})

_FUNC = re.compile(r"^(rgba?|hsla?)\(([^)]*)\)$", re.I)


def _channel(text: str, scale: float, default: float = 0.0) -> float:
    """One colour channel; mermaid writes `hsl(NaN, ...)` for some derived colours."""
    text = text.strip()
    value = float(text[:-1]) / 100 * scale if text.endswith("%") else float(text)
    return value if math.isfinite(value) else default


def hex_color(value: str) -> tuple[str, float] | None:
    """`rgb()/rgba()/hsl()/hsla()` -> ('#rrggbb', alpha); None for anything else."""
    m = _FUNC.match(value.strip())
    if not m:
        return None
    parts = [p for p in re.split(r"[\s,/]+", m[2].strip()) if p]
    if len(parts) < 3:
        return None
    try:
        alpha = _channel(parts[3], 1.0) if len(parts) > 3 else 1.0
        if m[1].lower().startswith("rgb"):
            r, g, b = (_channel(p, 255) / 255 for p in parts[:3])
        else:
            hue = _channel(parts[0].removesuffix("deg"), 1.0) / 360 % 1.0
            sat, light = _channel(parts[1], 1.0), _channel(parts[2], 1.0, 0.5)
            r, g, b = colorsys.hls_to_rgb(hue, light, sat)
    except ValueError:
        return None
    rgb = "".join(f"{max(0, min(255, round(c * 255))):02x}" for c in (r, g, b))
    return f"#{rgb}", max(0.0, min(1.0, alpha))


def _declarations(tokens: list) -> list[tuple[str, str, bool]]:
    out = []
    for d in tinycss2.parse_declaration_list(tokens, skip_comments=True, skip_whitespace=True):
        if d.type == "declaration":
            out.append((d.lower_name, tinycss2.serialize(d.value).strip(), d.important))
    return out


def _matcher(css: str) -> cssselect2.Matcher:
    matcher = cssselect2.Matcher()
    for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        if rule.type != "qualified-rule":
            continue                                   # @keyframes, @media: nothing to draw
        decls = [d for d in _declarations(rule.content) if d[0] in PROPERTIES]
        if not decls:
            continue
        try:
            selectors = cssselect2.compile_selector_list(rule.prelude)
        except cssselect2.SelectorError:
            continue
        for sel in selectors:
            if sel.pseudo_element is None:
                matcher.add_selector(sel, decls)
    return matcher


def _computed(element: cssselect2.ElementWrapper, matcher: cssselect2.Matcher) -> dict[str, str]:
    """The declarations that apply to one element, in cascade order (inline style last)."""
    normal: dict[str, str] = {}
    important: dict[str, str] = {}
    for _spec, _order, _pseudo, decls in sorted(matcher.match(element), key=lambda m: (m[0], m[1])):
        for name, value, imp in decls:
            (important if imp else normal)[name] = value
    style = element.etree_element.get("style") or ""
    for name, value, _imp in _declarations(tinycss2.parse_component_value_list(style)):
        if name in PROPERTIES:
            normal[name] = value
    return {**normal, **important}


def _set(el: etree._Element, name: str, value: str) -> None:
    value = value.replace("!important", "").strip()
    if not value or "var(" in value:
        return
    if name in COLOR_PROPERTIES:
        if value.lower() == "transparent":
            value = "none"
        converted = hex_color(value)
        if converted:
            value, alpha = converted
            if alpha < 1.0 and name != "stop-color":
                el.set(f"{name}-opacity", f"{alpha:.3g}")
    el.set(name, value)


def _strip_style(el: etree._Element) -> None:
    style = el.get("style")
    if style is None:
        return
    keep = [f"{n}: {v}" for n, v, _ in _declarations(tinycss2.parse_component_value_list(style))
            if n not in PROPERTIES]
    if keep:
        el.set("style", "; ".join(keep))
    else:
        del el.attrib["style"]


def inline_styles(root: etree._Element) -> None:
    """Write every style-sheet and inline-style property onto its elements; drop the sheets."""
    sheets = [s for s in root.iter(f"{SVG}style", "style")]
    css = "\n".join(s.text or "" for s in sheets)
    matcher = _matcher(css)
    wrapper = cssselect2.ElementWrapper.from_xml_root(root)
    for element in wrapper.iter_subtree():
        el = element.etree_element
        if not isinstance(el.tag, str):
            continue                                   # comments, processing instructions
        for name, value in _computed(element, matcher).items():
            _set(el, name, value)
        _strip_style(el)
        for name in COLOR_PROPERTIES:                  # presentation attributes written as hsl()
            value = el.get(name)
            if value and _FUNC.match(value.strip()):
                _set(el, name, value)
    for s in sheets:
        s.getparent().remove(s)
