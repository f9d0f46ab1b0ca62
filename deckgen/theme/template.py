"""Read a PowerPoint template (.pptx/.potx) into data: slide size, layouts, placeholders, fonts, colours.

Read with zipfile + lxml (never python-pptx: the layout stage must not depend
on a backend).  A placeholder without its own geometry or text size inherits
them from the master's placeholder of the same kind and then from the master's
text styles, as PowerPoint does; LibreOffice writes sizes into the
placeholders' runs instead of the text styles, so those are read too.
"""
from __future__ import annotations

import posixpath
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from deckgen.theme.template_safety import TemplateError, open_checked, read_xml

NS = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main",
      "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
      "rel": "http://schemas.openxmlformats.org/package/2006/relationships"}
EMU_PER_PT = 12700
BODY_KINDS = ("body", "obj")
TITLE_KINDS = ("title", "ctrTitle")


@dataclass(frozen=True, slots=True)
class PlaceholderBox:
    """A rectangle in points."""

    x: float
    y: float
    w: float
    h: float


@dataclass(frozen=True, slots=True)
class Placeholder:
    kind: str
    """The placeholder type: 'title', 'ctrTitle', 'subTitle', 'body', 'obj' (no type given), 'sldNum', ..."""
    idx: int
    box: PlaceholderBox | None
    """Geometry, inherited from the master when the layout gives none."""
    size: float | None
    """First-level text size in points, inherited like PowerPoint does; None if nowhere defined."""
    color: str | None = None
    """First-level text colour as 6 hex digits (scheme colours resolved), if defined."""
    text: str = ""
    """The placeholder's own text (footers carry the template's footer text)."""
    vertical: bool = False
    """Vertical text (orient="vert"): never chosen for horizontal Korean slides."""
    line_spacing: float | None = None
    """First-level line spacing as a share of single spacing (a:lnSpc/a:spcPct: 0.9 = 90 %), if defined."""
    paragraph_space: float | None = None
    """Space between first-level paragraphs (a:spcBef, else a:spcAft), if defined: in points, or
    negative for a share of a line (a:spcPct: -0.2 = 20 % of a line)."""


@dataclass(frozen=True, slots=True)
class TemplateLayout:
    index: int
    """Position in its slide master's layout list (python-pptx's `slide_layouts` order)."""
    name: str
    placeholders: tuple[Placeholder, ...]
    master: int = 0
    """Which slide master (python-pptx's `slide_masters` order) the layout belongs to."""
    background: str = "FFFFFF"
    """Its master's background colour (a picture background: the scheme's bg1)."""

    def first(self, *kinds: str) -> Placeholder | None:
        return next((p for p in self.placeholders if p.kind in kinds), None)

    @property
    def bodies(self) -> tuple[Placeholder, ...]:
        return tuple(p for p in self.placeholders if p.kind in BODY_KINDS)

    @property
    def title(self) -> Placeholder | None:
        return self.first(*TITLE_KINDS)


@dataclass(frozen=True, slots=True)
class TemplateFonts:
    """The theme's major (headings) and minor (body) faces, Latin and East Asian ('' when empty)."""

    major_latin: str = ""
    major_ea: str = ""
    minor_latin: str = ""
    minor_ea: str = ""


@dataclass(frozen=True)
class Template:
    path: Path
    width: float
    height: float
    """Slide size in points."""
    layouts: tuple[TemplateLayout, ...]
    fonts: TemplateFonts
    scheme: dict[str, str]
    """The colour scheme (dk1, lt1, dk2, lt2, accent1-6, hlink, folHlink) as hex."""
    background: str
    """The first master's background colour (a picture background: the scheme's bg1)."""
    slides: int = 0
    """Example slides in the file (dropped when a deck is built)."""
    footer: str = ""
    """Footer text the example slides show (layouts' own footer text is often only a prompt)."""
    sources: tuple[Path, ...] = field(default=())


def _rels(z: zipfile.ZipFile, part: str) -> dict[str, str]:
    """rId -> absolute part name of *part*'s relationships."""
    folder, name = posixpath.split(part)
    rels = f"{folder}/_rels/{name}.rels"
    if rels not in z.namelist():
        return {}
    out = {}
    for r in read_xml(z, rels).findall("rel:Relationship", NS):
        if r.get("TargetMode") == "External":
            continue
        out[r.get("Id")] = posixpath.normpath(posixpath.join(folder, r.get("Target", "")))
    return out


def _rel_by_type(z: zipfile.ZipFile, part: str, suffix: str) -> str | None:
    folder, name = posixpath.split(part)
    rels = f"{folder}/_rels/{name}.rels"
    if rels not in z.namelist():
        return None
    for r in read_xml(z, rels).findall("rel:Relationship", NS):
        if r.get("Type", "").endswith(suffix):
            return posixpath.normpath(posixpath.join(folder, r.get("Target", "")))
    return None


def _scheme(theme: etree._Element | None) -> dict[str, str]:
    out: dict[str, str] = {}
    if theme is None:
        return out
    scheme = theme.find(".//a:clrScheme", NS)
    for el in (scheme if scheme is not None else []):
        name = etree.QName(el).localname
        srgb, sys_ = el.find("a:srgbClr", NS), el.find("a:sysClr", NS)
        if srgb is not None:
            out[name] = srgb.get("val", "000000").upper()
        elif sys_ is not None:
            out[name] = sys_.get("lastClr", "000000").upper()
    return out


def _fonts(theme: etree._Element | None) -> TemplateFonts:
    def face(tag: str, slot: str) -> str:
        el = theme.find(f".//a:fontScheme/a:{tag}/a:{slot}", NS) if theme is not None else None
        return (el.get("typeface", "") if el is not None else "").strip()
    return TemplateFonts(face("majorFont", "latin"), face("majorFont", "ea"),
                         face("minorFont", "latin"), face("minorFont", "ea"))


class _Colors:
    """Resolve DrawingML colour elements through the master's colour map and the scheme."""

    def __init__(self, scheme: dict[str, str], clr_map: dict[str, str]):
        self.scheme, self.map = scheme, clr_map

    def named(self, name: str) -> str | None:
        return self.scheme.get(self.map.get(name, name))

    def of(self, fill: etree._Element | None) -> str | None:
        if fill is None:
            return None
        srgb, scheme = fill.find("a:srgbClr", NS), fill.find("a:schemeClr", NS)
        if srgb is not None:
            return srgb.get("val", "").upper() or None
        if scheme is not None:
            return self.named(scheme.get("val", ""))
        return None


def _ph_key(kind: str) -> str:
    """Which master placeholder a layout placeholder inherits from."""
    if kind in TITLE_KINDS:
        return "title"
    return kind if kind in ("dt", "ftr", "sldNum") else "body"


def _box(sp: etree._Element) -> PlaceholderBox | None:
    off, ext = sp.find("p:spPr/a:xfrm/a:off", NS), sp.find("p:spPr/a:xfrm/a:ext", NS)
    if off is None or ext is None:
        return None
    return PlaceholderBox(*(int(v) / EMU_PER_PT for v in (off.get("x", 0), off.get("y", 0),
                                                        ext.get("cx", 0), ext.get("cy", 0))))


def _first_rpr(sp: etree._Element) -> list[etree._Element]:
    """Where a placeholder states its first-level text look: lstStyle, then its runs (LibreOffice)."""
    found = sp.findall("p:txBody/a:lstStyle/a:lvl1pPr/a:defRPr", NS)
    p = sp.find("p:txBody/a:p", NS)
    if p is not None:
        for child in p:
            if etree.QName(child).localname in ("r", "fld"):
                found += child.findall("a:rPr", NS)
        found += p.findall("a:endParaRPr", NS)
    return found


def _first_ppr(sp: etree._Element) -> list[etree._Element]:
    found = sp.findall("p:txBody/a:lstStyle/a:lvl1pPr", NS)
    return found + sp.findall("p:txBody/a:p/a:pPr", NS)[:1]


def _spacing(pprs: list[etree._Element]) -> tuple[float | None, float | None]:
    """(line spacing share, paragraph space in points) from the first paragraph properties that say."""
    line = space = None
    for ppr in pprs:
        pct = ppr.find("a:lnSpc/a:spcPct", NS)
        if line is None and pct is not None and pct.get("val"):
            line = int(pct.get("val")) / 100000
        for where in ("a:spcBef", "a:spcAft"):
            pts, pct = ppr.find(f"{where}/a:spcPts", NS), ppr.find(f"{where}/a:spcPct", NS)
            if space is None and pts is not None and int(pts.get("val", "0") or 0):
                space = int(pts.get("val")) / 100
            elif space is None and pct is not None and int(pct.get("val", "0") or 0):
                space = -int(pct.get("val")) / 100000
    return line, space


def _size(sp: etree._Element) -> float | None:
    for rpr in _first_rpr(sp):
        if rpr.get("sz"):
            return int(rpr.get("sz")) / 100
    return None


def _color(sp: etree._Element, colors: _Colors) -> str | None:
    for rpr in _first_rpr(sp):
        c = colors.of(rpr.find("a:solidFill", NS))
        if c:
            return c
    return None


def _placeholders(root: etree._Element, colors: _Colors) -> list[tuple[Placeholder, etree._Element]]:
    out = []
    for sp in root.iterfind(".//p:cSld/p:spTree/p:sp", NS):
        ph = sp.find("p:nvSpPr/p:nvPr/p:ph", NS)
        if ph is None:
            continue
        text = "".join(t.text or "" for t in sp.iterfind("p:txBody//a:t", NS)).strip()
        out.append((Placeholder(ph.get("type", "obj"), int(ph.get("idx", "0") or 0), _box(sp), _size(sp),
                                _color(sp, colors), text, ph.get("orient") == "vert",
                                *_spacing(_first_ppr(sp))), sp))
    return out


def _style(master: etree._Element, kind: str, colors: _Colors) -> tuple[float | None, str | None]:
    tag = "p:titleStyle" if kind == "title" else "p:bodyStyle"
    rpr = master.find(f"p:txStyles/{tag}/a:lvl1pPr/a:defRPr", NS)
    if rpr is None:
        return None, None
    size = int(rpr.get("sz")) / 100 if rpr.get("sz") else None
    return size, colors.of(rpr.find("a:solidFill", NS))


def _inherit(ph: Placeholder, master_phs: dict[str, Placeholder], master: etree._Element,
             colors: _Colors) -> Placeholder:
    base = master_phs.get(_ph_key(ph.kind))
    style_size, style_color = _style(master, _ph_key(ph.kind), colors)
    box = ph.box or (base.box if base else None)
    size = ph.size or (base.size if base else None) or style_size
    color = ph.color or (base.color if base else None) or style_color
    tag = "p:titleStyle" if _ph_key(ph.kind) == "title" else "p:bodyStyle"
    style_line, style_space = _spacing(master.findall(f"p:txStyles/{tag}/a:lvl1pPr", NS))
    line = ph.line_spacing or (base.line_spacing if base else None) or style_line
    space = ph.paragraph_space if ph.paragraph_space is not None else (
        base.paragraph_space if base and base.paragraph_space is not None else style_space)
    return Placeholder(ph.kind, ph.idx, box, size, color, ph.text or (base.text if base else ""), ph.vertical,
                       line, space)


def _master_background(master: etree._Element, colors: _Colors) -> str:
    fill = master.find("p:cSld/p:bg/p:bgPr/a:solidFill", NS)
    ref = master.find("p:cSld/p:bg/p:bgRef", NS)
    return colors.of(fill) or colors.of(ref) or colors.named("bg1") or "FFFFFF"


def _footer(z: zipfile.ZipFile, slide_parts: list[str]) -> str:
    """The first footer text shown on an example slide."""
    for part in slide_parts:
        if part not in z.namelist():
            continue
        for sp in read_xml(z, part).iterfind(".//p:sp", NS):
            ph = sp.find("p:nvSpPr/p:nvPr/p:ph", NS)
            if ph is not None and ph.get("type") == "ftr":
                text = "".join(t.text or "" for t in sp.iterfind("p:txBody//a:t", NS)).strip()
                if text:
                    return text
    return ""


def _master_layouts(z: zipfile.ZipFile, master_part: str, m: int) -> tuple[list[TemplateLayout], _Colors,
                                                                         etree._Element | None]:
    """The layouts of slide master number *m*, their placeholders inheriting from it."""
    master = read_xml(z, master_part)
    theme_part = _rel_by_type(z, master_part, "/theme")
    theme = read_xml(z, theme_part) if theme_part and theme_part in z.namelist() else None
    cmap_el = master.find("p:clrMap", NS)
    colors = _Colors(_scheme(theme), dict(cmap_el.attrib) if cmap_el is not None else {})
    master_phs = {_ph_key(p.kind): p for p, _ in reversed(_placeholders(master, colors))}
    master_phs = {k: _inherit(p, {}, master, colors) for k, p in master_phs.items()}
    background = _master_background(master, colors)
    layouts = []
    mrels = _rels(z, master_part)
    for i, lid in enumerate(master.findall("p:sldLayoutIdLst/p:sldLayoutId", NS)):
        part = mrels.get(lid.get(f"{{{NS['r']}}}id"), "")
        if part not in z.namelist():
            continue
        root = read_xml(z, part)
        csld = root.find("p:cSld", NS)
        phs = tuple(_inherit(p, master_phs, master, colors) for p, _ in _placeholders(root, colors))
        layouts.append(TemplateLayout(i, csld.get("name", "") if csld is not None else "", phs, m, background))
    return layouts, colors, theme


def read_template(path: Path) -> Template:
    """The typed description of a template file; TemplateError when it is unsafe or not a presentation."""
    with open_checked(path) as z:
        pres_part = "ppt/presentation.xml"
        pres = read_xml(z, pres_part)
        size = pres.find("p:sldSz", NS)
        if size is None:
            raise TemplateError(f"{path}: presentation.xml has no slide size")
        rels = _rels(z, pres_part)
        masters = [rels.get(m.get(f"{{{NS['r']}}}id"), "") for m in pres.findall("p:sldMasterIdLst/p:sldMasterId", NS)]
        if not masters or any(m not in z.namelist() for m in masters):
            raise TemplateError(f"{path}: a slide master is missing")
        layouts, colors, theme = _master_layouts(z, masters[0], 0)
        for m, part in enumerate(masters[1:], 1):
            layouts += _master_layouts(z, part, m)[0]
        if not layouts:
            raise TemplateError(f"{path}: the slide masters have no layouts")
        slides = [rels.get(s.get(f"{{{NS['r']}}}id"), "") for s in pres.findall("p:sldIdLst/p:sldId", NS)]
        return Template(path, int(size.get("cx")) / EMU_PER_PT, int(size.get("cy")) / EMU_PER_PT,
                        tuple(layouts), _fonts(theme), colors.scheme, layouts[0].background,
                        len(slides), _footer(z, slides[:20]), (path,))
