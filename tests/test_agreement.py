"""Predicted lines equal WeasyPrint's line boxes for the same width and font.

The measurer (Pillow, fonts loaded at 1000 units/em) must break Korean,
English and mixed text exactly where WeasyPrint/Pango does when Korean words
are kept whole (nowrap spans, as the handout does).
"""
from __future__ import annotations

import html
import re

import pytest

from deckgen.layout.measure import Measurer, Piece

TEXTS = {
    "korean": "가상화는 한 대의 시스템 하드웨어를 논리적으로 분할하여 가상의 시스템을 생성하고 활용하는 개념이다. "
              "가상 시스템들은 서로 독립적인 하나의 시스템으로 인지되기 때문에 주어진 하드웨어 리소스를 효율적으로 "
              "사용할 수 있으며 하이퍼바이저가 둘 사이의 괴리를 조정한다.",
    "english": "A hypervisor sits between the guest operating systems and the physical hardware and divides "
               "processors, memory and devices among virtual machines so that each of them believes it owns "
               "a whole computer of its own.",
    "mixed": "Host OS 위에 설치된 Hypervisor 위에서 동작하는 Guest OS 를 주어진 하드웨어 리소스 범위 내에서 "
             "무한히 생성 및 삭제할 수 있다. KVM 과 VMware ESXi 는 Type 1, VirtualBox 는 Type 2 로 분류한다.",
}
WIDTHS = [180.0, 260.0, 333.0, 420.0, 555.0]


def weasy_lines(text: str, font_path: str, size: float, width: float) -> list[str]:
    from weasyprint import HTML
    from weasyprint.formatting_structure import boxes

    words = []
    for w in text.split(" "):
        e = html.escape(w)
        words.append(f'<span style="white-space:nowrap">{e}</span>' if re.search("[가-힣]", w) else e)
    page = f"""<html><head><style>
      @font-face {{ font-family: probe; src: url("file://{font_path}"); }}
      @page {{ size: 2000pt 2000pt; margin: 0 }}
      body {{ margin: 0 }}
      div {{ font-family: probe; font-size: {size}pt; line-height: 1.25; width: {width}pt }}
    </style></head><body><div>{' '.join(words)}</div></body></html>"""
    doc = HTML(string=page).render()
    lines = []

    def walk(box):
        if isinstance(box, boxes.LineBox):
            lines.append("".join(t.text for t in box.descendants() if isinstance(t, boxes.TextBox)).strip())
            return
        for child in getattr(box, "children", []):
            walk(child)

    walk(doc.pages[0]._page_box)
    return lines


@pytest.mark.parametrize("kind", sorted(TEXTS))
@pytest.mark.parametrize("width", WIDTHS)
def test_predicted_lines_match_weasyprint(theme, kind: str, width: float) -> None:
    f = theme.fonts
    exact = Measurer(f.heading, f.body, f.mono, slack=1.0)
    predicted = exact.wrap([Piece(TEXTS[kind])], 20.0, width)
    assert predicted == weasy_lines(TEXTS[kind], f.body.regular.path, 20.0, width)


def test_slack_only_ever_adds_lines(theme) -> None:
    """The deck measures against 97 % of the width: never fewer lines than exact."""
    f = theme.fonts
    exact = Measurer(f.heading, f.body, f.mono, slack=1.0)
    slack = Measurer(f.heading, f.body, f.mono, slack=0.97)
    for text in TEXTS.values():
        for width in WIDTHS:
            assert len(slack.wrap([Piece(text)], 20.0, width)) >= len(exact.wrap([Piece(text)], 20.0, width))


def test_long_word_breaks_by_character(theme) -> None:
    f = theme.fonts
    m = Measurer(f.heading, f.body, f.mono, slack=1.0)
    url = "https://carefreelife98.github.io/cloud/virtualization/hypervisor/very/long/path/index.html"
    lines = m.wrap([Piece("주소: " + url)], 20.0, 300.0)
    assert "".join(lines).replace(" ", "") == ("주소:" + url)
    assert len(lines) >= 3 and all(m.width(line, "body", False, 20.0) <= 300.0 for line in lines)


def test_korean_never_breaks_inside_a_word(theme) -> None:
    f = theme.fonts
    m = Measurer(f.heading, f.body, f.mono, slack=0.97)
    words = set(TEXTS["korean"].split(" "))
    for width in WIDTHS:
        for line in m.wrap([Piece(TEXTS["korean"])], 24.0, width):
            assert set(line.split(" ")) <= words
