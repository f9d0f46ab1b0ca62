"""Laid-out deck -> editable PPTX.  Decides nothing: writes what layout measured.

Titles go into the layouts' real title placeholders (so outline view, slide
sorter and screen readers know them); body text, code and callouts are text
boxes; tables are native tables; speaker notes go to the notes pane.
"""
from __future__ import annotations

import copy
import io
from datetime import datetime
from pathlib import Path
from typing import Any

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.enum.shapes import MSO_SHAPE
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.package import XmlPart
from pptx.opc.packuri import PackURI
from pptx.parts.slide import SlidePart
from pptx.oxml import parse_xml
from pptx.oxml.ns import qn
from pptx.util import Emu

from deckgen.layout.geometry import (Bar, LaidOutDeck, LaidSlide, Para, PictureFrame, Run, TableFrame,
                                     TextFrame, emu)
from deckgen.theme.load import Theme
from deckgen.backends.pptx import docprops, notes_xml, oxml, package_zip, shapexml, template_slides
from deckgen.backends.pptx.fontembed import Report, embed_fonts, theme_faces
from deckgen.model import Meta

LAYOUTS = {"title": ("Title Slide", "Title Only"), "section": ("Section Header", "Title Only"),
           "content": ("Title Only",)}


class PptxWriter:
    def __init__(self, theme: Theme, lang: str, *, embed_fonts: str | None = None, report: Report | None = None):
        self.theme = theme
        self.lang = lang
        self.embed_fonts = embed_fonts or theme.embed_fonts
        """'subset', 'full' or 'none' (see fontembed)."""
        self.report: Report = report or (lambda severity, code, message: None)
        self.families = {"heading": theme.fonts.heading.family, "body": theme.fonts.body.family,
                         "mono": theme.fonts.mono.family}
        self.on_template = theme.template is not None
        self.prs = template_slides.open_template(theme.template.path) if self.on_template else Presentation()
        self._notes_page: notes_xml.PageTemplate | None = None
        """The first notes page's markup around its paragraphs (see notes)."""
        self._inherited: dict[tuple[int, int], tuple] = {}
        """(layout part, placeholder idx) -> the box a placeholder inherits from its layout."""
        self._slide_id = 0
        self._placeholders: dict[int, list] = {}
        """Layout part (by id) -> the placeholder elements python-pptx cloned on its first slide."""
        self._svg_parts: dict[int, Any] = {}
        """SVG pictures already in the package, by content hash: a logo on every slide is stored once."""
        if self.on_template:
            template_slides.drop_slides(self.prs)
        else:
            _keep_authors_case(self.prs)
            if theme.colors.background != "FFFFFF":
                fill = self.prs.slide_master.background.fill      # every layout and slide inherits it
                fill.solid()
                fill.fore_color.rgb = RGBColor.from_string(theme.colors.background)
        _fast_partnames(self.prs.part.package)

    # ------------------------------------------------------------- deck
    def write(self, deck: LaidOutDeck, meta: Meta, when: datetime, stamp: datetime | None = None) -> bytes:
        """The deck's bytes; *when* fills the document properties, *stamp* dates the zip's
        entries (None: the clock)."""
        prs = self.prs
        prs.slide_width, prs.slide_height = Emu(deck.width), Emu(deck.height)
        for s in deck.slides:
            self.slide(s)
        self.patch_themes()     # last: the notes master and its theme exist only once notes were added
        roles = {face.family for face in (self.theme.fonts.heading, self.theme.fonts.body, self.theme.fonts.mono)}
        embed_fonts(prs, theme_faces(self.theme.fonts), self.embed_fonts, self.report, text_faces=roles)
        docprops.set_core_properties(prs, meta, self.lang, when)
        docprops.set_app_properties(prs, len(deck.slides), sum(1 for s in deck.slides if s.notes))
        docprops.drop_template_thumbnail(prs)
        return package_zip.zip_package(prs.part.package, stamp)

    def patch_themes(self) -> None:
        """Name the Korean faces in every theme part (slide and notes masters)."""
        for part in self.prs.part.package.iter_parts():
            if str(part.partname).startswith("/ppt/theme/"):
                xml = oxml.set_theme_fonts(part.blob, self.families["heading"], self.families["body"],
                                           latin=not self.on_template)
                if isinstance(part, XmlPart):
                    part._element = parse_xml(xml)
                else:
                    part._blob = xml
            elif self.on_template and isinstance(part, XmlPart):
                template_slides.korean_east_asian(part, self.families["body"])

    def layout(self, kind: str):
        if self.on_template:
            master, index = self.theme.template_roles[kind]
            return self.prs.slide_masters[master].slide_layouts[index]
        by_name = {layout.name: layout for layout in self.prs.slide_layouts}
        for name in LAYOUTS[kind]:
            if name in by_name:
                return by_name[name]
        return self.prs.slide_layouts[-1]

    def slide(self, s: LaidSlide) -> None:
        layout = self.layout("content" if s.kind == "content" else s.kind)
        slide = self.add_slide(layout)
        targets = self.targets(slide, s)
        template_slides.remove_unused(slide, list(targets.values()))
        paragraphs = shapexml.paragraphs_writer(self.lang, self.families, self.theme.fonts, self.link_rid(slide))
        pending: list[str] = []
        next_id = 0

        def flush() -> None:
            if pending:
                slide.shapes._spTree.extend(shapexml.parse_shapes("".join(pending)))
                pending.clear()

        for i, sh in enumerate(s.shapes):
            if i in targets and isinstance(sh, TextFrame):
                self.text_frame(slide, sh, targets[i], paragraphs, id(layout.part))
                continue
            if isinstance(sh, PictureFrame):
                flush()
                self.picture(slide, sh)
                next_id = 0
                continue
            next_id = next_id or slide.shapes._next_shape_id       # python-pptx's rule: max id + 1
            if isinstance(sh, TextFrame):
                pending.append(shapexml.text_box(sh, next_id, paragraphs))
            elif isinstance(sh, Bar):
                pending.append(shapexml.rectangle(sh, next_id))
            elif isinstance(sh, TableFrame):
                pending.append(shapexml.table(sh, next_id, paragraphs, self.theme.colors.background))
            next_id += 1
        flush()
        if s.notes:
            self.notes(slide, s.notes)
        if self.on_template:
            template_slides.add_layout_fields(slide, len(self.prs.slides), self.theme.template.footer,
                                              self.families["body"])

    def add_slide(self, layout):
        """prs.slides.add_slide without its quadratic cost: python-pptx looks for an existing
        relationship to the new slide part among all the presentation's (one scan per slide);
        a new part has none, so the relationship is simply added."""
        part = SlidePart.new(self.prs.part.package.next_partname("/ppt/slides/slide%d.xml"),
                             self.prs.part.package, layout.part)
        r_id = self.prs.part.rels._add_relationship(RT.SLIDE, part)
        slide = part.slide
        self.clone_placeholders(slide, layout)
        id_list = self.prs.slides._sldIdLst
        self._slide_id = self._slide_id or id_list._next_id     # its own rule once, then counted
        id_list._add_sldId(id=self._slide_id, rId=r_id)
        self._slide_id += 1
        return slide

    def clone_placeholders(self, slide, layout) -> None:
        """The layout's placeholders on a new slide: python-pptx clones them for the layout's
        first slide (reading each placeholder's properties); later slides get copies of those
        elements, the same since every new slide starts from the same empty shape tree."""
        tree = slide.shapes._spTree
        protos = self._placeholders.get(id(layout.part))
        if protos is None:
            before = len(tree)
            slide.shapes.clone_layout_placeholders(layout)
            self._placeholders[id(layout.part)] = [copy.deepcopy(el) for el in tree[before:]]
            return
        tree.extend(copy.deepcopy(el) for el in protos)

    def targets(self, slide, s: LaidSlide) -> dict:
        """Which frames go into placeholders: the title always; on a template, the first text too."""
        if self.on_template:
            return template_slides.placeholder_targets(slide, s)
        title_ph = slide.shapes.title if s.title_shape is not None else None
        return {s.title_shape: title_ph} if title_ph is not None else {}

    # ----------------------------------------------------------- shapes
    def link_rid(self, slide):
        return lambda url: slide.part.relate_to(url, RT.HYPERLINK, is_external=True)

    def text_frame(self, slide, f: TextFrame, shape, paragraphs: shapexml.Paragraphs, layout_part: int) -> None:
        """A frame written into a layout placeholder (the title; on a template, the first text).
        Its box and text body are written as markup, as for a text box: a new placeholder has
        an empty p:spPr and the bare text body python-pptx gives it (empty bodyPr and lstStyle,
        one empty paragraph), so this is the markup python-pptx's setters made."""
        sp = shape._element
        key = (layout_part, sp.ph_idx)
        if key not in self._inherited:          # a new placeholder's box is its layout's
            self._inherited[key] = (shape.left, shape.top, shape.width, shape.height)
        shape.name = shapexml.FRAME_NAMES.get(f.role, shape.name)
        markup = shapexml.text_body(f, paragraphs)
        if self._inherited[key] != (f.x, f.y, f.w, f.h):
            sp_pr, txbody = shapexml.parse_shapes(f"<p:spPr>{shapexml.xfrm(f.x, f.y, f.w, f.h)}</p:spPr>{markup}")
            sp.replace(sp.spPr, sp_pr)
        else:
            txbody = shapexml.parse_shapes(markup)[0]
        sp.replace(sp.get_or_add_txBody(), txbody)
        if self.on_template:
            template_slides.inherit_look(shape, f)
            template_slides.pin_letters(shape)
        if f.fill:
            shape.fill.solid()
            shape.fill.fore_color.rgb = RGBColor.from_string(f.fill)
        if f.line:
            shape.line.color.rgb = RGBColor.from_string(f.line)
            shape.line.width = Emu(emu(f.line_width))
            if f.dash:
                shape.line.dash_style = MSO_LINE_DASH_STYLE.DASH

    def picture(self, slide, p: PictureFrame) -> None:
        """A picture sized for its frame (~220 dpi, see render.raster); an SVG (a file or
        a rendered diagram) is embedded as a PNG plus the SVG itself (asvg:svgBlip)."""
        from deckgen.render.raster import RasterError, picture_for_frame

        try:
            data, _ext = picture_for_frame(p.path, p.w, p.h)
        except (RasterError, OSError, ValueError) as e:   # checked at parse time; a last resort
            box = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Emu(p.x), Emu(p.y), Emu(p.w), Emu(p.h))
            box.fill.background()
            box.text_frame.text = f"이미지 없음: {p.alt or Path(p.path).name} ({e})"
            return
        pic = slide.shapes.add_picture(io.BytesIO(data), Emu(p.x), Emu(p.y), Emu(p.w), Emu(p.h))
        if p.alt:
            pic._element.nvPicPr.cNvPr.set("descr", p.alt)
        if p.path.lower().endswith(".svg"):
            self._attach_svg(slide, pic, Path(p.path).read_bytes())

    def _attach_svg(self, slide, pic, svg: bytes) -> None:
        from pptx.opc.package import Part

        package = slide.part.package
        key = hash(svg)
        part = self._svg_parts.get(key)
        if part is None:
            part = Part(package.next_partname("/ppt/media/image%d.svg"), "image/svg+xml", package, svg)
            self._svg_parts[key] = part
        r_id = slide.part.relate_to(part, RT.IMAGE)
        oxml.add_svg_blip(pic._element.blipFill.find(qn("a:blip")), r_id)

    def notes(self, slide, lines: tuple[str, ...]) -> None:
        """The notes page: python-pptx makes the first one (and the notes master); every later one
        is that page's markup with this slide's paragraphs, since its placeholders never change."""
        size = self.theme.sizes.notes
        paras = tuple(Para((Run(line),), size, size * 1.2, color=self.theme.colors.text) for line in lines)
        body = shapexml.paragraphs_writer(self.lang, self.families, self.theme.fonts, None)(paras)
        if self._notes_page is None:
            txbody = slide.notes_slide.notes_text_frame._txBody
            oxml.clear_paragraphs(txbody)
            self._notes_page = notes_xml.page_template(slide.part.part_related_by(RT.NOTES_SLIDE), txbody)
            txbody.extend(shapexml.parse_shapes(body))
            return
        notes_xml.add_notes_page(slide.part, self._notes_page, body)


def _keep_authors_case(prs) -> None:
    """python-pptx's built-in deck sets its Section Header title in capitals (`cap="all"`), which
    turns "Part 2." into "PART 2."; a lecturer's own template keeps whatever case it chose."""
    for layout in prs.slide_layouts:
        for el in layout._element.iter():
            if el.get("cap") == "all":
                del el.attrib["cap"]


def _fast_partnames(package) -> None:
    """python-pptx finds a free part name by walking every part of the package,
    once per notes slide: quadratic, 25 s for a 1,000-slide deck.  Remember
    the names instead (same names, same order)."""
    used = {str(p.partname) for p in package.iter_parts()}

    def next_partname(tmpl: str) -> PackURI:
        n = 1
        while tmpl % n in used:
            n += 1
        used.add(tmpl % n)
        return PackURI(tmpl % n)

    package.next_partname = next_partname


def write_pptx(deck: LaidOutDeck, theme: Theme, meta: Meta | None = None, when: datetime | None = None, *,
               embed_fonts: str | None = None, report: Report | None = None) -> bytes:
    """The deck as PPTX bytes; *meta* (the note's front matter) fills the document properties,
    *when* their dates (default: SOURCE_DATE_EPOCH, else now); *embed_fonts* overrides the
    theme's font embedding, *report(severity, code, message)* hears about faces left out."""
    meta = meta or Meta(title=deck.title, author=deck.author, lang=deck.lang)
    writer = PptxWriter(theme, deck.lang, embed_fonts=embed_fonts, report=report)
    return writer.write(deck, meta, when or docprops.build_time(), when or docprops.source_date_epoch())


__all__ = ["write_pptx"]
