"""Handout backend: real PDFs checked with poppler (pdftotext, pdffonts) and qpdf."""
from __future__ import annotations

import dataclasses
import json
import random
import re
import subprocess
from contextlib import closing
from pathlib import Path

import pytest

from deckgen.backends.handout.document import (build_handout_pdf, handout_url_fetcher,
                                      render_handout_html, wrap_words)
from deckgen.diagnostics import Diagnostics
from deckgen.model import (BulletList, Callout, Cell, CodeBlock, Document, Heading, Image,
                           ListItem, Meta, Paragraph, Quote, Rule, SourceSpan, Span,
                           SpeakerNotes, Table, TableOfContents, plain_text, walk_blocks)
from deckgen.theme.load import load_theme

from conftest import need


@pytest.fixture(autouse=True, scope="module")
def _tools() -> None:
    need("pdftotext", "pdffonts", "pdfinfo", "qpdf")


NOTE = "lecture.md"


def src(line: int) -> SourceSpan:
    return SourceSpan(NOTE, line)


def para(text: str, line: int = 0) -> Paragraph:
    return Paragraph((Span(text),), src(line))


def item(text: str, checked: bool | None = None) -> ListItem:
    return ListItem((para(text),), checked)


def make_png(path: Path) -> Path:
    from PIL import Image as PILImage, ImageDraw
    img = PILImage.new("RGB", (480, 240), "#DDE8F3")
    ImageDraw.Draw(img).rectangle([20, 20, 460, 220], outline="#2F6FB3", width=6)
    img.save(path)
    return path


def sample_doc(base: Path) -> Document:
    """A note with every block and inline style the handout draws."""
    chart = make_png(base / "chart.png")
    return Document(
        meta=Meta(title="자료구조 입문", subtitle="2주차 강의 노트", author="홍길동 교수",
                  date="2024-03-11", tags=("파이썬", "자료구조")),
        path=NOTE,
        blocks=(
            Heading(1, (Span("리스트와 튜플"),), src(5), "리스트와-튜플"),
            Paragraph((Span("오늘은 "), Span("리스트", bold=True), Span("와 "), Span("튜플", italic=True),
                       Span("을 비교합니다. "), Span("append()", code=True), Span(" 메서드와 "),
                       Span("Ctrl", kbd=True), Span(" 키, "), Span("강조", highlight=True), Span("된 말, "),
                       Span("빨간", color="C0392B"), Span(" 글씨, "), Span("지운", strike=True), Span(" 말, "),
                       Span("밑줄", underline=True), Span(" 긋기, H"), Span("2", baseline=-1), Span("O, x"),
                       Span("3", baseline=1), Span("\n"), Span("다음 줄의 "),
                       Span("공식 문서", link="https://docs.python.org/ko/3/"), Span("를 봅니다 English words too.")),
                      src(7)),
            TableOfContents(src(9)),
            Heading(2, (Span("목록"),), src(11), "목록"),
            BulletList((ListItem((para("첫째 항목"), BulletList((item("안쪽 항목"),)))), item("둘째 항목")),
                       source=src(12)),
            BulletList((item("준비 단계"), item("실행 단계")), ordered=True, start=4, source=src(15)),
            BulletList((item("완료한 과제", True), item("남은 과제", False)), source=src(18)),
            Heading(2, (Span("코드와 표"),), src(21), "코드와-표"),
            CodeBlock("def 합계(xs):\n    return sum(xs)  # 더하기\n\nprint(합계([1, 2]))", "python", src(23)),
            Table((Cell((Span("연산"),)), Cell((Span("시간"),), "right")),
                  ((Cell((Span("인덱싱"),)), Cell((Span("O(1)", code=True),), "right")),
                   (Cell((Span("탐색"),)), Cell((Span("O(n)", code=True),), "right"))), src(30)),
            Heading(3, (Span("그림"),), src(34), "그림"),
            Image("chart.png", "메모리 구조", str(chart), "50%",
                  caption=(Span("그림 1 메모리 배치"),), source=src(36)),
            Image("img/없는그림.png", "빠진 도표", None, "300", source=src(38)),
            Heading(2, (Span("정리"),), src(40), "정리"),
            Quote((para("단순함이 최고의 정교함이다"),), src(42)),
            Callout("warning", (), (para("튜플은 바꿀 수 없습니다"),), src(44)),
            Callout("note", (Span("기억하기"),), (para("리스트는 가변입니다"),), src(47)),
            Rule(src(50)),
            SpeakerNotes((para("질문을 받고 쉬는 시간을 줍니다"),), src(52)),
        ))


@pytest.fixture(scope="module")
def theme():
    return load_theme("default")


@pytest.fixture(scope="module")
def built(tmp_path_factory, theme):
    """(document, pdf path, diagnostics) of the sample note's instructor edition (the one that
    shows every block, speaker notes too), built once."""
    base = tmp_path_factory.mktemp("note")
    doc = sample_doc(base)
    diags = Diagnostics()
    pdf = base / "handout.pdf"
    pdf.write_bytes(build_handout_pdf(doc, theme, diags, base_dir=base, edition="instructor"))
    return doc, pdf, diags


def run(*args: str) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def page_count(pdf: Path) -> int:
    return int(re.search(r"Pages:\s+(\d+)", run("pdfinfo", str(pdf)))[1])


def page_text(pdf: Path, page: int, *flags: str) -> str:
    return run("pdftotext", *flags, "-f", str(page), "-l", str(page), str(pdf), "-")


def all_words(doc: Document) -> set[str]:
    """Every whitespace-separated word the note contains, front matter included."""
    texts = [doc.meta.title, doc.meta.subtitle, doc.meta.author, doc.meta.date, *doc.meta.tags]
    for b in walk_blocks(doc.blocks):
        for attr in ("spans", "title", "caption"):
            if isinstance(getattr(b, attr, None), tuple):
                texts.append(plain_text(getattr(b, attr)))
        if isinstance(b, CodeBlock):
            texts.append(b.code)
        if isinstance(b, Table):
            texts += [plain_text(c.spans) for row in (b.header, *b.rows) for c in row]
        if isinstance(b, Image) and b.path is None:
            texts += [b.alt, b.src]  # the placeholder shows them
    return {w for t in texts for w in t.split()}


# ---------------------------------------------------------------- the PDF
def test_every_word_is_in_the_pdf(built):
    doc, pdf, _ = built
    text = re.sub(r"\s+", "", run("pdftotext", str(pdf), "-"))
    missing = sorted(w for w in all_words(doc) if w not in text)
    assert not missing
    for extra in ("강의노트", "주의", "목차", "이미지없음", "https://docs.python.org/ko/3/"):
        assert extra in text


def test_no_warnings_from_weasyprint_or_backend(built):
    _, _, diags = built
    assert [d.format() for d in diags.items if d.severity != "info"] == []


def test_fonts_are_embedded_subsets_of_the_theme_faces(built):
    _, pdf, _ = built
    rows = run("pdffonts", str(pdf)).splitlines()[2:]
    assert rows
    for row in rows:
        parts = row.split()
        assert parts[-5] == "yes", row  # emb
        assert parts[-4] == "yes", row  # sub
    names = " ".join(r.split()[0] for r in rows)
    for family in ("NanumSquare", "NanumBarunGothic", "NanumGothicCoding"):
        assert family in names


def outline(pdf: Path) -> list[dict]:
    return json.loads(run("qpdf", "--json", "--json-key=outlines", str(pdf)))["outlines"]


def test_bookmarks_follow_the_headings_with_their_nesting(built):
    doc, pdf, _ = built

    def flat(entries: list[dict], depth: int = 0) -> list[tuple[int, str]]:
        out = []
        for e in entries:
            out.append((depth, e["title"]))
            out += flat(e["kids"], depth + 1)
        return out

    headings = [b for b in walk_blocks(doc.blocks) if isinstance(b, Heading)]
    expected = [(h.level - 1, plain_text(h.spans)) for h in headings]
    assert flat(outline(pdf)) == expected  # no cover title, no "목차"


def test_page_numbers_and_running_header_but_not_on_the_cover(built):
    doc, pdf, _ = built
    n = page_count(pdf)
    assert n >= 3
    cover = page_text(pdf, 1)
    assert f"1 / {n}" not in cover
    assert cover.count(doc.meta.title) == 1
    for page in range(2, n + 1):
        text = page_text(pdf, page)
        assert re.search(rf"^{page}\s*/\s*{n}$", text, re.M)
        assert doc.meta.title in text


def test_contents_lists_headings_with_their_page_numbers(built):
    doc, pdf, _ = built
    toc = page_text(pdf, 2, "-layout")
    assert "목차" in toc
    outline_pages = {}
    for e in outline(pdf):
        outline_pages[e["title"]] = e["destpageposfrom1"]
    line = next(ln for ln in toc.splitlines() if "리스트와 튜플" in ln)
    assert line.rstrip().endswith(str(outline_pages["리스트와 튜플"]))


def test_build_is_reproducible(built, theme, tmp_path):
    doc, pdf, _ = built
    again = build_handout_pdf(doc, theme, Diagnostics(), base_dir=pdf.parent, edition="instructor")
    assert again == pdf.read_bytes()


# --------------------------------------------------------- Korean wrapping
def korean_vocabulary(count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    syllables = "가나다라마바사아자차카타파하고노도로모보소오조초코토포호구누두루무부수우주한글어절단위"
    endings = ["은", "는", "이", "가", "을", "를", "에서", "으로", "입니다", "하고", "했다", "."]
    words = []
    for _ in range(count):
        stem = "".join(rng.choice(syllables) for _ in range(rng.randint(1, 6)))
        words.append(stem + rng.choice(endings))
    return words


def wrap_test_pdf(theme, folder: Path) -> tuple[Path, set[str]]:
    """Long Korean text in a paragraph, a list, a quote, a table cell and a box."""
    words = korean_vocabulary(700)
    chunks = [" ".join(words[i:i + 140]) for i in range(0, len(words), 140)]
    doc = Document(Meta(title="어절 줄바꿈 시험"), (
        para(chunks[0], 1),
        BulletList((item(chunks[1]),), source=src(2)),
        Quote((para(chunks[2]),), src(3)),
        Table((Cell((Span("설명"),)), Cell((Span("비고"),))),
              ((Cell((Span(chunks[3]),)), Cell((Span("짧은 칸"),))),), src(4)),
        Callout("note", (), (para(chunks[4]),), src(5)),
    ), NOTE)
    pdf = folder / "wrap.pdf"
    pdf.write_bytes(build_handout_pdf(doc, theme, Diagnostics(), base_dir=folder))
    return pdf, set(words) | {"짧은", "칸", "•"}


def lines_with_broken_words(pdf: Path, vocabulary: set[str]) -> tuple[list[str], int]:
    """Text lines holding a token that is not a whole source word, and the lines checked."""
    bad, checked = [], 0
    for page in range(2, page_count(pdf) + 1):
        for line in page_text(pdf, page, "-layout").splitlines():
            tokens = line.split()
            if not any(t in vocabulary for t in tokens):
                continue  # running header, page number, table header
            checked += 1
            if any(t not in vocabulary for t in tokens):
                bad.append(line)
    return bad, checked


def test_korean_words_never_break_inside(theme, tmp_path):
    pdf, vocabulary = wrap_test_pdf(theme, tmp_path)
    bad, checked = lines_with_broken_words(pdf, vocabulary)
    assert bad == []
    assert checked > 30


def test_without_word_spans_weasyprint_would_split_korean_words(theme, tmp_path, monkeypatch):
    """The control for the test above: it does catch words broken by syllable."""
    import deckgen.backends.handout.inline as handout
    monkeypatch.setattr(handout, "_HANGUL", re.compile("(?!x)x"))
    pdf, vocabulary = wrap_test_pdf(theme, tmp_path)
    bad, _ = lines_with_broken_words(pdf, vocabulary)
    assert len(bad) > 10


def test_wrap_words_marks_hangul_words_only():
    html = wrap_words("한국어 word 혼합어mixed " + "가" * 45)
    wj = "\u2060"
    assert f"한{wj}국{wj}어 word 혼{wj}합{wj}어{wj}m{wj}i{wj}x{wj}e{wj}d " in html
    assert '<span class="lw">' + "가" * 45 + "</span>" in html   # long words may break anywhere


# ------------------------------------------------------------- HTML level
def html_of(doc: Document, theme, base: Path, diags: Diagnostics | None = None, edition: str = "student") -> str:
    return render_handout_html(doc, theme, diags or Diagnostics(), base_dir=base, edition=edition)


def test_word_across_styled_spans_is_one_unbreakable_unit(theme, tmp_path):
    doc = Document(Meta(title="t"), (Paragraph((Span("굵은", bold=True), Span("글씨 "),
                                                Span("링크", link="https://example.com"), Span("를")),),),
                   NOTE)
    out = html_of(doc, theme, tmp_path)
    wj = "\u2060"
    assert f"<strong>굵{wj}은{wj}</strong>글{wj}씨" in out              # joined across the style change
    assert (f'<a href="https://example.com">링{wj}크{wj}</a>를'
            '<span class="fn">https://example.com</span>') in out


def test_user_text_is_escaped_and_unsafe_links_are_dropped(theme, tmp_path):
    diags = Diagnostics()
    doc = Document(Meta(title="<b>제목</b>"), (
        Paragraph((Span("<script>alert(1)</script>"), Span(" 클릭", link="javascript:alert(1)")), src(3)),
    ), NOTE)
    out = html_of(doc, theme, tmp_path, diags)
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert "<b>제목" not in out
    assert "javascript:" not in out
    assert any(d.code == "handout-link" and d.source.line == 3 for d in diags.items)


def test_lists_tasks_and_internal_links(theme, tmp_path):
    doc = Document(Meta(title="t"), (
        Heading(2, (Span("소개"),), src(1), "소개"),
        BulletList((item("a"), item("b")), ordered=True, start=3, source=src(2)),
        BulletList((item("끝남", True), item("남음", False)), source=src(3)),
        Paragraph((Span("위로", link="#소개"),), src(4)),
    ), NOTE)
    out = html_of(doc, theme, tmp_path)
    assert '<ol start="3" style="counter-reset: list-item 2">' in out
    assert '<li class="task done">' in out and '<li class="task">' in out
    assert '<h2 id="sec-1"' in out and '<a href="#sec-1">' in out


def test_speaker_notes_are_for_the_instructor_edition_and_can_be_turned_off(theme, tmp_path):
    doc = Document(Meta(title="t"), (SpeakerNotes((para("비밀 메모"),)),), NOTE)
    assert "비밀" not in html_of(doc, theme, tmp_path)                       # the student edition
    assert "강의 노트" in html_of(doc, theme, tmp_path, edition="instructor")
    quiet = dataclasses.replace(theme, handout=dataclasses.replace(theme.handout, speaker_notes=False))
    assert "비밀" not in html_of(doc, quiet, tmp_path, edition="instructor")


@dataclasses.dataclass(frozen=True)
class Diagram:
    text: str
    source: SourceSpan


def test_unknown_block_shows_its_text_and_warns(theme, tmp_path):
    diags = Diagnostics()
    doc = Document(Meta(title="t"), (Diagram("상태 다이어그램 원문", src(12)),), NOTE)  # type: ignore[arg-type]
    out = html_of(doc, theme, tmp_path, diags)
    assert "다이어그램" in out.replace("\u2060", "")      # word joiners keep the word whole
    [d] = [d for d in diags.items if d.code == "handout-unknown-block"]
    assert d.severity == "warning" and d.source == src(12)


def test_image_outside_the_note_folder_becomes_a_placeholder(theme, tmp_path):
    outside = make_png(tmp_path / "outside.png")
    base = tmp_path / "note"
    base.mkdir()
    diags = Diagnostics()
    doc = Document(Meta(title="t"), (Image("../outside.png", "바깥 그림", str(outside), source=src(4)),), NOTE)
    out = html_of(doc, theme, base, diags)
    assert "image-missing" in out and outside.as_uri() not in out
    assert [d.code for d in diags.items] == ["image-outside"]


# ------------------------------------------------------------ URL fetcher
def test_url_fetcher_refuses_network_and_files_outside(theme, tmp_path):
    base = tmp_path / "note"
    base.mkdir()
    inside = make_png(base / "ok.png")
    secret = tmp_path / "secret.txt"
    secret.write_text("secret")
    (base / "link.txt").symlink_to(secret)
    fetch = handout_url_fetcher(theme, base).fetch
    for url in ("http://example.com/a.png", "https://example.com/a.png", "ftp://example.com/a",
                secret.as_uri(), (base / "link.txt").as_uri(), base.as_uri() + "/../secret.txt",
                "file://otherhost" + str(inside), "/etc/passwd"):
        with pytest.raises(ValueError):
            fetch(url)
    with closing(fetch(inside.as_uri())) as r:
        assert r.read(8) == b"\x89PNG\r\n\x1a\n"
    with closing(fetch("data:text/plain,hi")) as r:
        assert r.read() == b"hi"
    font = theme.fonts.body.regular.path
    with closing(fetch(Path(font).as_uri())) as r:
        assert len(r.read(4)) == 4



def test_weasyprint_warnings_become_diagnostics(theme, tmp_path, caplog):
    picture = make_png(tmp_path / "broken.png")
    picture.write_bytes(b"not a png")  # never handed to WeasyPrint: a placeholder and a warning
    drawing = tmp_path / "broken.svg"
    drawing.write_text("<svg", encoding="utf-8")  # a diagram goes to WeasyPrint as is: it logs an error
    diags = Diagnostics()
    doc = Document(Meta(title="t"), (Image("broken.png", "깨진 그림", str(picture), source=src(3)),
                                     Image("g", "깨진 도표", str(drawing), source=src(5), kind="diagram")), NOTE)
    with caplog.at_level("WARNING"):
        build_handout_pdf(doc, theme, diags, base_dir=tmp_path)
    unreadable = [d for d in diags.items if d.code == "image-unreadable"]
    assert unreadable and "broken.png" in unreadable[0].message and unreadable[0].source.line == 3
    found = [d for d in diags.items if d.code == "handout-render"]
    assert found and "broken.svg" in found[0].message and found[0].source.path == NOTE
    assert not [r for r in caplog.records if r.name.startswith("weasyprint")]
