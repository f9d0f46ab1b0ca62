"""Raw DrawingML edits of elements python-pptx made: notes bodies, the theme's fonts, SVG
pictures.  Paragraphs and runs are written as text in drawingml, new shapes and text
bodies in shapexml."""
from __future__ import annotations

from lxml import etree
from pptx.oxml.ns import qn


def sub(parent, tag: str, **attrs) -> etree._Element:
    el = etree.SubElement(parent, qn(tag))
    for k, v in attrs.items():
        el.set(k, str(v))
    return el


def clear_paragraphs(txbody) -> None:
    for p in txbody.findall(qn("a:p")):
        txbody.remove(p)


def set_theme_fonts(theme_xml: bytes, heading: str, body: str, lang_script: str = "Hang", *,
                    latin: bool = True) -> bytes:
    """Name the Korean faces in a theme's major/minor fonts (latin, ea, cs and the Hang script slot);
    with latin=False (a template's theme) its Latin and complex-script faces are kept."""
    root = etree.fromstring(theme_xml)
    for tag, family in (("a:majorFont", heading), ("a:minorFont", body)):
        for font in root.iter(qn(tag)):
            for slot in ("a:latin", "a:ea", "a:cs") if latin else ("a:ea",):
                el = font.find(qn(slot))
                if el is not None:
                    el.set("typeface", family)
            for f in font.findall(qn("a:font")):
                if f.get("script") == lang_script:
                    f.set("typeface", family)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


SVG_BLIP_EXT = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"
ASVG_NS = "http://schemas.microsoft.com/office/drawing/2016/SVG/main"


def add_svg_blip(blip, r_id: str) -> None:
    """Attach an SVG image part to a picture's a:blip (PowerPoint 2016+ draws the SVG,
    older viewers the PNG the blip itself embeds)."""
    ext_lst = blip.find(qn("a:extLst"))
    if ext_lst is None:
        ext_lst = sub(blip, "a:extLst")
    ext = sub(ext_lst, "a:ext", uri=SVG_BLIP_EXT)
    svg_blip = etree.SubElement(ext, f"{{{ASVG_NS}}}svgBlip", nsmap={"asvg": ASVG_NS})
    svg_blip.set(qn("r:embed"), r_id)
