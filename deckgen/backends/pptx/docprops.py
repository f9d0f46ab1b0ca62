"""The deck's document properties: docProps/core.xml and docProps/app.xml, told truthfully.

python-pptx's default template carries its own (``lastModifiedBy: Steve Canny``, created
2013-01-27, ``generated using python-pptx``, and an app.xml claiming 0 slides in 4:3).  Here
they say what the deck is: the note's title, author, subtitle and tags, the build time (or
SOURCE_DATE_EPOCH, for reproducible builds), deckgen as the application, the real slide
count and the format of the real slide size.  The template's blank thumbnail is dropped.
"""
from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from fractions import Fraction
from html import escape

from pptx.opc.constants import CONTENT_TYPE as CT
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.package import Part
from pptx.opc.packuri import PackURI

from deckgen.model import Meta

CORE_TEXT_MAX = 255
"""python-pptx refuses longer core-property strings (ValueError)."""
APPLICATION = "deckgen"
FORMATS = {Fraction(16, 9): "On-screen Show (16:9)", Fraction(16, 10): "On-screen Show (16:10)",
           Fraction(4, 3): "On-screen Show (4:3)"}
"""PresentationFormat by slide aspect ratio, as PowerPoint names them; other sizes are 'Custom'."""
APP_XML = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
           'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
           '<TotalTime>0</TotalTime><Application>{app}</Application>'
           '<PresentationFormat>{format}</PresentationFormat><Slides>{slides}</Slides>'
           '<Notes>{notes}</Notes><HiddenSlides>0</HiddenSlides><ScaleCrop>false</ScaleCrop>'
           '<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>'
           '<HyperlinksChanged>false</HyperlinksChanged></Properties>')


def clip(text: str, limit: int = CORE_TEXT_MAX) -> str:
    """*text* cut to *limit* characters, ending in an ellipsis when something was cut."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def keywords(tags: tuple[str, ...], limit: int = CORE_TEXT_MAX) -> str:
    """Tags joined by ", ", as many whole tags as fit in *limit*."""
    out = ""
    for tag in (" ".join(t.split()) for t in tags):
        joined = f"{out}, {tag}" if out else tag
        if len(joined) > limit:
            break
        out = joined
    return out if out or not tags else clip(tags[0], limit)


def source_date_epoch(environ: Mapping[str, str] | None = None) -> dt.datetime | None:
    """SOURCE_DATE_EPOCH (seconds since 1970, UTC) when it is set to a whole number."""
    value = (os.environ if environ is None else environ).get("SOURCE_DATE_EPOCH", "").strip()
    return dt.datetime.fromtimestamp(int(value), dt.UTC).replace(tzinfo=None) if value.isdigit() else None


def build_time(environ: Mapping[str, str] | None = None) -> dt.datetime:
    """SOURCE_DATE_EPOCH when it is set, else now (UTC, whole seconds)."""
    return source_date_epoch(environ) or dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)


def presentation_format(width_emu: int, height_emu: int) -> str:
    return FORMATS.get(Fraction(width_emu, height_emu), "Custom") if height_emu else "Custom"


def set_core_properties(prs, meta: Meta, lang: str, when: dt.datetime) -> None:
    """Title, author, subject (subtitle), keywords (tags), dates and language of *prs*."""
    core = prs.core_properties
    core.title = clip(meta.title)
    core.author = clip(meta.author)
    core.subject = clip(meta.subtitle)
    core.keywords = keywords(meta.tags)
    core.comments = ""          # the template says "generated using python-pptx"
    core.category = ""
    core.last_modified_by = APPLICATION
    core.revision = 1
    core.created = core.modified = when
    core.language = lang


def drop_template_thumbnail(prs) -> None:
    """Remove the template's docProps/thumbnail.jpeg: a blank 4:3 picture that is no view of this deck
    (PowerPoint draws a real one when it saves; without one, file browsers show a generic icon)."""
    rels = prs.part.package._rels
    for r_id, rel in list(rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            rels.pop(r_id)


def set_app_properties(prs, slides: int, notes: int) -> None:
    """Replace the template's docProps/app.xml (or add one) with the deck's own."""
    xml = APP_XML.format(app=escape(APPLICATION), slides=slides, notes=notes,
                         format=escape(presentation_format(prs.slide_width, prs.slide_height))).encode("utf-8")
    package = prs.part.package
    for part in package.iter_parts():
        if str(part.partname) == "/docProps/app.xml":
            part._blob = xml
            return
    part = Part(PackURI("/docProps/app.xml"), CT.OFC_EXTENDED_PROPERTIES, package, xml)
    package.relate_to(part, RT.EXTENDED_PROPERTIES)
