"""Notes pages from one template: the first page's markup, every later page's paragraphs.

python-pptx makes a notes page by cloning the notes master's placeholders one
property lookup at a time; those placeholders are the same on every page, so
the first page (made by python-pptx, which also creates the notes master) is
kept as text around its body paragraphs and reused, parsed once per page.
"""
from __future__ import annotations

from dataclasses import dataclass

from lxml import etree
from pptx.opc.constants import CONTENT_TYPE as CT
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.package import Part
from pptx.oxml import parse_xml
from pptx.parts.slide import NotesSlidePart

MARKER = "deckgen-notes-body"


@dataclass(frozen=True)
class PageTemplate:
    before: str
    """The page's markup up to where its body paragraphs go."""
    after: str
    master: Part
    """The notes master part every page relates to."""


def page_template(notes_part, txbody) -> PageTemplate:
    """The markup of *notes_part* (its body *txbody* emptied) split where paragraphs go."""
    marker = etree.Comment(MARKER)       # a stand-in, found and removed at once
    txbody.append(marker)
    before, after = etree.tostring(notes_part._element, encoding="unicode").split(f"<!--{MARKER}-->")
    txbody.remove(marker)
    return PageTemplate(before, after, notes_part.part_related_by(RT.NOTES_MASTER))


def add_notes_page(slide_part, template: PageTemplate, body: str) -> None:
    """A notes page holding the paragraphs *body*, related to *slide_part* as python-pptx does
    (notes master, then slide; the slide's relationship to the page last)."""
    package = slide_part.package
    part = NotesSlidePart(package.next_partname("/ppt/notesSlides/notesSlide%d.xml"), CT.PML_NOTES_SLIDE,
                          package, parse_xml(template.before + body + template.after))
    part.relate_to(template.master, RT.NOTES_MASTER)
    part.relate_to(slide_part, RT.SLIDE)
    slide_part.relate_to(part, RT.NOTES_SLIDE)
