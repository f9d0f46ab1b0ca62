"""Reading a built deck the way a reviewer would: its text (without code), its drawn figures
and how full each slide is, from the PPTX alone (no deckgen model), so a test checks the output.
"""
from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree
from PIL import Image as PILImage, ImageChops

NS = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main",
      "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
      "asvg": "http://schemas.microsoft.com/office/drawing/2016/SVG/main"}
EMU_PER_PT = 12700
MONO_FACES = ("NanumGothicCoding",)
"""Runs in these faces are code (code blocks, inline code): they may hold any syntax."""
CONTINUED = re.compile(r"\s*\((?:계속|cont\.)\)\s*$")
TITLE_BODY_GAP = 8.0
"""Points between a title that grew past its box and the body (deckgen.layout.titles)."""


@dataclass(frozen=True)
class DeckText:
    slides: list[tuple[int, str]]
    """(slide number, the slide's text without code runs), one entry per text shape."""
    notes: list[tuple[int, str]]
    """(slide number, speaker-notes text)."""
    script_runs: int
    """Runs drawn raised or lowered (`baseline` on a:rPr) on the slides."""
    code: str
    """The text of every code run (code blocks, inline code) on the slides, in order."""


@dataclass(frozen=True)
class Fill:
    number: int
    title: str
    fill: float
    """Height from the body's top to the lowest body shape, over the body's height."""


def _slide_parts(z: zipfile.ZipFile) -> list[str]:
    names = [n for n in z.namelist() if re.fullmatch(r"ppt/slides/slide\d+\.xml", n)]
    return sorted(names, key=lambda n: int(re.search(r"(\d+)\.xml$", n)[1]))


def _text_of(body: etree._Element, *, code: bool = False) -> str:
    """The text of *body*'s runs that are not code (with *code*: only those that are)."""
    paras = []
    for p in body.iterfind(".//a:p", NS):
        runs = []
        for r in p.iterfind("a:r", NS):
            face = r.find("a:rPr/a:latin", NS)
            if (face is not None and face.get("typeface") in MONO_FACES) != code:
                runs.append(" ")
                continue
            runs.append(r.findtext("a:t", "", NS))
        paras.append("".join(runs))
    return "\n".join(paras)


def read_deck(pptx: Path) -> DeckText:
    slides: list[tuple[int, str]] = []
    notes: list[tuple[int, str]] = []
    scripts = 0
    code: list[str] = []
    with zipfile.ZipFile(pptx) as z:
        for number, part in enumerate(_slide_parts(z), 1):
            root = etree.fromstring(z.read(part))
            for body in root.iterfind(".//p:txBody", NS):
                slides.append((number, _text_of(body)))
                code.append(_text_of(body, code=True))
            for body in root.iterfind(".//a:txBody", NS):          # table cells
                slides.append((number, _text_of(body)))
            scripts += sum(1 for rpr in root.iterfind(".//a:rPr", NS) if rpr.get("baseline") not in (None, "0"))
            rels = z.read(part.replace("slides/", "slides/_rels/") + ".rels").decode("utf-8")
            m = re.search(r'Target="\.\./notesSlides/(notesSlide\d+\.xml)"', rels)
            if m:
                nroot = etree.fromstring(z.read(f"ppt/notesSlides/{m[1]}"))
                notes += [(number, _text_of(b)) for b in nroot.iterfind(".//p:txBody", NS)]
    return DeckText(slides, notes, scripts, "\n".join(code))


def diagram_pictures(pptx: Path) -> list[tuple[int, bytes, bytes | None]]:
    """(slide number, embedded PNG, embedded SVG or None) of every picture drawn from a diagram
    fence (deckgen describes them as "mermaid diagram", "dot diagram", ...)."""
    out = []
    with zipfile.ZipFile(pptx) as z:
        for number, part in enumerate(_slide_parts(z), 1):
            root = etree.fromstring(z.read(part))
            rels = etree.fromstring(z.read(part.replace("slides/", "slides/_rels/") + ".rels"))
            targets = {r.get("Id"): r.get("Target") for r in rels}
            for pic in root.iterfind(".//p:pic", NS):
                if not (pic.find("p:nvPicPr/p:cNvPr", NS).get("descr") or "").endswith(" diagram"):
                    continue
                blip = pic.find(".//a:blip", NS)
                png = z.read(_part("ppt/slides", targets[blip.get(f"{{{NS['r']}}}embed")]))
                svg_blip = blip.find(".//asvg:svgBlip", NS)
                svg = (z.read(_part("ppt/slides", targets[svg_blip.get(f"{{{NS['r']}}}embed")]))
                       if svg_blip is not None else None)
                out.append((number, png, svg))
    return out


def _part(folder: str, target: str) -> str:
    return posixpath.normpath(posixpath.join(folder, target))


def black_share(data: bytes, *, svg: bool = False) -> float:
    """Share of a picture's pixels that are (nearly) black, over white: a figure drawn with its
    fills lost comes out as black blocks. An SVG is rasterised as the deck's PNG fallback is."""
    if svg:
        from deckgen.render import svg as svgmod
        data = svgmod.to_png(data, 600, background="white")
    img = PILImage.open(io.BytesIO(data)).convert("RGBA")
    flat = PILImage.new("RGBA", img.size, (255, 255, 255, 255))
    flat.alpha_composite(img)
    # a pixel is black when every channel is under 40: the darkest channel's mask, per channel
    r, g, b = (band.point(lambda v: 255 if v < 40 else 0) for band in flat.convert("RGB").split())
    black = ImageChops.multiply(ImageChops.multiply(r, g), b).histogram()[255]
    return black / max(1, img.width * img.height)


def fills_before_continuations(pptx: Path, theme) -> list[Fill]:
    """Every slide followed by its own "(계속)" continuation, with how full its body is: from the
    body's top (below the title) to the bottom of its lowest shape, over the body's height."""
    body = theme.boxes.body
    bottom = body.y + body.h
    out = []
    with zipfile.ZipFile(pptx) as z:
        slides = [etree.fromstring(z.read(part)) for part in _slide_parts(z)]
    titles = [_title(s) for s in slides]
    for i, root in enumerate(slides[:-1]):
        title, nxt = titles[i], titles[i + 1]
        if title is None or nxt is None or not CONTINUED.search(nxt[0]):
            continue
        if CONTINUED.sub("", nxt[0]) != CONTINUED.sub("", title[0]):
            continue
        top = max(body.y, title[1] + TITLE_BODY_GAP)
        low = max((y + h for y, h in _body_extents(root)), default=top)
        out.append(Fill(i + 1, title[0], (low - top) / (bottom - top)))
    return out


def _title(root: etree._Element) -> tuple[str, float] | None:
    """The slide's title text and the bottom of its box (points), or None on a slide without one."""
    for sp in root.iterfind(".//p:sp", NS):
        ph = sp.find("p:nvSpPr/p:nvPr/p:ph", NS)
        if ph is not None and ph.get("type") in ("title", "ctrTitle"):
            text = "".join(t.text or "" for t in sp.iterfind(".//a:t", NS))
            off, ext = sp.find("p:spPr/a:xfrm/a:off", NS), sp.find("p:spPr/a:xfrm/a:ext", NS)
            return text, (int(off.get("y")) + int(ext.get("cy"))) / EMU_PER_PT
    return None


def _body_extents(root: etree._Element) -> list[tuple[float, float]]:
    """(top, height) in points of every shape on the slide but its title."""
    out = []
    for shape in root.find("p:cSld/p:spTree", NS):
        ph = shape.find("*/p:nvPr/p:ph", NS)
        if ph is not None and ph.get("type") in ("title", "ctrTitle", "sldNum", "ftr", "dt"):
            continue
        off = shape.find(".//a:xfrm/a:off", NS)
        if off is None:
            off = shape.find(".//p:xfrm/a:off", NS)
        ext = off.getnext() if off is not None else None
        if off is None or ext is None:
            continue
        out.append((int(off.get("y")) / EMU_PER_PT, int(ext.get("cy")) / EMU_PER_PT))
    return out
