"""Embed the faces a deck's runs name, the way PowerPoint's own files do.

A lecture-room PC often lacks the Nanum fonts; PowerPoint then substitutes a face
with other widths and the measured line breaks move.  So the deck carries them:
``p:presentation`` gets ``embedTrueTypeFonts="1"`` (and ``saveSubsetFonts="1"``
for subsets), ``p:embeddedFontLst`` (after ``p:notesSz``, schema order) gets one
``p:embeddedFont`` per family, and each face is an EOT part ``/ppt/fonts/fontN.fntdata``
related from the presentation part.  Only faces whose OS/2 fsType allows it travel.
"""
from __future__ import annotations

import dataclasses
import functools
import struct
from collections import defaultdict
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass

from lxml import etree
from pptx.opc.constants import CONTENT_TYPE as CT
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.package import Part
from pptx.oxml.ns import qn

from deckgen.backends.pptx.eot import panose_bytes, wrap_eot
from deckgen.backends.pptx.fontsubset import ASCII, BASE_CHARACTERS, NotTrueType, truetype_bytes
from deckgen.theme.faceinfo import face_permission
from deckgen.theme.fonts import FontFace, FontFile, has_hangul

MODES = ("subset", "full", "none")
Report = Callable[[str, str, str], None]
"""report(severity, code, message)."""

_SLOTS = ("a:latin", "a:ea", "a:cs", "a:sym")
_AFTER = ("p:notesSz", "p:smartTags")
"""CT_Presentation: ... sldSz, notesSz, smartTags?, embeddedFontLst?, custShowLst? ..."""


@dataclass(frozen=True, slots=True)
class EmbeddedFace:
    """One face written into the deck (for the build's report and tests)."""

    family: str
    style: str
    """'regular' or 'bold': the p:embeddedFont slot it fills."""
    file: FontFile
    partname: str
    size: int


_SLOT_OF = {qn(slot): slot for slot in _SLOTS}
"""The slots by their namespaced tags, looked up once (qn() is slow in a loop)."""
_RUNS = (qn("a:r"), qn("a:fld"))
_RPR, _BU_CHAR, _BU_FONT = qn("a:rPr"), qn("a:buChar"), qn("a:buFont")

RunFaces = tuple[str | None, str | None, str | None, bool]
"""What decides where a run's characters go: (latin face, East Asian face, symbol face, bold)."""


def is_east_asian(ch: str) -> bool:
    """Characters PowerPoint draws with the run's a:ea face."""
    cp = ord(ch)
    return (0x1100 <= cp <= 0x11FF or 0x2E80 <= cp <= 0x9FFF or 0xA960 <= cp <= 0xA97F
            or 0xAC00 <= cp <= 0xD7FF or 0xF900 <= cp <= 0xFAFF or 0xFE30 <= cp <= 0xFE4F
            or 0xFF00 <= cp <= 0xFFEF or 0x20000 <= cp <= 0x3FFFF)


def _run_faces(rpr) -> RunFaces | None:
    """The faces an a:rPr names (theme references like +mn-lt are not files), None for none;
    the first element of a slot counts."""
    if rpr is None:
        return None
    faces: dict[str, str] = {}
    for child in rpr:
        slot = _SLOT_OF.get(child.tag)
        if slot and slot not in faces:
            face = child.get("typeface") or ""
            faces[slot] = "" if face.startswith("+") else face
    faces = {slot: face for slot, face in faces.items() if face}
    if not faces:
        return None
    latin = faces.get("a:latin") or faces.get("a:ea")
    return latin, faces.get("a:ea") or latin, faces.get("a:sym"), rpr.get("b") in ("1", "true")


def _add_characters(usage: dict, faces: RunFaces, text: str) -> None:
    latin, ea, sym, bold = faces
    for ch in set(text):        # each character once: a deck repeats most of them
        wide = is_east_asian(ch)
        usage[(ea if wide else latin, bold)].add(ch)
        if sym and ord(ch) > 0x7F and not wide:
            usage[(sym, bold)].add(ch)


def collect_usage(package) -> dict[tuple[str, bool], set[str]]:
    """(family, bold) -> characters, from every run and bullet of the slides and notes.  Runs
    are grouped by the faces they name first (a deck has thousands of runs and a few dozen
    distinct run properties), then each group's characters are sorted out once."""
    usage: dict[tuple[str, bool], set[str]] = defaultdict(set)
    texts: dict[RunFaces, list[str]] = defaultdict(list)
    for part in package.iter_parts():
        name = str(part.partname)
        if not name.startswith(("/ppt/slides/slide", "/ppt/notesSlides/")):
            continue
        root = part._element
        for run in root.iter(*_RUNS):
            faces = _run_faces(run.find(_RPR))
            if faces is not None:
                texts[faces].append("".join(run.itertext()))
        for bu in root.iter(_BU_CHAR):
            font = bu.getparent().find(_BU_FONT)
            if font is not None and not font.get("typeface", "+").startswith("+"):
                usage[(font.get("typeface"), False)].add(bu.get("char", ""))
    for faces, pieces in texts.items():
        _add_characters(usage, faces, "".join(pieces))
    return usage


def theme_faces(fonts) -> dict[str, FontFace]:
    """Family -> FontFace for every face a theme resolved: the roles, and whatever fallback
    lists, tables or records of faces the theme's Fonts holds (first one of a family wins)."""
    out: dict[str, FontFace] = {}

    def visit(value) -> None:
        if isinstance(value, FontFace):
            out.setdefault(value.family, value)
        elif isinstance(value, (tuple, list)):
            for v in value:
                visit(v)
        elif isinstance(value, dict):
            for v in value.values():
                visit(v)
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            for f in dataclasses.fields(value):
                visit(getattr(value, f.name))

    visit(fonts)
    return out


def _files_to_embed(face: FontFace, usage: Mapping[tuple[str, bool], set[str]]) -> dict[str, tuple[FontFile, set[str]]]:
    """Slot ('regular'/'bold') -> (file, characters) for the styles the runs use.
    A family without a bold file draws bold runs with its regular file (emboldened)."""
    regular_chars = set(usage.get((face.family, False), ()))
    bold_chars = set(usage.get((face.family, True), ()))
    if face.bold == face.regular:
        regular_chars |= bold_chars
        bold_chars = set()
    slots = {}
    if regular_chars:
        slots["regular"] = (face.regular, regular_chars)
    if bold_chars:
        slots["bold"] = (face.bold, bold_chars)
    return slots


def _refused(face: FontFace, style: str, f: FontFile) -> str | None:
    """Why *f* must not travel in the deck, or None when it may."""
    perm = face_permission(f.path, f.index)
    if perm.embeddable:
        return None
    why = {"preview & print": "would make PowerPoint open the deck read-only",
           "restricted": "forbids embedding", "bitmap only": "allows only bitmaps to be embedded"}
    return (f"font '{face.family}' {style} ({f.path}) is not embedded: its licence (OS/2 fsType "
            f"{perm.fs_type}, {perm.label}) {why[perm.label]}; the deck names a font the audience may "
            f"not have. Choose a face with fsType 0 or 8 in the theme")


def embed_fonts(prs, faces: Mapping[str, FontFace], mode: str, report: Report,
                text_faces: Collection[str] | None = None) -> list[EmbeddedFace]:
    """Embed every face the deck's runs name (mode 'subset' or 'full'); 'none' embeds nothing.
    Subsets of *text_faces* (the role faces; default: all) keep ASCII and the KS X 1001 Hangul
    for editing; the others (per-script fallbacks) keep their used characters and ASCII."""
    if mode == "none":
        return []
    package = prs.part.package
    usage = collect_usage(package)
    families = sorted({family for family, _bold in usage})
    font_lst = None
    done: list[EmbeddedFace] = []
    for family in families:
        face = faces.get(family)
        if face is None:
            report("warning", "font-not-embedded", f"font '{family}' is not embedded: the theme does not "
                   "resolve it to a file; the deck names a font the audience may not have")
            continue
        entries: list[tuple[EmbeddedFace, str]] = []
        for style, (f, chars) in _files_to_embed(face, usage).items():
            base = BASE_CHARACTERS if text_faces is None or family in text_faces else ASCII
            embedded = _embed_face(prs, face, style, f, chars, mode, report, base)
            if embedded is not None:
                entries.append(embedded)
        if entries:
            font_lst = font_lst if font_lst is not None else _font_list(prs.part._element, mode)
            _font_entry(font_lst, face, entries)
            done.extend(e for e, _rid in entries)
    return done


def _embed_face(prs, face: FontFace, style: str, f: FontFile, chars: set[str], mode: str,
                report: Report, base: frozenset[int] = BASE_CHARACTERS) -> tuple[EmbeddedFace, str] | None:
    """Add one EOT part and relate it from the presentation; None (with a warning) when refused."""
    refused = _refused(face, style, f)
    if refused:
        report("warning", "font-not-embedded", refused)
        return None
    perm = face_permission(f.path, f.index)
    subset = mode == "subset" and perm.subsettable
    try:
        ttf = truetype_bytes(f.path, f.index, chars, subset=subset, base=base)
    except NotTrueType:
        report("warning", "font-not-embedded", f"font '{face.family}' {style} ({f.path}) is not embedded: "
               "it has no outlines PowerPoint can embed (bitmap glyphs or a CFF2 variable font; "
               "PowerPoint embeds TrueType faces only)")
        return None
    package = prs.part.package
    eot = wrap_eot(ttf, face.family, "Bold" if style == "bold" else "Regular", subset=subset)
    part = Part(package.next_partname("/ppt/fonts/font%d.fntdata"), CT.X_FONTDATA, package, eot)
    r_id = prs.part.relate_to(part, RT.FONT)
    return EmbeddedFace(face.family, style, f, str(part.partname), len(eot)), r_id


def _font_list(presentation, mode: str):
    """p:embeddedFontLst, created in schema order, with the presentation's embedding flags."""
    presentation.set("embedTrueTypeFonts", "1")
    if mode == "subset":
        presentation.set("saveSubsetFonts", "1")
    else:                                      # whole faces: PowerPoint must not subset them on save
        presentation.attrib.pop("saveSubsetFonts", None)
    existing = presentation.find(qn("p:embeddedFontLst"))
    if existing is not None:
        return existing
    lst = etree.Element(qn("p:embeddedFontLst"))
    anchor = None
    for tag in _AFTER:
        el = presentation.find(qn(tag))
        anchor = el if el is not None else anchor
    if anchor is not None:
        anchor.addnext(lst)
    else:
        presentation.insert(0, lst)
    return lst


def _font_entry(font_lst, face: FontFace, entries: list[tuple[EmbeddedFace, str]]) -> None:
    """One p:embeddedFont: p:font (typeface, panose, pitchFamily, charset) and p:regular/p:bold."""
    first = entries[0][0].file
    panose, fixed = face_classification(first.path, first.index)
    entry = etree.SubElement(font_lst, qn("p:embeddedFont"))
    etree.SubElement(entry, qn("p:font"), typeface=face.family, panose=panose.hex().upper(),
                     pitchFamily=str(pitch_family(panose, fixed)),
                     charset=str(charset(has_hangul(first.path, first.index))))
    for style in ("regular", "bold"):
        for e, r_id in entries:
            if e.style == style:
                etree.SubElement(entry, qn(f"p:{style}")).set(qn("r:id"), r_id)


@functools.lru_cache(maxsize=64)
def face_classification(path: str, index: int) -> tuple[bytes, bool]:
    """A face's PANOSE bytes and whether post.isFixedPitch is set, read once per process (watch
    mode and batch workers rebuild with the same faces).  The flag is read from the raw post
    table: decoding it names every glyph, which took 0.1 s per face."""
    from fontTools.ttLib import TTFont

    font = TTFont(path, fontNumber=index, lazy=True)
    fixed = struct.unpack(">I", font.reader["post"][12:16])[0] != 0
    return panose_bytes(font), fixed


def pitch_family(panose: bytes, fixed: bool) -> int:
    """Windows LOGFONT pitch-and-family byte: pitch in the low bits, family in the high."""
    fixed = fixed or (panose[0] == 2 and panose[3] == 9)
    if fixed:
        return 0x30 | 0x01                       # FF_MODERN | FIXED_PITCH
    if panose[0] == 2:
        return (0x20 if panose[1] in (11, 12, 13) else 0x10) | 0x02   # FF_SWISS / FF_ROMAN
    if panose[0] == 3:
        return 0x40 | 0x02                       # FF_SCRIPT
    return 0x02                                  # FF_DONTCARE | VARIABLE_PITCH


def charset(hangul: bool) -> int:
    """Windows charset as PowerPoint writes it (a signed byte): HANGUL_CHARSET (129) as -127
    for faces with Hangul, ANSI_CHARSET (0) otherwise.  Whether a face has Hangul comes from
    theme.fonts.has_hangul, kept in the user cache: reading a CJK cmap was a tenth of a deck."""
    return 129 - 256 if hangul else 0
