"""Paragraphs and runs as DrawingML text, written as strings in one pass.

Building each a:p, a:r and a:rPr through python-pptx's element classes
(qn() lookups, custom element proxies) was most of the deck's time; the same
markup is written here as text and parsed once per slide (see shapexml).
The bytes are those python-pptx and lxml wrote before: the same elements,
attributes in the same order, the same escaping.

Korean needs a:ea (and a:cs) on every run plus the language, so every run
names its faces, and every paragraph states every metric: size, exact line
spacing, space before, margins, indents and bullets.
"""
from __future__ import annotations

from collections.abc import Callable

from deckgen.layout.geometry import Para, Run, emu, marker_size
from deckgen.theme.fallback import split_faces
from deckgen.theme.load import Fonts
from deckgen.theme.scripts import is_plain

ALIGN = {"left": "l", "center": "ctr", "right": "r", "justify": "just"}
ANCHOR = {"top": "t", "middle": "ctr", "bottom": "b"}
"""A text frame's vertical anchoring, as `a:bodyPr` writes it."""
AUTONUM = "arabicPeriod"
LINE_BREAKING = ' eaLnBrk="1" latinLnBrk="0" hangingPunct="1"'
"""Office's own defaults, stated on every paragraph: a template (LibreOffice's) that leaves them
out makes LibreOffice break a Korean word before its closing period ("분" / "할.")."""

NAMESPACES = ('xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
              'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" '
              'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')
"""The prefixes every fragment uses, declared once on the wrapper it is parsed in."""

_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_ATTR = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\t": "&#9;", "\n": "&#10;",
                       "\r": "&#13;"})

LinkRid = Callable[[str], str]


def text(value: str) -> str:
    """Element text escaped as lxml writes it."""
    return value.translate(_TEXT)


def attr(value: object) -> str:
    """An attribute value escaped as lxml writes it."""
    return str(value).translate(_ATTR)


def solid_fill(color: str) -> str:
    return f'<a:solidFill><a:srgbClr val="{attr(color)}"/></a:solidFill>'


def run_properties(tag: str, *, size: float, lang: str, family: str, bold: bool = False, italic: bool = False,
                   underline: bool = False, strike: bool = False, baseline: int = 0, color: str | None = None,
                   highlight: str | None = None, link_rid: str | None = None, fallback: str | None = None) -> str:
    """a:rPr / a:endParaRPr with the Latin, East Asian and complex-script faces all named.

    A run of Han, Kana, emoji or symbols drawn by a *fallback* face names it in
    a:latin, a:ea and a:sym: PowerPoint picks a:ea for CJK ideographs and a:sym
    for symbol-font text, LibreOffice ignores a:sym and draws emoji and keycap
    digits with the a:latin face; naming the one face everywhere makes every
    viewer draw the run with the face it was measured with."""
    out = [f'<{tag} lang="{attr(lang)}" altLang="en-US" sz="{int(round(size * 100))}" b="{int(bold)}" '
           f'i="{int(italic)}" dirty="0"']
    if underline:
        out.append(' u="sng"')
    if strike:
        out.append(' strike="sngStrike"')
    if baseline:
        out.append(' baseline="30000"' if baseline > 0 else ' baseline="-25000"')
    out.append(">")
    if color:
        out.append(solid_fill(color))
    if highlight:
        out.append(f'<a:highlight><a:srgbClr val="{attr(highlight)}"/></a:highlight>')
    face = attr(fallback or family)
    out.append(f'<a:latin typeface="{face}"/><a:ea typeface="{face}"/><a:cs typeface="{attr(family)}"/>')
    if fallback:
        out.append(f'<a:sym typeface="{face}"/>')
    if link_rid:
        out.append(f'<a:hlinkClick r:id="{attr(link_rid)}"/>')
    out.append(f"</{tag}>")
    return "".join(out)


def paragraph(p: Para, *, lang: str, families: dict[str, str], link_rid: LinkRid | None = None,
              fonts: Fonts | None = None) -> str:
    """An a:p for *p*; *link_rid(url)* returns a relationship id; with the theme's *fonts*,
    each run is cut where its drawing face changes (see theme/fallback.py)."""
    out = ["<a:p>", paragraph_properties(p, families["body"])]
    for r in p.runs:
        if not r.text:
            continue
        for i, piece in enumerate(r.text.split("\n")):
            if i:
                out.append(f"<a:br>{_rpr('a:rPr', r, p, lang, families, None)}</a:br>")
            rid = link_rid(r.link) if (piece and link_rid and r.link and _is_url(r.link)) else None
            for chunk, fallback in _face_pieces(piece, r.role, fonts):
                out.append(f"<a:r>{_rpr('a:rPr', r, p, lang, families, rid, fallback)}<a:t>{text(chunk)}</a:t></a:r>")
    first = p.runs[0] if p.runs else Run("")
    out.append(_rpr("a:endParaRPr", first, p, lang, families, None))
    out.append("</a:p>")
    return "".join(out)


def paragraph_properties(p: Para, family: str) -> str:
    lvl = f' lvl="{min(8, p.level)}"' if p.level else ""
    return (f'<a:pPr marL="{emu(p.margin_left)}" indent="{emu(p.indent)}" algn="{ALIGN.get(p.align, "l")}"'
            f'{LINE_BREAKING}{lvl}><a:lnSpc><a:spcPts val="{int(round(p.line_pitch * 100))}"/></a:lnSpc>'
            f'<a:spcBef><a:spcPts val="{int(round(p.space_before * 100))}"/></a:spcBef>'
            f'<a:spcAft><a:spcPts val="0"/></a:spcAft>{bullet(p, family)}</a:pPr>')


def bullet(p: Para, family: str) -> str:
    if not p.bullet:
        return "<a:buNone/>"
    out = f'<a:buClr><a:srgbClr val="{attr(p.bullet_color)}"/></a:buClr>' if p.bullet_color else ""
    out += f'<a:buSzPct val="{round(marker_size(p.bullet) * 100000)}"/>'
    if p.bullet[:-1].isdigit() and p.bullet.endswith("."):
        return out + f'<a:buFont typeface="+mj-lt"/><a:buAutoNum type="{AUTONUM}" startAt="{int(p.bullet[:-1])}"/>'
    return out + f'<a:buFont typeface="{attr(family)}"/><a:buChar char="{attr(p.bullet)}"/>'


def _face_pieces(piece: str, role: str, fonts: Fonts | None) -> list[tuple[str, str | None]]:
    """*piece* as (text, fallback family or None for the role's face), one per drawing face."""
    if not piece:
        return []
    if fonts is None or is_plain(piece):     # split_faces's own first test, without hashing its key
        return [(piece, None)]
    return [(fp.text, fp.face.family if fp.script else None)
            for fp in split_faces(piece, getattr(fonts, role), fonts.fallback)]


def _rpr(tag: str, r: Run, p: Para, lang: str, families: dict[str, str], rid: str | None,
         fallback: str | None = None) -> str:
    return run_properties(tag, size=p.size, lang=lang, family=families[r.role], bold=r.bold, italic=r.italic,
                          underline=r.underline, strike=r.strike, baseline=r.baseline, color=r.color or p.color,
                          highlight=r.highlight, link_rid=rid, fallback=fallback)


def _is_url(link: str) -> bool:
    """Only web and mail links become hyperlinks: a relative path (another note, a Jekyll
    `post_url` slug) points nowhere from a deck, so its text stays plain."""
    return link.split(":", 1)[0].lower() in ("http", "https", "mailto", "ftp") and ":" in link
