"""Front matter read with bounds, loosely when it is not strict YAML, and validated."""
from __future__ import annotations

import time

import pytest

from deckgen.diagnostics import BuildError, Diagnostics
from deckgen.read import frontmatter
from deckgen.read.meta import meta_from


def split(text: str) -> tuple[frontmatter.FrontMatter, list[tuple[str, int]]]:
    diags = Diagnostics()
    fm = frontmatter.split(text, "n.md", diags)
    return fm, [(d.code, d.source.line) for d in diags.items]


def test_alias_bomb_fails_fast() -> None:
    bomb = "".join(f"k{i}: &a{i} [" + ",".join([f"*a{i - 1}" if i else '"lol"'] * 9) + "]\n" for i in range(10))
    start = time.perf_counter()
    with pytest.raises(BuildError, match="alias"):
        frontmatter.split(f"---\n{bomb}---\nbody\n", "n.md", Diagnostics())
    assert time.perf_counter() - start < 0.5


def test_too_many_aliases_and_too_large() -> None:
    with pytest.raises(BuildError, match="more than 100 aliases"):
        frontmatter.split("---\na: &a x\nb: [" + ",".join(["*a"] * 101) + "]\n---\n", "n.md", Diagnostics())
    with pytest.raises(BuildError, match="larger than 64 KiB") as e:
        frontmatter.split("---\nt: " + "가" * 30_000 + "\n---\n", "n.md", Diagnostics())
    assert e.value.code == "front-matter" and e.value.source.line == 2


def test_a_few_aliases_are_fine() -> None:
    fm, diags = split("---\nbase: &b {x: 1}\nother: *b\ntitle: 제목\n---\n본문\n")
    assert fm.data["other"] == {"x": 1} and fm.body == "본문\n" and fm.offset == 5 and not diags


def test_marp_style_import_is_read_loosely() -> None:
    fm, diags = split("---\nmarp: true\nstyle: @import url('x.css');\ntitle: \"마프\"\n---\n# 하나\n")
    assert fm.data == {"marp": True, "style": "@import url('x.css');", "title": "마프"}
    assert diags == [("front-matter-loose", 3)] and fm.lines["title"] == 4


def test_unclosed_front_matter_that_is_key_value_lines() -> None:
    fm, diags = split("---\ntitle: 제목\nauthor: 김\n\n# 본문\n\n문장\n")
    assert fm.data == {"title": "제목", "author": "김"} and fm.body == "\n# 본문\n\n문장\n" and fm.offset == 3
    assert diags == [("front-matter-unclosed", 1)]


def test_unclosed_front_matter_that_is_prose_stays_body() -> None:
    text = "---\n이것은 그냥 문장입니다.\n\n# 본문\n"
    fm, diags = split(text)
    assert fm.data == {} and fm.body == text and fm.offset == 0 and diags == [("front-matter-unclosed", 1)]


@pytest.mark.parametrize("text, data, body_starts", [
    # never closed; a rule further down is not its end: the HTML and the text after the blank line stay
    ("---\ntitle: 가나\n\n<details><summary>다라</summary>\n\n가가\n\n</details>\n\n---\n\n끝\n",
     {"title": "가나"}, "\n<details>"),
    ("---\n이것은 문장: 아니다\n\n본문 {{ x }}\n---\n", {}, "---\n이것은"),
])
def test_a_later_rule_does_not_close_front_matter_over_note_text(text, data, body_starts) -> None:
    fm, diags = split(text)
    assert fm.data == data and fm.body.startswith(body_starts)
    assert text.endswith(fm.body) and fm.offset == text[:len(text) - len(fm.body)].count("\n")
    assert diags == [("front-matter-unclosed", 1)]


def test_valid_yaml_with_a_comment_after_a_blank_line_is_still_front_matter() -> None:
    fm, diags = split("---\ntitle: 제목\n\n# 메모\n---\n본문\n")
    assert fm.data == {"title": "제목"} and fm.body == "본문\n"


def test_control_characters_and_surrogates_removed() -> None:
    fm, diags = split('---\ntitle: "제목\\e[31m"\nauthor: "a\\uD800b"\n---\n')
    assert fm.data == {"title": "제목[31m", "author": "ab"}
    assert diags == [("control-character", 2), ("control-character", 3)]


@pytest.mark.parametrize("fm, field, value, code, line", [
    ({"lang": 42}, "lang", "ko-KR", "front-matter", 5),
    ({"lang": "en"}, "lang", "en", None, None),
    ({"lang": "ko KR!"}, "lang", "ko-KR", "front-matter", 5),
    ({"lang": "en_US"}, "lang", "en-US", "front-matter", 5),
    ({"title": {"ko": "가", "en": "B"}}, "title", "가 / B", "front-matter", 5),
    ({"author": ["김", "이"]}, "author", "김, 이", None, None),
    ({"author": {"name": "김"}}, "author", "김", None, None),
    ({"tittle": "x"}, "title", "", "front-matter-key", 5),
    ({"slide_level": True}, "slide_level", None, "front-matter", 5),
])
def test_meta_validation(fm, field, value, code, line) -> None:
    diags = Diagnostics()
    meta = meta_from(fm, diags, "n.md", {k: 5 for k in fm})
    assert getattr(meta, field) == value
    assert [(d.code, d.source.line) for d in diags.items] == ([(code, line)] if code else [])
    assert not any("{'" in d.message for d in diags.items if field == "title")


@pytest.mark.parametrize("yaml_text", ["a: &a [*a]\ntitle: x", "b: &b {k: *b}\ntitle: x"])
def test_recursive_aliases_are_refused(yaml_text: str) -> None:
    with pytest.raises(BuildError, match="recursive alias"):
        frontmatter.split(f"---\n{yaml_text}\n---\n", "n.md", Diagnostics())


@pytest.mark.parametrize("yaml_text, title", [
    ("date: 2024-13-45\ntitle: 제목", "제목"),              # the date constructor raises ValueError
    ("title: !!omap [a: 1, b: 2]", "a, 1, b, 2"),
    ("title: !!set {나, 가}", "가, 나"),
    ("title: !!binary AAAA", ""),
])
def test_odd_yaml_values_give_text_not_reprs(yaml_text: str, title: str) -> None:
    diags = Diagnostics()
    fm = frontmatter.split(f"---\n{yaml_text}\n---\n", "n.md", diags)
    assert meta_from(fm.data, diags, "n.md", fm.lines).title == title
    assert all("(" not in d.message or "YAML" in d.message for d in diags.items)


@pytest.mark.parametrize("text, warned", [
    ("---\ntitle: x\n\n# 본문\n\n---\n\n# 다음\n", True),        # closing --- forgotten; a slide break closed it
    ("---\nlayout: post\n\n# SEO\ndescription: y\n---\n", False),  # a real YAML comment before more keys
])
def test_heading_like_comments_in_front_matter_warn(text: str, warned: bool) -> None:
    fm, diags = split(text)
    assert (("front-matter-comment", 4) in diags) is warned
