"""What real Jekyll, pandoc and Marp notes write that used to reach the outputs as syntax."""
from __future__ import annotations

from pathlib import Path

from deckgen.diagnostics import Diagnostics
from deckgen.model import Heading, Image, Rule, Table, plain_text, walk_blocks
from deckgen.read.parse import parse_note

from test_dialects import parse, texts


def test_pandoc_attributes_on_images_and_links_are_consumed(tmp_path: Path) -> None:
    (tmp_path / "pic.png").write_bytes(b"")
    blocks, _ = parse(tmp_path, "![하나](pic.png){width=50%}\n\n![둘](pic.png){ height=40% .wide }\n\n"
                                "[링크](https://example.com){target=\"_blank\"} 뒤 문장\n")
    images = [b for b in walk_blocks(tuple(blocks)) if isinstance(b, Image)]
    assert [(i.width, i.height) for i in images] == [("50%", None), (None, "40%")]
    joined = " ".join(texts(blocks))
    assert "{" not in joined and "뒤 문장" in joined


def test_kramdown_ials_still_work_next_to_pandoc_attributes(tmp_path: Path) -> None:
    (tmp_path / "pic.png").write_bytes(b"")
    blocks, _ = parse(tmp_path, "![그림](pic.png){: width=\"30%\"}{height=20%}\n")
    image = next(b for b in walk_blocks(tuple(blocks)) if isinstance(b, Image))
    assert (image.width, image.height) == ("30%", "20%")


def test_html_in_front_matter_values_is_rendered(tmp_path: Path) -> None:
    note = tmp_path / "n.md"
    note.write_text('---\ntitle: "<b>굵은</b> 제목 &amp; 부제"\nsubtitle: "첫 줄<br>둘째 줄"\n---\n본문\n',
                    encoding="utf-8")
    doc = parse_note(note, Diagnostics(), root=tmp_path)
    assert doc.meta.title == "굵은 제목 & 부제"
    assert doc.meta.subtitle == "첫 줄\n둘째 줄"


def test_kramdown_lenient_delimiter_row_makes_a_table(tmp_path: Path) -> None:
    blocks, diags = parse(tmp_path, "앞 문단\n\n| 이름 | 값 |\n|:---:||---:|\n| 가 | 1 |\n| 나 | 2 |\n")
    table = next(b for b in blocks if isinstance(b, Table))
    assert [plain_text(c.spans) for c in table.header] == ["이름", "값"]
    assert [c.align for c in table.header] == ["center", "right"]
    assert len(table.rows) == 2
    assert [d.source.line for d in diags.items if d.code == "table-delimiter"] == [4]


def test_delimiter_like_lines_in_code_are_left_alone(tmp_path: Path) -> None:
    blocks, _ = parse(tmp_path, "```\n| a | b |\n|:---:||:---:|\n```\n")
    assert not any(isinstance(b, Table) for b in blocks)


def test_raw_html_lines_and_markdown_keep_source_order(tmp_path: Path) -> None:
    text = ("<center><H1>가운데 제목</H1></center>\n- - -\n<H2>두 번째 절</H2>\n본문 하나.\n\n"
            "<center><h1>셋째</h1></center>\n<br>\n<H2>넷째 절</H2>\n본문 둘.\n")
    blocks, _ = parse(tmp_path, text)
    kinds = [(type(b).__name__, plain_text(b.spans) if hasattr(b, "spans") else "")
             for b in walk_blocks(tuple(blocks)) if isinstance(b, (Heading, Rule)) or type(b).__name__ == "Paragraph"]
    order = [k for k in kinds if k[1] or k[0] == "Rule"]
    assert order == [("Heading", "가운데 제목"), ("Rule", ""), ("Heading", "두 번째 절"), ("Paragraph", "본문 하나."),
                     ("Heading", "셋째"), ("Heading", "넷째 절"), ("Paragraph", "본문 둘.")]
    heading = next(b for b in walk_blocks(tuple(blocks)) if isinstance(b, Heading) and b.level == 2)
    assert heading.source.line == 3


def test_an_html_block_that_is_html_throughout_is_unchanged(tmp_path: Path) -> None:
    blocks, _ = parse(tmp_path, "<div>\n<p>하나</p>\n<p>둘</p>\n</div>\n")
    assert "하나" in " ".join(texts(blocks)) and "둘" in " ".join(texts(blocks))


def test_html_lines_after_a_heading_element_are_kept(tmp_path: Path) -> None:
    """A Jekyll post's cover: one element per line; everything after the <h1> used to be lost."""
    text = ('<center><h1>동적 계획법</h1></center>\n<br>\n'
            '<center><span style="color:gray">스터디 4주차 발표 자료</span></center>\n\n본문\n')
    blocks, _ = parse(tmp_path, text)
    got = [(type(b).__name__, plain_text(b.spans), b.source.line) for b in blocks]
    assert got == [("Heading", "동적 계획법", 1), ("Paragraph", "스터디 4주차 발표 자료", 3), ("Paragraph", "본문", 5)]
    assert blocks[1].align == "center"
