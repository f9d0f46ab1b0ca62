"""Notes that break other tools: a whole HTML page, only images, a huge table cell,
a 500 KB note.  No crash, no traceback, nothing leaking, nothing lost."""
from __future__ import annotations

import sys
from pathlib import Path


from conftest import FIXTURES, ROOT, build, run
from layout_helpers import WORD
from test_end_to_end import deck_text

PATHO = FIXTURES / "pathological"
LEAKS = ("{:", "{%", "{{", "[!NOTE]", "[[", "&nbsp;", "<script", "console.log", "font-family", "<td", "<li")


def check_clean(r, deck: Path, pdf: Path | None = None) -> str:
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr and "internal error" not in r.stderr
    text = deck_text(deck)
    if pdf is not None:
        text += run(["pdftotext", str(pdf), "-"]).stdout
    for leak in LEAKS:
        assert leak not in text, leak
    return text


def test_whole_html_page_yields_its_text(tmp_path) -> None:
    r = build(PATHO / "whole-page.md", tmp_path)
    text = check_clean(r, tmp_path / "whole-page.pptx", tmp_path / "whole-page.pdf")
    for w in ("통째로", "첫 번째 요점", "두 번째 요점", "이름"):
        assert w in text


def test_images_only(tmp_path) -> None:
    r = build(PATHO / "images-only.md", tmp_path)
    check_clean(r, tmp_path / "images-only.pptx", tmp_path / "images-only.pdf")
    assert "images-only.md:5: warning: image not found: nothing.png" in r.stderr


def test_thirteen_thousand_character_cell(tmp_path) -> None:
    cell = ("표 칸 하나에 들어간 아주 긴 설명 " * 900)[:13000]
    note = tmp_path / "cell.md"
    note.write_text(f"# 큰 표\n\n| 항목 | 설명 |\n|---|---|\n| 가 | {cell} |\n", encoding="utf-8")
    r = build(note, tmp_path / "out")
    text = check_clean(r, tmp_path / "out" / "cell.pptx", tmp_path / "out" / "cell.pdf")
    assert text.count("설명") >= cell.count("설명")


def test_half_megabyte_note(tmp_path) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    from notegen import make_note
    note = tmp_path / "big.md"
    note.write_text(make_note(600, seed=5), encoding="utf-8")
    assert note.stat().st_size > 450_000
    r = build(note, tmp_path / "out", "--format", "pptx")
    text = check_clean(r, tmp_path / "out" / "big.pptx")
    words = WORD.findall(note.read_text(encoding="utf-8").split("---", 2)[2])
    got = set(WORD.findall(text))
    assert sum(w in got for w in words) / len(words) > 0.97
