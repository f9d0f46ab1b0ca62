"""Focused tests of the dialect pre-passes and plugins (Liquid, Obsidian/GitHub, kramdown
extensions) and of text hygiene.  The model goldens cover the same constructs end to end."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from deckgen.diagnostics import BuildError, Diagnostics
from deckgen.read.dialects.obsidian import wiki_text
from deckgen.read.dialects.textpass import Ranges, apply_edits, code_ranges
from deckgen.model import (BulletList, Callout, CodeBlock, Image, Paragraph, Quote, Table, plain_text,
                           to_data, walk_blocks)
from deckgen.read.parse import parse_note

from conftest import FIXTURES

LEAKS = ("{:", "{%", "{{", "[!NOTE]", "[!note]", "[[", "&nbsp;", "%%")


def parse(tmp_path: Path, text: str | bytes, name: str = "note.md") -> tuple[list, Diagnostics]:
    note = tmp_path / name
    note.parent.mkdir(parents=True, exist_ok=True)
    note.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    diags = Diagnostics()
    doc = parse_note(note, diags, display=name, root=tmp_path)
    return list(doc.blocks), diags


def texts(blocks) -> list[str]:
    """Every piece of prose text in the model (code blocks and inline code excluded)."""
    out = []
    for b in walk_blocks(tuple(blocks)):
        for spans in (getattr(b, "spans", ()), getattr(b, "title", ()), getattr(b, "caption", ())):
            out += [s.text for s in spans if not s.code]
    return out


def warnings(diags: Diagnostics) -> list[str]:
    return [d.format() for d in diags.items if d.severity == "warning"]


# ------------------------------------------------------------------ helpers
def test_apply_edits_keeps_line_count() -> None:
    text = "a\n{% x\ny %}\nb\n"
    out = apply_edits(text, [(2, 10, "")])
    assert out.count("\n") == text.count("\n") and out.endswith("\nb\n")


def test_ranges_merge_overlaps() -> None:
    r = Ranges([(0, 100), (10, 20)])
    assert r.contains(50) and not r.contains(100)


def test_code_ranges_cover_fences_and_spans() -> None:
    text = "x `{{ a }}` y\n\n```\n{{ b }}\n```\n"
    ranges = Ranges(code_ranges(text))
    assert ranges.contains(text.index("{{ a")) and ranges.contains(text.index("{{ b"))
    assert not ranges.contains(0)


@pytest.mark.parametrize("name", ["liquid", "obsidian", "kramdown_ext", "jekyll"])
def test_fixtures_leak_no_markup(name: str) -> None:
    diags = Diagnostics()
    doc = parse_note(FIXTURES / "model" / f"{name}.md", diags, root=FIXTURES / "model")
    for t in texts(doc.blocks):
        assert not any(leak in t for leak in LEAKS), t
        assert "==" not in t.replace(" == ", ""), t


# ------------------------------------------------------------------- Liquid
def test_liquid_keeps_lines_and_warns_with_line(tmp_path: Path) -> None:
    blocks, diags = parse(tmp_path, "---\ntitle: t\n---\n{% include a.html %}\n\n"
                                    "{% if x %}\n여러\n줄\n{% endif %}\n\n끝 {{ page.x }}\n")
    last = blocks[-1]
    assert isinstance(last, Paragraph) and plain_text(last.spans) == "끝" and last.source.line == 11
    got = warnings(diags)
    assert got[0].startswith("note.md:4: warning: Liquid {% include a.html %} removed")
    assert any(w.startswith("note.md:6: warning:") for w in got)
    assert any(w.startswith("note.md:11: warning: Liquid output {{ page.x }}") for w in got)


def test_liquid_raw_is_literal_and_highlight_is_code(tmp_path: Path) -> None:
    blocks, diags = parse(tmp_path, "{% raw %}\n본문 {{ x }} 와 {% y %}\n{% endraw %}\n\n"
                                    "{% highlight ruby linenos %}\nputs {{ 1 }}\n{% endhighlight %}\n")
    assert plain_text(blocks[0].spans) == "본문 {{ x }} 와 {% y %}"
    assert blocks[1] == CodeBlock("puts {{ 1 }}", "ruby", blocks[1].source)
    assert blocks[1].source.line == 5
    assert not warnings(diags)


def test_liquid_site_urls_resolve_against_site_root(tmp_path: Path) -> None:
    (tmp_path / "assets").mkdir()
    from PIL import Image as PILImage
    PILImage.new("RGB", (4, 3)).save(tmp_path / "assets" / "a.png")
    blocks, diags = parse(tmp_path, "[a]({{ site.url }}{{ site.baseurl }}/x/) "
                                    "[b]({{ '/y/' | absolute_url }})\n\n"
                                    "![그림]({{ \"/assets/a.png\" | relative_url }})\n")
    assert [s.link for s in blocks[0].spans if s.link] == ["/x/", "/y/"]
    assert isinstance(blocks[1], Image) and blocks[1].src == "/assets/a.png" and blocks[1].path
    assert not warnings(diags)


def test_liquid_in_code_is_code(tmp_path: Path) -> None:
    blocks, diags = parse(tmp_path, "```yaml\nname: \"{{ item }}\"\n```\n")
    assert blocks[0].code == 'name: "{{ item }}"' and not diags.items


# ---------------------------------------------------------------- Obsidian
@pytest.mark.parametrize("marker, kind, title", [
    ("[!note]", "note", "Note"), ("[!tip]", "info", "Tip"), ("[!caution]", "warning", "Caution"),
    ("[!bug]", "danger", "Bug"), ("[!done]", "success", "Done"), ("[!faq]-", "info", "Faq"),
    ("[!quote]+ 인용 제목", "note", "인용 제목"), ("[!WARNING]", "warning", "Warning"),
    ("[!unknown-kind]", "note", "Unknown-kind"),
])
def test_callout_kinds_and_titles(tmp_path: Path, marker: str, kind: str, title: str) -> None:
    blocks, _ = parse(tmp_path, f"> {marker}\n> 본문\n")
    c = blocks[0]
    assert isinstance(c, Callout) and c.kind == kind and plain_text(c.title) == title
    assert [plain_text(b.spans) for b in c.blocks] == ["본문"]
    assert c.blocks[0].source.line == 2


def test_nested_callout_and_plain_quote(tmp_path: Path) -> None:
    blocks, _ = parse(tmp_path, "> [!note] 바깥\n> > [!danger]\n> > 안쪽\n\n> 인용\n")
    outer, quote = blocks
    assert isinstance(outer, Callout) and isinstance(outer.blocks[0], Callout)
    assert outer.blocks[0].kind == "danger" and isinstance(quote, Quote)


@pytest.mark.parametrize("body, shown", [
    ("page", "page"), ("page|별칭", "별칭"), ("page#heading", "page > heading"), ("#개요", "개요"),
    ("folder/note.md", "folder/note"), ("page#^block", "page > block"),
])
def test_wiki_text(body: str, shown: str) -> None:
    assert wiki_text(body) == shown


def test_wiki_links_inside_code_stay(tmp_path: Path) -> None:
    blocks, _ = parse(tmp_path, "[[a|b]] 와 `[[c]]`\n")
    assert [(s.text, s.code) for s in blocks[0].spans] == [("b 와 ", False), ("[[c]]", True)]


def test_highlight(tmp_path: Path) -> None:
    blocks, _ = parse(tmp_path, "앞 ==**굵은** 강조== 뒤, x == y, ==  아님==\n")
    spans = blocks[0].spans
    assert [(s.text, s.bold, s.highlight) for s in spans[:3]] == [
        ("앞 ", False, False), ("굵은", True, True), (" 강조", False, True)]
    assert plain_text(spans).endswith("뒤, x == y, ==  아님==")


def test_comments_removed_keeping_lines(tmp_path: Path) -> None:
    blocks, diags = parse(tmp_path, "가 %%숨김%% 나\n\n%%\n여러 줄\n\n빈 줄 포함\n%%\n끝 #태그\n")
    assert [plain_text(b.spans) for b in blocks] == ["가 나", "끝 #태그"]
    assert blocks[1].source.line == 8
    assert not warnings(diags) and diags.count("info") == 2


def test_embed_found_anywhere_in_vault(tmp_path: Path) -> None:
    from PIL import Image as PILImage
    (tmp_path / "attachments" / "deep").mkdir(parents=True)
    PILImage.new("RGB", (10, 5)).save(tmp_path / "attachments" / "deep" / "그림 1.png")
    blocks, diags = parse(tmp_path, "![[그림 1.png|300]]\n\n![[그림 1.png|200x100]]\n", name="notes/n.md")
    assert [(b.width, b.height) for b in blocks] == [("300", None), ("200", "100")]
    assert blocks[0].path and blocks[0].path.endswith("그림 1.png") and blocks[0].pixel_size == (10, 5)
    assert not diags.items


def test_embed_never_leaves_the_root(tmp_path: Path) -> None:
    from PIL import Image as PILImage
    PILImage.new("RGB", (2, 2)).save(tmp_path / "outside.png")
    root = tmp_path / "vault"
    (root / "n").mkdir(parents=True)
    note = root / "n" / "note.md"
    note.write_text("![[outside.png]]\n", encoding="utf-8")
    diags = Diagnostics()
    doc = parse_note(note, diags, display="note.md", root=root)
    assert doc.blocks[0].path is None and "image-missing" in warnings(diags)[0]


# --------------------------------------------------- kramdown extensions
def test_definition_list(tmp_path: Path) -> None:
    blocks, _ = parse(tmp_path, "용어 *A*\n: 설명 하나\n: 설명 둘\n")
    assert [(plain_text(b.spans), all(s.bold for s in b.spans)) for b in blocks] == [
        ("용어 A", True), ("설명 하나", False), ("설명 둘", False)]


def test_footnotes_become_superscripts_and_a_final_list(tmp_path: Path) -> None:
    blocks, _ = parse(tmp_path, "가[^a] 나^[인라인 각주]\n\n[^a]: 첫 각주\n\n## 다음\n\n본문\n")
    sup = [s.text for s in blocks[0].spans if s.baseline == 1]
    assert sup == ["1", "2"]
    assert plain_text(blocks[-2].spans) == "각주" and isinstance(blocks[-1], BulletList)
    assert [plain_text(i.blocks[0].spans) for i in blocks[-1].items] == ["첫 각주", "인라인 각주"]


def test_kramdown_extensions(tmp_path: Path) -> None:
    blocks, diags = parse(tmp_path, "{::options auto_ids=\"false\" /}\n{::comment}\n숨김\n{:/comment}\n"
                                    "{::nomarkdown}보임{:/nomarkdown} {::foo /}\n\n`{::comment}코드{:/}`\n")
    assert [t for t in texts(blocks)] == ["보임"]
    assert blocks[1].spans[0].text == "{::comment}코드{:/}"
    assert warnings(diags) == ["note.md:5: warning: kramdown extension {::foo} removed [kramdown-extension]"]


# ------------------------------------------------------------- text hygiene
def test_non_utf8_names_the_byte_offset(tmp_path: Path) -> None:
    with pytest.raises(BuildError) as e:
        parse(tmp_path, "제목\n\n본문 ".encode() + "한글".encode("euc-kr"))
    offset = len("제목\n\n본문 ".encode())
    assert f"offset {offset}" in str(e.value) and e.value.source.line == 3


def test_crlf_and_bom_parse_like_lf(tmp_path: Path) -> None:
    text = "---\ntitle: 제목\n---\n# 하나\n\n- 가\n- 나\n\n```\ncode\n```\n"
    lf, _ = parse(tmp_path, text, name="lf.md")
    crlf, _ = parse(tmp_path, b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"), name="crlf.md")
    assert to_data(tuple(crlf)) == to_data(tuple(lf))


def test_control_characters_removed_with_warning(tmp_path: Path) -> None:
    blocks, diags = parse(tmp_path, "첫 줄\n\n가\x00나\x1b다\x0c\n")
    assert plain_text(blocks[1].spans) == "가나다"
    assert warnings(diags) == ["note.md:3: warning: removed control characters that a deck cannot hold "
                               "[control-character]"]


def test_emoji_and_mixed_scripts_survive(tmp_path: Path) -> None:
    line = "가상화 🚀 VM과 コンテナ 容器 👩‍💻 café"
    blocks, diags = parse(tmp_path, line + "\n")
    assert plain_text(blocks[0].spans) == line and not diags.items


def test_liquid_highlight_inside_a_list_item(tmp_path: Path) -> None:
    blocks, _ = parse(tmp_path, "- 예제:\n\n  {% highlight sh %}\n  ls -l\n  {% endhighlight %}\n")
    item = blocks[0].items[0]
    assert isinstance(item.blocks[1], CodeBlock) and item.blocks[1].code == "ls -l"


def test_embed_matches_nfd_file_names(tmp_path: Path) -> None:
    import unicodedata
    from PIL import Image as PILImage
    (tmp_path / "img").mkdir()
    PILImage.new("RGB", (3, 3)).save(tmp_path / "img" / unicodedata.normalize("NFD", "가상화.png"))
    blocks, diags = parse(tmp_path, "![[가상화.png]]\n")
    assert blocks[0].path and not diags.items


def test_liquid_raw_inside_a_fence_adds_no_blank_code_lines(tmp_path: Path) -> None:
    blocks, diags = parse(tmp_path, "```html\n{% raw %}\n<p>{{ x }}</p>\n{% endraw %}\n```\n\n끝\n")
    assert blocks[0].code == "<p>{{ x }}</p>" and blocks[0].language == "html"
    assert blocks[1].source.line == 7 and not diags.items


@pytest.mark.parametrize("markdown, shown", [
    ("| a | b |\n|---|---|\n| x | <none> |\n", "<none>"),
    ("kubectl logs <pod-name> 로 봅니다\n", "kubectl logs <pod-name> 로 봅니다"),
    ("<none>\n", "<none>"),
    ("<your-name>\n다음 줄\n", "<your-name> 다음 줄"),
    ("앞 <b>굵게</b> <script/>뒤\n", "앞 굵게 뒤"),
])
def test_words_in_angle_brackets_that_are_not_html_are_kept(tmp_path, markdown, shown):
    blocks, _ = parse(tmp_path, markdown)
    cells = [plain_text(c.spans) for b in blocks if isinstance(b, Table) for row in b.rows for c in row]
    text = " ".join(texts(blocks) + cells[1:])
    assert re.sub(r"\s+", " ", text).strip() == shown
