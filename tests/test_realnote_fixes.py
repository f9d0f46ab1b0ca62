"""What the real-notes corpus (tests/test_realnotes.py) found, one small case each: pandoc
(beamer, reveal.js, Quarto) syntax GFM shows as text (heading attributes, divs other than
notes/columns, bracketed spans, table captions, grid tables), Markdown in metadata, accents in
inline math, aligned display math, and the last line of a console session."""
from __future__ import annotations

from pathlib import Path

import pytest

from deckgen.diagnostics import Diagnostics
from deckgen.layout.runs import code_lines
from deckgen.model import Callout, Heading, Image, Paragraph, Table, plain_text, walk_blocks
from deckgen.read.parse import parse_note
from deckgen.render.mathruns import tex_to_runs
from deckgen.render.tex import render_math_svg, tex_to_text

from test_dialects import parse, texts


@pytest.mark.parametrize("line,title,anchor", [
    ("## 지난 시간 복습 {.smaller}", "지난 시간 복습", "지난-시간-복습"),
    ('## 컨테이너란? {background-color="#eef6ff"}', "컨테이너란?", "컨테이너란"),
    ('# 도커 {background-image="img/d.png" background-size="contain"}', "도커", "도커"),
    ("## 정리 {#sec:summary .unnumbered}", "정리", "sec:summary"),
    ("## 집합 {a, b}", "집합 {a, b}", None),
])
def test_heading_attributes_are_consumed(tmp_path: Path, line: str, title: str, anchor: str | None) -> None:
    blocks, _ = parse(tmp_path, line + "\n\n본문\n")
    heading = next(b for b in blocks if isinstance(b, Heading))
    assert plain_text(heading.spans) == title
    if anchor:
        assert heading.anchor == anchor


def test_other_divs_show_their_content_in_place(tmp_path: Path) -> None:
    text = ("::: incremental\n- 하나\n- 둘\n:::\n\n::: {.fragment}\n문단\n:::\n\n"
            ":::: {.r-stack}\n::: {.callout-tip title=\"팁\"}\n내용\n:::\n::::\n")
    blocks, _ = parse(tmp_path, text)
    joined = " ".join(texts(blocks))
    assert "하나" in joined and "둘" in joined and "문단" in joined
    callout = next(b for b in walk_blocks(tuple(blocks)) if isinstance(b, Callout))
    assert (callout.kind, plain_text(callout.title)) == ("tip", "팁")
    assert ":::" not in joined and "{." not in joined


def test_bracketed_spans_keep_their_text(tmp_path: Path) -> None:
    blocks, _ = parse(tmp_path, "[PID 1]{.fragment .highlight-red}이 핵심, [작게]{.smallcaps}, "
                                "[링크](https://example.com){target=_blank}, `[x]{.y}`\n")
    joined = "".join(texts(blocks))
    assert joined == "PID 1이 핵심, 작게, 링크, "
    code = [s.text for b in blocks for s in getattr(b, "spans", ()) if s.code]
    assert code == ["[x]{.y}"]


def test_table_captions_before_and_after_a_table(tmp_path: Path) -> None:
    text = ("## 데이터\n\n: 표본 (단위: 억 원)\n\n| 면적 | 가격 |\n|---:|---:|\n| 59 | 7.2 |\n\n"
            ": 세 가지 형태 {#tbl:gd}\n\n용어\n: 정의\n")
    blocks, _ = parse(tmp_path, text)
    kinds = [(type(b).__name__, plain_text(b.spans) if isinstance(b, (Heading, Paragraph)) else "")
             for b in blocks]
    assert kinds[:4] == [("Heading", "데이터"), ("Paragraph", "표본 (단위: 억 원)"), ("Table", ""),
                         ("Paragraph", "세 가지 형태")]
    assert "정의" in " ".join(texts(blocks)) and not any("{#" in t for t in texts(blocks))


def test_grid_table_becomes_a_table_and_keeps_line_numbers(tmp_path: Path) -> None:
    text = ("+---------+----------------+\n| 이름    | 효과           |\n+:=======:+================+\n"
            "| 릿지    | 고르게 축소    |\n+---------+----------------+\n| 라소    | 일부를 0으로   |\n"
            "|         | (특징 선택)    |\n+---------+----------------+\n\n뒤 문단\n")
    blocks, diags = parse(tmp_path, text)
    table = next(b for b in blocks if isinstance(b, Table))
    assert [plain_text(c.spans) for c in table.header] == ["이름", "효과"]
    assert [[plain_text(c.spans) for c in r] for r in table.rows] == [["릿지", "고르게 축소"],
                                                                       ["라소", "일부를 0으로 (특징 선택)"]]
    assert table.header[0].align == "center"
    after = next(b for b in blocks if isinstance(b, Paragraph))
    assert after.source.line == 10
    assert [d.source.line for d in diags.items if d.code == "grid-table"] == [1]


def test_markdown_in_metadata_values_is_its_text(tmp_path: Path) -> None:
    note = tmp_path / "n.md"
    note.write_text('---\ntitle: "기계학습<br>4강"\nsubtitle: "**최소제곱법**에서 *경사 하강법*까지"\n'
                    'author: "`kubectl` 담당 [김교수](https://x.y)"\n---\n본문 5 * 3 * 2\n', encoding="utf-8")
    meta = parse_note(note, Diagnostics(), root=tmp_path).meta
    assert (meta.title, meta.subtitle, meta.author) == ("기계학습\n4강", "최소제곱법에서 경사 하강법까지",
                                                        "kubectl 담당 김교수")


@pytest.mark.parametrize("tex,runs,text", [
    (r"\hat{y}_i", [("\u0177", 0), ("i", -1)], "\u0177\u1d62"),                 # ŷ (one character)
    (r"\bar{W}", [("W\u0304", 0)], "W\u0304"),
    (r"\vec{v}", [("v\u20d7", 0)], "v\u20d7"),
    (r"\overline{AB}", [("A\u0305B\u0305", 0)], "A\u0305B\u0305"),
])
def test_accents_are_combining_marks_not_carets(tex: str, runs: list, text: str) -> None:
    assert [(r.text, r.baseline) for r in tex_to_runs(tex)] == runs
    assert tex_to_text(tex) == text


def test_aligned_display_math_is_drawn() -> None:
    """latex2mathml writes `aligned`'s column mark as a bare `&`: it used to crash the note."""
    svg = render_math_svg(r"\begin{aligned} a &= b \\ c &= d \end{aligned}", 24)
    assert "<svg" in svg and "<path" in svg


@pytest.mark.parametrize("language", ["console", "pycon", "bash", ""])
def test_the_last_line_of_a_code_block_is_kept(language: str) -> None:
    """Pygments' session lexers dropped a last output line without a newline (a deck lost
    "This message shows that your installation appears to be working correctly.")."""
    code = "$ docker run --rm hello-world\nHello from Docker!\nThis message shows that it works."
    lines = code_lines(code, language, "default", "000000")
    assert ["".join(r.text for r in line) for line in lines] == code.split("\n")


def test_marp_image_keywords_size_the_picture_and_leave_the_alt(tmp_path: Path) -> None:
    (tmp_path / "a.png").write_bytes(b"")
    text = "---\nmarp: true\n---\n\n![w:420 h:260](a.png)\n\n![구조도 width:300px sepia](a.png)\n\n![w:500](gone.png)\n"
    blocks, diags = parse(tmp_path, text)
    images = [b for b in walk_blocks(tuple(blocks)) if isinstance(b, Image)]
    assert [(i.alt, i.width, i.height) for i in images] == [("", "420", "260"), ("구조도", "300px", None),
                                                              ("", "500", None)]
    assert [d.message for d in diags.items if d.code == "image-missing"] == [
        "image not found: gone.png; drawing a placeholder"]
