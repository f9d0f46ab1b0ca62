"""Which characters each embedded face must carry, read from the runs of a deck's slides and
notes: runs grouped by the faces their properties name, theme references (+mn-lt) skipped,
East Asian characters to a:ea, non-ASCII symbols also to a:sym, bold kept apart."""
from __future__ import annotations

from pptx import Presentation
from pptx.oxml import parse_xml

from deckgen.backends.pptx.drawingml import NAMESPACES
from deckgen.backends.pptx.fontembed import collect_usage

RUNS = [  # (run properties, text)
    ('<a:latin typeface="Lat"/><a:ea typeface="Kor"/>', "Ab 가"),
    ('<a:latin typeface="Lat"/><a:ea typeface="Kor"/>', "b나"),                 # same faces: one group
    ('<a:latin typeface="Lat"/><a:ea typeface="Kor"/><a:sym typeface="Sym"/>', "→x"),
    ('<a:latin typeface="+mn-lt"/><a:ea typeface="Kor"/>', "Z다"),            # theme font: a:ea for both
    ('<a:latin typeface="+mn-lt"/><a:latin typeface="Lat"/>', "Q"),            # first a:latin counts: none
    ('<a:ea typeface="Kor"/>', "k"),
]
BOLD = ('<a:latin typeface="Lat"/><a:ea typeface="Kor"/>', "B라")


def _slide(runs: list[tuple[str, str]], bold: tuple[str, str]) -> str:
    paras = "".join(f'<a:r><a:rPr lang="ko-KR">{rpr}</a:rPr><a:t>{text}</a:t></a:r>' for rpr, text in runs)
    paras += f'<a:fld id="{{1}}" type="slidenum"><a:rPr b="1">{bold[0]}</a:rPr><a:t>{bold[1]}</a:t></a:fld>'
    bullet = '<a:pPr><a:buFont typeface="Bul"/><a:buChar char="◦"/></a:pPr>'
    return (f'<p:sld {NAMESPACES}><p:cSld><p:spTree><p:sp><p:txBody><a:bodyPr/><a:p>{bullet}{paras}</a:p>'
            '<a:p><a:r><a:t>no properties</a:t></a:r></a:p></p:txBody></p:sp></p:spTree></p:cSld></p:sld>')


def test_usage_groups_runs_by_their_faces() -> None:
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    slide.part._element = parse_xml(_slide(RUNS, BOLD))
    usage = {key: "".join(sorted(chars)) for key, chars in collect_usage(prs.part.package).items()}
    assert usage == {
        ("Lat", False): " Abx→", ("Sym", False): "→", ("Kor", False): "Zk가나다",
        ("Lat", True): "B", ("Kor", True): "라", ("Bul", False): "◦"}
