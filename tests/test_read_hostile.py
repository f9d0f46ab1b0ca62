"""Hostile input to the read stage: focused tests, one per issue-10 fix (the CLI rows are in tests/hostile/)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from deckgen.diagnostics import Diagnostic, Diagnostics, SourceSpan
from deckgen.model import Document
from deckgen.read.parse import parse_note


def parse(tmp_path: Path, body: str, name: str = "n.md") -> tuple[Document, list[tuple[str, int]]]:
    note = tmp_path / name
    note.write_text(body, encoding="utf-8")
    diags = Diagnostics()
    doc = parse_note(note, diags, root=tmp_path)
    return doc, [(d.code, d.source.line) for d in diags.items if d.severity != "info"]


NESTED = [
    ("".join("  " * i + f"- 단{i}\n" for i in range(14)) + "\n끝문장\n", "nesting-flattened", 9),
    ("".join("\t" * i + f"- 단{i}\n" for i in range(30)) + "\n끝문장\n", "nesting-flattened", 9),
    ("".join(">" * (i + 1) + f" 단{i}\n" for i in range(25)) + "\n끝문장\n", "nesting-flattened", 9),
    ("> - " * 60 + "단0\n\n끝문장\n", "nesting-flattened", 1),
    ("1. > " * 60 + "단0\n\n끝문장\n", "nesting-flattened", 1),
    ("".join("  " * i + f"> - 단{i}\n" for i in range(40)) + "\n끝문장\n", None, None),
    ("**" * 500 + "단0" + "**" * 500 + "\n\n끝문장\n", "nesting-flattened", 1),
    ("<b><i>" * 300 + "단0" + "</i></b>" * 300 + "\n\n끝문장\n", None, None),   # a style stack, no tree
]


@pytest.mark.parametrize("body, code, line", NESTED)
def test_deep_nesting_keeps_every_word(tmp_path: Path, body: str, code: str | None, line: int | None) -> None:
    doc, diags = parse(tmp_path, body)
    text = repr(doc.blocks)
    words = re.findall(r"단\d+", body)
    assert all(w in text for w in words), [w for w in words if w not in text]
    assert "끝문장" in text
    if code:
        assert diags[0] == (code, line)


def test_refused_schemes_become_placeholders_and_plain_links(tmp_path: Path) -> None:
    body = "![비밀](file:///etc/passwd)\n\n[누르기](javascript:alert(1)) 와 [좋은](https://example.com)\n"
    doc, diags = parse(tmp_path, body)
    image, para = doc.blocks
    assert image.path is None and image.alt == "비밀"
    assert [(s.text.strip(), s.link) for s in para.spans] == [("누르기 와", None), ("좋은", "https://example.com")]
    assert ("image-refused", 1) in diags and ("link-refused", 3) in diags


@pytest.mark.parametrize("ref, code", [
    ("가" * 90 + ".png", "image-missing"),                 # one name over 255 bytes
    ("/".join(["나" * 80] * 20) + "/x.png", "image-unreadable"),   # a path over PATH_MAX
])
def test_image_names_too_long_are_placeholders(tmp_path: Path, ref: str, code: str) -> None:
    doc, diags = parse(tmp_path, f"![그림]({ref})\n\n<img src=\"{ref}\" alt=\"태그\">\n")
    assert [b.path for b in doc.blocks] == [None, None]
    assert diags == [(code, 1), (code, 3)]


def test_measurement_never_sees_line_breaks_or_controls(measurer) -> None:
    """raqm fails on a line-break piece (`<br>` in a table cell); every break starts a new line."""
    from deckgen.layout.measure import Piece
    one = measurer.text_width([Piece("목록을 보여")], 20)
    for ch in [chr(c) for c in range(0x20)] + ["\x7f", "\x85", "\u2028", "\u2029", "\ud800"]:
        pieces = [Piece(f"목록을 보여{ch}줍니다"), Piece("끝", bold=True)]
        assert measurer.text_width(pieces, 20) > 0
        assert len(measurer.wrap(pieces, 20, 400)) >= 1
    broken = measurer.text_width([Piece("목록을 보여\n줍니다")], 20)
    assert abs(broken - one) < 0.01          # the widest line, not both lines side by side


@pytest.mark.parametrize("body, kept", [
    ("$$ a^{{n}} + b_{{i}} $$\n", "a^{{n}} + b_{{i}}"),
    ("인라인 $x^{{2}}$ 수식\n", "x^{{2}}"),
    ("\\[ c^{{k}} \\]\n", "c^{{k}}"),
    ("\\( d^{{k}} \\) 와\n", "d^{{k}}"),
])
def test_liquid_leaves_math_alone(tmp_path: Path, body: str, kept: str) -> None:
    doc, diags = parse(tmp_path, body)
    assert kept in repr(doc.blocks) and not [d for d in diags if d[0] == "liquid"]


def test_liquid_still_runs_between_prices_and_after_an_unpaired_dollar(tmp_path: Path) -> None:
    doc, diags = parse(tmp_path, "가격 $5 와 {{ page.x }} 그리고 $10\n\n$$ 열림\n\n{{ page.y }} 끝\n")
    assert "page.x" not in repr(doc.blocks) and "page.y" not in repr(doc.blocks)
    assert [d for d in diags if d[0] == "liquid"] == [("liquid", 1), ("liquid", 5)]


@pytest.mark.parametrize("flood, code", [
    ("[" * 30000, "brackets-as-text"),
    ("![" * 20000, "brackets-as-text"),
    ("\\(" * 20000, "brackets-as-text"),
    ("\\[\n" * 5000, "brackets-as-text"),
    ("\\[\n\n" * 3000, None),              # one opener per paragraph: the math rule fails fast instead
])
def test_bracket_floods_parse_in_linear_time(tmp_path: Path, flood: str, code: str | None) -> None:
    import time
    start = time.perf_counter()
    doc, diags = parse(tmp_path, "# 제목\n\n" + flood + "\n\n끝문장\n")
    assert time.perf_counter() - start < 8          # quadratic: 15-40 s for these before
    assert "끝문장" in repr(doc.blocks)
    assert ((code, 3) in diags) if code else not diags


def test_brackets_below_the_flood_limit_still_make_links_and_math(tmp_path: Path) -> None:
    doc, _ = parse(tmp_path, "[링크](https://x.org) 와 \\(x^2\\) 그리고 " + "[" * 500 + "\n\n\\[\ny\n\\]\n")
    para, math = doc.blocks
    assert any(s.link == "https://x.org" for s in para.spans) and any(s.math for s in para.spans)
    assert type(math).__name__ == "Math"


@pytest.mark.parametrize("flood", [
    "{% " * 20000, "{{ " * 20000, "{: " * 20000, "==a " * 20000, "{::comment}" * 10000,
    "{% highlight py %}\n" * 3000,
])
def test_dialect_floods_stay_linear(tmp_path: Path, flood: str) -> None:
    """Unclosed Liquid tags, kramdown IALs and extensions, Obsidian marks: 65-200 s each before."""
    import time
    start = time.perf_counter()
    doc, _ = parse(tmp_path, "# 제목\n\n" + flood + "\n\n끝문장\n")
    assert time.perf_counter() - start < 10 and "끝문장" in repr(doc.blocks)


def test_marks_and_kramdown_extensions_still_work(tmp_path: Path) -> None:
    doc, _ = parse(tmp_path, "==형광== 과 == 아님== 그리고 {::comment}숨김{:/comment} 보임\n\n"
                             "{% highlight python %}\nx = 1\n{% endhighlight %}\n")
    para, code = doc.blocks
    assert [s.text for s in para.spans if s.highlight] == ["형광"] and "숨김" not in repr(para)
    assert code.code == "x = 1" and code.language == "python"


def test_an_unclosed_html_comment_is_named(tmp_path: Path) -> None:
    doc, diags = parse(tmp_path, "# 제목\n\n본문\n\n<!-- 메모 시작\n\n숨은 문장\n")
    assert ("html-comment-unclosed", 5) in diags and "숨은" not in repr(doc.blocks)


@pytest.mark.parametrize("message, shown", [
    ("no glyph for (\x9b31m, \x1b[2J)", "no glyph for (<U+009B>31m, <U+001B>[2J)"),
    ("alt \x07bell\x7f", "alt <U+0007>bell<U+007F>"),
    ("two lines\n\tkept", "two lines\n\tkept"),
])
def test_messages_never_carry_terminal_controls(message, shown):
    """A message quoting a note's control characters prints them spelled out (a C1 CSI from a
    note reached the terminal in the handout's missing-glyph warning)."""
    assert Diagnostic("warning", "x", message, SourceSpan("n.md", 3)).format() == f"n.md:3: warning: {shown} [x]"
