"""Every mermaid diagram type is drawn with the theme's colours and every label inside its node.

Checked on the SVG that both outputs use (the deck's PNG fallback is drawn from it too):
no style sheet or CSS colour function is left for a renderer to misread, pie slices are the
theme's palette, the PNG fallback is not mostly black, and each node's label, measured with
the theme face at its font size, lies inside the node's shape.
"""
from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from lxml import etree
from PIL import Image as PILImage, ImageFont

from deckgen.diagnostics import Diagnostics
from deckgen.model import Image, walk_blocks
from deckgen.pipeline import cached_theme
from deckgen.read.parse import parse_note
from deckgen.render import render_figures, svg
from deckgen.render.palette import mermaid_variables

NOTE = Path(__file__).parent / "fixtures" / "figures" / "mermaid-types.md"
SVG = "{http://www.w3.org/2000/svg}"
TYPES = ("flowchart", "flowchart", "sequence", "class", "state", "er", "gantt", "pie", "mindmap",
         "journey", "timeline", "gitGraph", "quadrant")
_NUM = re.compile(r"-?\d+(?:\.\d+)?(?:e-?\d+)?")


@pytest.fixture(scope="module")
def figures(tmp_path_factory) -> list[tuple[str, Path]]:
    diags = Diagnostics()
    theme, _ = cached_theme("default")
    doc = parse_note(NOTE, diags, display=NOTE.name, root=NOTE.parent)
    cache = tmp_path_factory.mktemp("figures")
    doc = render_figures(doc, diags, cache_dir=cache, theme=theme, project_root=NOTE.parent)
    images = [b for b in walk_blocks(doc.blocks) if isinstance(b, Image) and b.kind == "diagram"]
    assert not diags.count("warning"), [d.message for d in diags.items]
    return [(b.source.line, Path(b.path)) for b in images]


def _translate(el: etree._Element, stop: etree._Element) -> tuple[float, float]:
    """Sum of translate() transforms from *el* up to (not including) *stop*."""
    x = y = 0.0
    while el is not None and el is not stop:
        m = re.search(r"translate\(\s*([-\d.e]+)[,\s]+([-\d.e]+)?", el.get("transform") or "")
        if m:
            x, y = x + float(m[1]), y + float(m[2] or 0)
        el = el.getparent()
    return x, y


def _inherited(el: etree._Element, name: str) -> str | None:
    while el is not None:
        if el.get(name):
            return el.get(name)
        el = el.getparent()
    return None


def _shape_box(node: etree._Element) -> tuple[float, float] | None:
    """Horizontal extent of a node's outline (in the node's own coordinates)."""
    xs: list[float] = []
    for el in node.iter(f"{SVG}rect", f"{SVG}path", f"{SVG}polygon", f"{SVG}circle"):
        dx, _ = _translate(el, node)
        if el.tag == f"{SVG}rect" and el.get("width"):
            x = float(el.get("x") or 0) + dx
            xs += [x, x + float(el.get("width"))]
        elif el.tag == f"{SVG}circle" and el.get("r"):
            cx, r = float(el.get("cx") or 0) + dx, float(el.get("r"))
            xs += [cx - r, cx + r]
        elif el.tag == f"{SVG}polygon":
            xs += [float(v) + dx for v in _NUM.findall(el.get("points") or "")[0::2]]
        elif el.tag == f"{SVG}path":
            xs += [x + dx for x in _path_xs(el.get("d") or "")]
    return (min(xs), max(xs)) if xs else None

_ARGS = {"M": 2, "L": 2, "T": 2, "H": 1, "V": 1, "Q": 4, "S": 4, "C": 6, "Z": 0}


def _path_xs(d: str) -> list[float]:
    """The x of every point and control point of an outline, relative commands resolved
    (mindmap nodes are drawn with `v`, `h` and `q`); arcs are not read."""
    xs: list[float] = []
    x = y = 0.0
    for cmd, args in re.findall(r"([MLTHVQSCZmlthvqscz])([^MLTHVQSCZmlthvqscz]*)", d):
        nums = [float(v) for v in _NUM.findall(args)]
        step = _ARGS[cmd.upper()]
        for i in range(0, len(nums), step or 1):
            group = nums[i:i + step]
            if not step or len(group) < step:
                break
            rel = cmd.islower()
            if cmd.upper() == "V":
                y = y + group[0] if rel else group[0]
                continue
            if cmd.upper() == "H":
                x = x + group[0] if rel else group[0]
                xs.append(x)
                continue
            points = [(group[j] + (x if rel else 0), group[j + 1] + (y if rel else 0)) for j in range(0, step, 2)]
            xs += [px for px, _ in points]
            x, y = points[-1]
    return xs


def _label_extents(node: etree._Element, font_file: str):
    for text in node.iter(f"{SVG}text"):
        content = "".join(text.itertext()).strip()
        if not content:
            continue
        dx, _ = _translate(text, node)
        first = next((t for t in text.iter(f"{SVG}tspan") if t.get("x")), text)
        x = float(first.get("x") or text.get("x") or 0) + dx
        size = float(re.match(r"[\d.]+", _inherited(text, "font-size") or "16")[0])
        width = ImageFont.truetype(font_file, 1000).getlength(content) * size / 1000
        anchor = _inherited(text, "text-anchor") or "start"
        left = x - width / 2 if anchor == "middle" else x - width if anchor == "end" else x
        yield content, left, left + width


def test_every_type_is_drawn(figures) -> None:
    assert len(figures) == len(TYPES)


def test_no_style_sheet_or_css_colour_function_is_left(figures) -> None:
    for line, path in figures:
        text = path.read_text(encoding="utf-8")
        assert "<style" not in text, line
        assert not re.search(r'(fill|stroke)="(hsl|rgb)a?\(', text), line


def test_pie_slices_take_the_theme_palette(figures) -> None:
    theme, _ = cached_theme("default")
    palette = dict(mermaid_variables(theme))
    pie = next(p for _, p in figures if 'aria-roledescription="pie"' in p.read_text(encoding="utf-8"))
    root = etree.fromstring(pie.read_bytes())
    fills = [el.get("fill").upper() for el in root.iter(f"{SVG}path") if "pieCircle" in (el.get("class") or "")]
    assert fills == [palette[f"pie{i}"] for i in range(1, len(fills) + 1)]


def test_png_fallback_is_not_mostly_black(figures) -> None:
    for line, path in figures:
        png = PILImage.open(io.BytesIO(svg.to_png(path.read_bytes(), 600, background="white"))).convert("RGB")
        pixels = list(png.get_flattened_data()) if hasattr(png, "get_flattened_data") else list(png.getdata())
        inked = [p for p in pixels if p != (255, 255, 255)]
        black = sum(1 for r, g, b in inked if r < 40 and g < 40 and b < 40)
        assert black <= 0.10 * max(1, len(pixels)), (line, black / len(pixels))


def test_every_node_label_lies_inside_its_node(figures) -> None:
    theme, _ = cached_theme("default")
    font = theme.fonts.body.regular.path
    checked = 0
    for line, path in figures:
        root = etree.fromstring(path.read_bytes())
        for node in root.iter(f"{SVG}g"):
            if "node" not in (node.get("class") or "").split():
                continue
            box = _shape_box(node)
            if box is None:
                continue
            for content, left, right in _label_extents(node, font):
                checked += 1
                assert box[0] - 1.5 <= left and right <= box[1] + 1.5, (line, content, (left, right), box)
    assert checked >= 20


GIT_BRANCHES = ["main", "기능", "긴-이름의-수정"]
"""The fixture's gitGraph branches: mermaid's lexer refuses the Hangul ones unless they are quoted."""


def test_gitgraph_hangul_branch_names_are_drawn_inside_their_labels(figures) -> None:
    theme, _ = cached_theme("default")
    font = theme.fonts.body.regular.path
    graph = next(p for _, p in figures if 'aria-roledescription="gitGraph"' in p.read_text(encoding="utf-8"))
    root = etree.fromstring(graph.read_bytes())
    labels = []
    for rect in root.iter(f"{SVG}rect"):
        if "branchLabelBkg" not in (rect.get("class") or "").split():
            continue
        parent = rect.getparent()
        left = float(rect.get("x")) + _translate(rect, parent)[0]
        box = (left, left + float(rect.get("width")))
        label = rect.getnext()                         # mermaid writes each label right after its box
        for content, lo, hi in _label_extents(label, font):
            dx, _ = _translate(label, parent)
            labels.append(content)
            assert box[0] - 1.5 <= lo + dx and hi + dx <= box[1] + 1.5, (content, (lo + dx, hi + dx), box)
    assert labels == GIT_BRANCHES
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    assert not [t for t in texts if '"' in t], texts           # the quoting never shows
    assert {"시작", "버전1"} <= {t.strip() for t in texts}
