"""Slides on a template's own layouts: which laid-out frame goes into which placeholder.

Titles and the first text of a slide go into the layout's placeholders, so
PowerPoint's "Reset slide" and layout switching keep working; the template's
example slides are dropped; the slide number goes into the layout's
slide-number placeholder and the template's footer text is kept.
"""
from __future__ import annotations

import copy
import io
import zipfile
from pathlib import Path

from pptx import Presentation
from pptx.oxml.ns import qn

from deckgen.layout.geometry import LaidSlide, TextFrame

FIRST_TEXT_ROLE = {"title": "subtitle", "section": "subtitle", "content": "body"}
TEXT_PLACEHOLDERS = {"subtitle": ("subTitle", "body", "obj"), "body": ("body", "obj", "subTitle")}
INHERITED_LOOK = ("title", "subtitle")
"""Frames whose alignment and anchoring the template's placeholder decides."""


TEMPLATE_MAIN = b"application/vnd.openxmlformats-officedocument.presentationml.template.main+xml"
PRESENTATION_MAIN = b"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"


def open_template(path: Path):
    """python-pptx opens only presentations: a .potx template is opened as the presentation it
    becomes (its main part's content type is rewritten in memory; the file is not touched)."""
    data = path.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        types = z.read("[Content_Types].xml")
        if TEMPLATE_MAIN not in types:
            return Presentation(io.BytesIO(data))
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
            for item in z.infolist():
                blob = z.read(item)
                out.writestr(item, blob.replace(TEMPLATE_MAIN, PRESENTATION_MAIN) if
                             item.filename == "[Content_Types].xml" else blob)
    return Presentation(io.BytesIO(buf.getvalue()))


def drop_slides(prs) -> int:
    """Remove the template's example slides (their parts are then not saved); returns how many."""
    id_list = prs.slides._sldIdLst
    ids = list(id_list)
    for sld_id in ids:
        prs.part.drop_rel(sld_id.get(qn("r:id")))
        id_list.remove(sld_id)
    _drop_slide_lists(prs.part._element)
    return len(ids)


P14_SECTIONS = "{http://schemas.microsoft.com/office/powerpoint/2010/main}sectionLst"


def _drop_slide_lists(presentation) -> None:
    """Sections and custom shows list the dropped slides by id; PowerPoint repairs a deck whose
    lists name slides it does not have, so they go too."""
    for el in list(presentation.iter(P14_SECTIONS, qn("p:custShowLst"))):
        holder = el.getparent()
        if holder.tag == qn("p:ext"):
            holder.getparent().remove(holder)
        else:
            holder.remove(el)


def _kind(ph) -> str:
    el = ph._element.find(f"{qn('p:nvSpPr')}/{qn('p:nvPr')}/{qn('p:ph')}")
    return el.get("type", "obj") if el is not None else "obj"


def placeholder_targets(slide, s: LaidSlide) -> dict[int, object]:
    """Index in `s.shapes` -> the slide placeholder that frame is written into."""
    out: dict[int, object] = {}
    phs = list(slide.placeholders)
    title = next((p for p in phs if _kind(p) in ("title", "ctrTitle")), None)
    if s.title_shape is not None and title is not None:
        out[s.title_shape] = title
    role = FIRST_TEXT_ROLE.get(s.kind, "body")
    first = next((i for i, sh in enumerate(s.shapes)
                  if isinstance(sh, TextFrame) and sh.role == role and i != s.title_shape), None)
    if first is not None:
        for kind in TEXT_PLACEHOLDERS[role]:
            ph = next((p for p in phs if _kind(p) == kind and p is not title), None)
            if ph is not None:
                out[first] = ph
                break
    return out


def remove_unused(slide, used: list) -> None:
    """Empty placeholders would show "Click to add text" in PowerPoint: remove them."""
    keep = {id(p._element) for p in used}
    for ph in list(slide.placeholders):
        if id(ph._element) not in keep:
            ph._element.getparent().remove(ph._element)


def inherit_look(shape, frame: TextFrame) -> None:
    """Titles and subtitles keep the template's alignment and anchoring (they do not move line breaks)."""
    if frame.role not in INHERITED_LOOK:
        return
    body = shape.text_frame._txBody
    bp = body.find(qn("a:bodyPr"))
    if bp is not None and "anchor" in bp.attrib:
        del bp.attrib["anchor"]
    for ppr in body.iter(qn("a:pPr")):
        ppr.attrib.pop("algn", None)


def pin_letters(shape) -> None:
    """Letter spacing and capitals are inherited from the template's styles unless stated: state
    them, since they change the width of every line that was measured."""
    for tag in ("a:rPr", "a:endParaRPr"):
        for rpr in shape.text_frame._txBody.iter(qn(tag)):
            rpr.set("spc", "0")
            rpr.set("cap", "none")


def add_layout_fields(slide, number: int, footer: str, korean_face: str) -> None:
    """Copy the layout's slide-number placeholder (with this slide's number), and its footer
    placeholder when the template's slides showed a footer (with that text); their runs name
    *korean_face* as their East Asian face."""
    tree = slide.shapes._spTree
    for ph in slide.slide_layout.placeholders:
        kind = _kind(ph)
        if kind == "sldNum" or (kind == "ftr" and footer):
            el = copy.deepcopy(ph._element)
            el.find(f"{qn('p:nvSpPr')}/{qn('p:cNvPr')}").set("id", str(slide.shapes._next_shape_id))
            _number(el, number) if kind == "sldNum" else _text(el, footer)
            _east_asian(el, korean_face)
            tree.append(el)


def _east_asian(sp, family: str) -> None:
    for tag in ("a:rPr", "a:endParaRPr", "a:defRPr"):
        for rpr in sp.iter(qn(tag)):
            ea = rpr.find(qn("a:ea"))
            if ea is not None:
                ea.set("typeface", family)


def _text(sp, text: str) -> None:
    ts = list(sp.iter(qn("a:t")))
    for t in ts[1:]:
        t.text = ""
    if ts:
        ts[0].text = text


def _number(sp, number: int) -> None:
    fld = next(sp.iter(qn("a:fld")), None)
    if fld is None:
        body = sp.find(qn("p:txBody"))
        p = body.find(qn("a:p")) if body is not None else None
        if p is None:
            return
        fld = p.makeelement(qn("a:fld"), {"id": "{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}", "type": "slidenum"})
        p.insert(0, fld)
    for t in fld.findall(qn("a:t")):
        fld.remove(t)
    t = fld.makeelement(qn("a:t"), {})
    t.text = str(number)
    fld.append(t)


MASTER_PARTS = ("/ppt/slideMasters/", "/ppt/slideLayouts/", "/ppt/notesMasters/")


def korean_east_asian(part, family: str) -> None:
    """A template's masters and layouts may name a non-Korean East Asian face on their own text
    (LibreOffice writes 'Noto Sans CJK SC'): name the Korean *family* instead; theme references
    (+mj-ea, +mn-ea) already resolve to the Korean face written into the theme."""
    if not str(part.partname).startswith(MASTER_PARTS):
        return
    for ea in part._element.iter(qn("a:ea")):
        if not ea.get("typeface", "").startswith("+"):
            ea.set("typeface", family)
