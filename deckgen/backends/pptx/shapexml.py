"""Shapes as PresentationML text: a text box, a rectangle, a native table.

Each function returns one shape's markup, written straight from the laid-out
frame; the writer joins a slide's shapes and parses them once (`parse_shapes`)
instead of growing python-pptx objects attribute by attribute.  The markup is
what python-pptx's add_textbox / add_shape / add_table followed by our
settings produced, element for element, so decks stay byte-identical.
"""
from __future__ import annotations

from collections.abc import Callable

from pptx.oxml import parse_xml

from deckgen.backends.pptx.drawingml import ANCHOR, NAMESPACES, LinkRid, paragraph, solid_fill
from deckgen.layout.geometry import OUTLINE_W, Bar, Para, TableFrame, TextFrame, emu

FRAME_NAMES = {"title": "Title", "code": "Code", "caption": "Caption"}
NO_STYLE_TABLE = "{5940675A-B579-460E-94D1-54222C63F5DA}"
"""PowerPoint's "No Style, Table Grid": cells show only the fills and borders we state."""
DASH = '<a:prstDash val="dash"/>'
TABLE_URI = "http://schemas.openxmlformats.org/drawingml/2006/table"

Paragraphs = Callable[[tuple[Para, ...]], str]
"""Writes a frame's paragraphs (the writer binds language, faces and links)."""


def xfrm(x: int, y: int, w: int, h: int, tag: str = "a:xfrm") -> str:
    return f'<{tag}><a:off x="{x}" y="{y}"/><a:ext cx="{w}" cy="{h}"/></{tag}>'


def body_properties(insets: tuple[int, int, int, int], anchor: str) -> str:
    """Insets, anchoring and wrapping pinned; autofit off so no viewer re-decides the layout."""
    left, top, right, bottom = insets
    return (f'<a:bodyPr wrap="square" lIns="{left}" tIns="{top}" rIns="{right}" bIns="{bottom}" '
            f'anchor="{ANCHOR[anchor]}" rtlCol="0"><a:noAutofit/></a:bodyPr>')


def outline(color: str, width_emu: int, dash: bool = False) -> str:
    """a:ln as python-pptx writes it (a zero width is its default and is left out)."""
    w = f' w="{width_emu}"' if width_emu else ""
    return f"<a:ln{w}>{solid_fill(color)}{DASH if dash else ''}</a:ln>"


def text_box(f: TextFrame, shape_id: int, paragraphs: Paragraphs) -> str:
    """A text box (p:sp with txBox) holding *f*'s paragraphs."""
    name = FRAME_NAMES.get(f.role, f"TextBox {shape_id - 1}")
    fill = solid_fill(f.fill) if f.fill else "<a:noFill/>"
    line = outline(f.line, emu(f.line_width), f.dash) if f.line else ""
    return (f'<p:sp><p:nvSpPr><p:cNvPr id="{shape_id}" name="{name}"/><p:cNvSpPr txBox="1"/><p:nvPr/></p:nvSpPr>'
            f'<p:spPr>{xfrm(f.x, f.y, f.w, f.h)}<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>{fill}{line}</p:spPr>'
            f"{text_body(f, paragraphs)}</p:sp>")


def text_body(f: TextFrame, paragraphs: Paragraphs) -> str:
    """p:txBody of a text box or a placeholder: pinned body properties, *f*'s paragraphs."""
    return f"<p:txBody>{body_properties(f.insets, f.anchor)}<a:lstStyle/>{paragraphs(f.paras)}</p:txBody>"


def rectangle(b: Bar, shape_id: int) -> str:
    """A plain rectangle without the theme's shape style (its shadow and accent outline)."""
    line = outline(b.line, emu(OUTLINE_W)) if b.line else "<a:ln><a:noFill/></a:ln>"
    return (f'<p:sp><p:nvSpPr><p:cNvPr id="{shape_id}" name="Rectangle {shape_id - 1}"/><p:cNvSpPr/><p:nvPr/>'
            f'</p:nvSpPr><p:spPr>{xfrm(b.x, b.y, b.w, b.h)}<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
            f"{solid_fill(b.fill)}{line}</p:spPr><p:txBody>"
            '<a:bodyPr rtlCol="0" anchor="t" wrap="square" lIns="0" tIns="0" rIns="0" bIns="0"><a:noAutofit/>'
            "</a:bodyPr><a:lstStyle/><a:p/></p:txBody></p:sp>")


def table(t: TableFrame, shape_id: int, paragraphs: Paragraphs, background: str) -> str:
    """A native table: pinned column widths and row heights, every cell's margins, fill and
    four borders stated (cells without a fill take the slide *background*)."""
    first_row = ' firstRow="1"' if t.header_rows else ""
    grid = "".join(f'<a:gridCol w="{w}"/>' for w in t.col_widths)
    left, top, right, bottom = t.insets
    margins = f'marL="{left}" marT="{top}" marR="{right}" marB="{bottom}"'
    border = solid_fill(t.border) + '<a:prstDash val="solid"/>'
    w = emu(OUTLINE_W)
    borders = "".join(f'<a:{side} w="{w}" cap="flat" cmpd="sng" algn="ctr">{border}</a:{side}>'
                      for side in ("lnL", "lnR", "lnT", "lnB"))
    rows = []
    for h, row in zip(t.row_heights, t.rows):
        cells = "".join(f"<a:tc><a:txBody><a:bodyPr/><a:lstStyle/>{paragraphs(c.paras)}</a:txBody>"
                        f"<a:tcPr {margins}>{borders}{solid_fill(c.fill or background)}</a:tcPr></a:tc>"
                        for c in row)
        rows.append(f'<a:tr h="{h}">{cells}</a:tr>')
    return (f'<p:graphicFrame><p:nvGraphicFramePr><p:cNvPr id="{shape_id}" name="Table {shape_id - 1}"/>'
            '<p:cNvGraphicFramePr><a:graphicFrameLocks noGrp="1"/></p:cNvGraphicFramePr><p:nvPr/>'
            f'</p:nvGraphicFramePr>{xfrm(t.x, t.y, t.w, t.h, "p:xfrm")}<a:graphic><a:graphicData uri="{TABLE_URI}">'
            f"<a:tbl><a:tblPr{first_row}><a:tableStyleId>{NO_STYLE_TABLE}</a:tableStyleId></a:tblPr>"
            f'<a:tblGrid>{grid}</a:tblGrid>{"".join(rows)}</a:tbl></a:graphicData></a:graphic></p:graphicFrame>')


def parse_shapes(markup: str) -> list:
    """Elements (python-pptx's element classes) for a run of shapes or paragraphs, parsed in one go."""
    return list(parse_xml(f"<p:spTree {NAMESPACES}>{markup}</p:spTree>"))


def paragraphs_writer(lang: str, families: dict[str, str], fonts, link_rid: LinkRid | None) -> Paragraphs:
    """A Paragraphs function bound to the deck's language, faces and this slide's links."""
    def write(paras: tuple[Para, ...]) -> str:
        return "".join(paragraph(p, lang=lang, families=families, fonts=fonts, link_rid=link_rid) for p in paras)
    return write


__all__ = ["body_properties", "paragraphs_writer", "parse_shapes", "rectangle", "table", "text_body", "text_box"]
