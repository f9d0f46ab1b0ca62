"""Make mermaid's SVG draw the same in every SVG renderer, not just in browsers.

CairoSVG (the deck's PNG), PowerPoint and LibreOffice (the deck's SVG) and WeasyPrint
(the handout) each read a different part of what browsers read. mermaid's output is
rewritten into the part they share:
- its style sheet is resolved into attributes (`svgstyle.inline_styles`): colours in
  `hsl()`, centred labels through `.node .label text {text-anchor: middle}`;
- `<switch>` with an HTML `<foreignObject>` and a `<text>` fallback (journey diagrams)
  keeps only the text, which every renderer draws;
- mindmap labels are centred on their node, as mermaid means them to be, whatever
  the face measured them;
- every label names the theme face (journey and others hard-code "Open Sans", which
  has no Hangul), the face the worker measured labels with;
- a label row written as one <tspan> per word, the space leading the next word, loses
  its spaces in renderers that trim each tspan ("결과 반환" -> "결과반환"): the words of
  a row with one style are merged into one run of text.
"""
from __future__ import annotations

import re

from lxml import etree

from deckgen.render.svg import SvgError
from deckgen.render.svgstyle import SVG, inline_styles

TRANSLATE = re.compile(r"translate\(\s*(-?[\d.]+(?:e-?\d+)?)")

LIGHT = 0.8
"""Relative luminance above which a label colour would vanish on mermaid's light boxes."""


def _luminance(color: str) -> float:
    if color.startswith("#") and len(color) == 7:
        r, g, b = (int(color[i:i + 2], 16) / 255 for i in (1, 3, 5))
        return 0.2126 * r + 0.7152 * g + 0.0722 * b
    return 0.0


def _text_fallbacks(root: etree._Element, text_color: str) -> None:
    for switch in list(root.iter(f"{SVG}switch")):
        texts = [c for c in switch if c.tag == f"{SVG}text"]
        if not texts or not any(c.tag == f"{SVG}foreignObject" for c in switch):
            continue
        for child in list(switch):
            if child.tag != f"{SVG}text":
                switch.remove(child)
        for text in texts:                    # the fallback was never meant to be seen
            if _luminance(text.get("fill") or "") > LIGHT:
                text.set("fill", text_color)
        switch.tag = f"{SVG}g"


def _centre_mindmap_labels(root: etree._Element) -> None:
    """mermaid centres mindmap labels through a class (`.mindmap-node-label`) that its
    own non-HTML labels do not carry. It shifts the label group left by half of the
    width it measured, so a label drawn in another face is off-centre: each text is
    anchored in its middle at the node's centre instead (x = minus the group's shift)."""
    for node in root.iter(f"{SVG}g"):
        if "mindmap-node" not in (node.get("class") or "").split():
            continue
        for text in node.iter(f"{SVG}text"):
            shift = _shift_x(text, node)
            text.set("text-anchor", "middle")
            for el in [text, *text.iter(f"{SVG}tspan")]:
                if el is text or el.get("x") is not None:
                    el.set("x", f"{-shift:g}")


def _shift_x(el: etree._Element, stop: etree._Element) -> float:
    """Sum of the horizontal translate() between *el* and its ancestor *stop*."""
    shift = 0.0
    parent = el.getparent()
    while parent is not None and parent is not stop:
        m = TRANSLATE.search(parent.get("transform") or "")
        if m:
            shift += float(m[1])
        parent = parent.getparent()
    return shift


def _faces(root: etree._Element, family: str) -> None:
    for el in root.iter():
        if isinstance(el.tag, str) and el.get("font-family") is not None:
            el.set("font-family", f"'{family}', sans-serif")


def _merge_word_runs(root: etree._Element) -> None:
    for row in root.iter(f"{SVG}tspan"):
        if "row" not in (row.get("class") or "").split():
            continue
        inner = [t for t in row if t.tag == f"{SVG}tspan"]
        if len(inner) < 2 or len(inner) != len(row):
            continue
        styles = {(t.get("font-style"), t.get("font-weight")) for t in inner}
        if len(styles) != 1 or any(len(t) for t in inner):
            continue
        inner[0].text = "".join(t.text or "" for t in inner)
        for t in inner[1:]:
            row.remove(t)


def tidy_mermaid(svg: str, family: str, text_color: str = "#1F2328") -> str:
    """mermaid's SVG rewritten into what every renderer here draws the same way."""
    try:
        root = etree.fromstring(svg.encode("utf-8"), etree.XMLParser(resolve_entities=False, no_network=True,
                                                                      huge_tree=False))
    except etree.XMLSyntaxError as e:
        raise SvgError(f"mermaid wrote SVG that is not well-formed ({e})") from None
    inline_styles(root)
    _text_fallbacks(root, text_color)
    _centre_mindmap_labels(root)
    _faces(root, family)
    _merge_word_runs(root)
    return etree.tostring(root, encoding="unicode")
