"""Raw DrawingML for what python-pptx has no API for, kept in one small module.

python-pptx's Font.name writes only a:latin; Korean needs a:ea (and a:cs) on
every run plus the language, so runs and paragraphs are written here with
every metric explicit: size, exact line spacing, space before, margins,
indents and bullets.
"""
from __future__ import annotations

from lxml import etree
from pptx.oxml.ns import qn

from deckgen.layout.geometry import Para, Run, emu
from deckgen.theme.fallback import split_faces
from deckgen.theme.load import Fonts

ALIGN = {"left": "l", "center": "ctr", "right": "r", "justify": "just"}
AUTONUM = "arabicPeriod"
LINE_BREAKING = {"eaLnBrk": "1", "latinLnBrk": "0", "hangingPunct": "1"}
"""Office's own defaults, stated on every paragraph: a template (LibreOffice's) that leaves them
out makes LibreOffice break a Korean word before its closing period ("분" / "할.")."""


def sub(parent, tag: str, **attrs) -> etree._Element:
    el = etree.SubElement(parent, qn(tag))
    for k, v in attrs.items():
        el.set(k, str(v))
    return el


def solid_fill(parent, color: str) -> None:
    sub(sub(parent, "a:solidFill"), "a:srgbClr", val=color)


def run_properties(parent, tag: str, *, size: float, lang: str, family: str, bold: bool = False,
                   italic: bool = False, underline: bool = False, strike: bool = False, baseline: int = 0,
                   color: str | None = None, highlight: str | None = None, link_rid: str | None = None,
                   fallback: str | None = None):
    """a:rPr / a:endParaRPr with the Latin, East Asian and complex-script faces all named.

    A run of Han, Kana, emoji or symbols drawn by a *fallback* face names it in
    a:latin, a:ea and a:sym: PowerPoint picks a:ea for CJK ideographs and a:sym
    for symbol-font text, LibreOffice ignores a:sym and draws emoji and keycap
    digits with the a:latin face; naming the one face everywhere makes every
    viewer draw the run with the face it was measured with."""
    rpr = sub(parent, tag, lang=lang, altLang="en-US", sz=int(round(size * 100)), b=int(bold), i=int(italic),
              dirty="0")
    if underline:
        rpr.set("u", "sng")
    if strike:
        rpr.set("strike", "sngStrike")
    if baseline:
        rpr.set("baseline", "30000" if baseline > 0 else "-25000")
    if color:
        solid_fill(rpr, color)
    if highlight:
        sub(sub(rpr, "a:highlight"), "a:srgbClr", val=highlight)
    for slot in ("a:latin", "a:ea"):
        sub(rpr, slot, typeface=fallback or family)
    sub(rpr, "a:cs", typeface=family)
    if fallback:
        sub(rpr, "a:sym", typeface=fallback)
    if link_rid:
        link = sub(rpr, "a:hlinkClick")
        link.set(qn("r:id"), link_rid)
    return rpr


def paragraph(parent, p: Para, *, lang: str, families: dict[str, str], link_rid=None,
              fonts: Fonts | None = None) -> etree._Element:
    """Append an a:p for *p* to a txBody; *link_rid(url)* returns a relationship id; with the
    theme's *fonts*, each run is cut where its drawing face changes (see theme/fallback.py)."""
    ap = sub(parent, "a:p")
    ppr = sub(ap, "a:pPr", marL=emu(p.margin_left), indent=emu(p.indent), algn=ALIGN.get(p.align, "l"))
    for key, value in LINE_BREAKING.items():      # templates without them let LibreOffice split words
        ppr.set(key, value)
    if p.level:
        ppr.set("lvl", str(min(8, p.level)))
    sub(sub(ppr, "a:lnSpc"), "a:spcPts", val=int(round(p.line_pitch * 100)))
    sub(sub(ppr, "a:spcBef"), "a:spcPts", val=int(round(p.space_before * 100)))
    sub(sub(ppr, "a:spcAft"), "a:spcPts", val=0)
    bullet(ppr, p, families["body"])
    for r in p.runs:
        if not r.text:
            continue
        for i, piece in enumerate(r.text.split("\n")):
            if i:
                br = sub(ap, "a:br")
                _rpr(br, "a:rPr", r, p, lang, families, None)
            rid = link_rid(r.link) if (piece and link_rid and r.link and _is_url(r.link)) else None
            for text, fallback in _face_pieces(piece, r.role, fonts):
                ar = sub(ap, "a:r")
                _rpr(ar, "a:rPr", r, p, lang, families, rid, fallback)
                sub(ar, "a:t").text = text
    first = p.runs[0] if p.runs else Run("")
    _rpr(ap, "a:endParaRPr", first, p, lang, families, None)
    return ap


def _face_pieces(text: str, role: str, fonts: Fonts | None) -> list[tuple[str, str | None]]:
    """*text* as (piece, fallback family or None for the role's face), one per drawing face."""
    if not text:
        return []
    if fonts is None:
        return [(text, None)]
    return [(fp.text, fp.face.family if fp.script else None)
            for fp in split_faces(text, getattr(fonts, role), fonts.fallback)]


def _rpr(parent, tag, r: Run, p: Para, lang: str, families: dict[str, str], rid, fallback: str | None = None):
    return run_properties(parent, tag, size=p.size, lang=lang, family=families[r.role], bold=r.bold,
                          italic=r.italic, underline=r.underline, strike=r.strike, baseline=r.baseline,
                          color=r.color or p.color, highlight=r.highlight, link_rid=rid, fallback=fallback)


def _is_url(link: str) -> bool:
    """Only web and mail links become hyperlinks: a relative path (another note, a Jekyll
    `post_url` slug) points nowhere from a deck, so its text stays plain."""
    return link.split(":", 1)[0].lower() in ("http", "https", "mailto", "ftp") and ":" in link


def bullet(ppr, p: Para, family: str) -> None:
    if not p.bullet:
        sub(ppr, "a:buNone")
        return
    if p.bullet_color:
        sub(sub(ppr, "a:buClr"), "a:srgbClr", val=p.bullet_color)
    sub(ppr, "a:buSzPct", val=100000)
    if p.bullet[:-1].isdigit() and p.bullet.endswith("."):
        sub(ppr, "a:buFont", typeface="+mj-lt")
        sub(ppr, "a:buAutoNum", type=AUTONUM, startAt=int(p.bullet[:-1]))
    else:
        sub(ppr, "a:buFont", typeface=family)
        sub(ppr, "a:buChar", char=p.bullet)


def body_properties(txbody, *, insets: tuple[int, int, int, int], anchor: str, wrap: bool = True) -> None:
    """Pin insets, anchoring and wrapping; autofit off so no viewer re-decides the layout."""
    bp = txbody.find(qn("a:bodyPr"))
    for child in list(bp):
        bp.remove(child)
    bp.set("wrap", "square" if wrap else "none")
    for key, v in zip(("lIns", "tIns", "rIns", "bIns"), insets):
        bp.set(key, str(v))
    bp.set("anchor", {"top": "t", "middle": "ctr", "bottom": "b"}[anchor])
    bp.set("rtlCol", "0")
    sub(bp, "a:noAutofit")


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
