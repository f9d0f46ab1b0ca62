"""Course pack: course.pdf with one top-level bookmark per lecture, headings nested; index.html."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from deckgen.cli import main


def note(path: Path, title: str, headings: list[str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    body = "".join(f"## {h}\n\n- {h} 내용\n\n" for h in headings)
    path.write_text(f"---\ntitle: {title}\n---\n\n# {title}\n\n{body}", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def pack(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("pack")
    src = tmp / "운영체제"
    note(src / "week01" / "intro.md", "1주차 소개", ["개요", "일정"])
    note(src / "week02" / "shell.md", "2주차 셸", ["명령어", "파이프", "스크립트"])
    (src / "week03").mkdir()
    aliases = ",".join(["*a"] * 101)     # front matter refused: the note fails
    (src / "week03" / "broken.md").write_text(f"---\na: &a x\nb: [{aliases}]\n---\n# x\n", encoding="utf-8")
    out = tmp / "out"
    code = main(["build", str(src), "-o", str(out), "--pack", "-q", "--jobs", "1"])
    assert code == 1  # the broken note fails, the pack is still written from the others
    return out


def test_pack_has_one_bookmark_per_lecture_with_headings_nested(pack: Path):
    reader = PdfReader(str(pack / "course.pdf"))
    top = [item for item in reader.outline if not isinstance(item, list)]
    assert [t.title for t in top] == ["1주차 소개", "2주차 셸"]
    kids = [item for item in reader.outline if isinstance(item, list)]
    assert [[k.title for k in group if not isinstance(k, list)] for group in kids] == [
        ["개요", "일정"], ["명령어", "파이프", "스크립트"]]
    first = reader.get_destination_page_number(top[0])
    second = reader.get_destination_page_number(top[1])
    assert first == 2 and second > first  # after the title page and the contents page
    intro_pages = len(PdfReader(str(pack / "week01" / "intro.pdf")).pages)
    assert second == first + intro_pages
    cover = reader.pages[0].extract_text()
    assert "운영체제" in cover  # no course_title in a config: the folder's name
    contents = reader.pages[1].extract_text()
    assert "1주차 소개" in contents and "2주차 셸" in contents


@pytest.mark.skipif(shutil.which("qpdf") is None, reason="qpdf not installed")
def test_qpdf_sees_the_lecture_bookmarks(pack: Path):
    out = subprocess.run(["qpdf", "--json", "--json-key=outlines", str(pack / "course.pdf")],
                         capture_output=True, text=True, check=True).stdout
    outlines = json.loads(out)["outlines"]
    assert [o["title"] for o in outlines] == ["1주차 소개", "2주차 셸"]
    assert [k["title"] for k in outlines[1]["kids"]] == ["명령어", "파이프", "스크립트"]


def test_index_lists_every_lecture_with_relative_links(pack: Path):
    page = (pack / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'href="([^"]+)"', page)
    # each lecture: its first slide (linked to the deck), then every output
    assert links == ["course.pdf", "week01/intro.pptx", "week01/intro.pptx", "week01/intro.pdf",
                     "week02/shell.pptx", "week02/shell.pptx", "week02/shell.pdf"]
    thumbs = re.findall(r'<img src="([^"]+)"', page)
    assert thumbs == ["week01/intro-thumb.png", "week02/shell-thumb.png"]
    assert "1주차 소개" in page and "2주차 셸" in page
    assert all((pack / link).is_file() for link in links)


def test_course_title_comes_from_the_config(tmp_path: Path, capsys):
    (tmp_path / "deckgen.toml").write_text('course_title = "리눅스 시스템 관리"\nformats = ["pptx"]\n',
                                           encoding="utf-8")
    note(tmp_path / "notes" / "a.md", "가", ["나"])
    assert main(["build", str(tmp_path / "notes"), "-o", str(tmp_path / "out"), "--pack", "-q"]) == 0
    err = capsys.readouterr().err
    assert "writes only index.html" in err  # no handouts to combine
    page = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert "<title>리눅스 시스템 관리</title>" in page and "a.pptx" in page
    assert not (tmp_path / "out" / "course.pdf").exists()


def test_an_unchanged_course_is_not_packed_again(tmp_path: Path, capsys):
    src = tmp_path / "c"
    note(src / "a.md", "가", ["나"])
    out = tmp_path / "out"
    assert main(["build", str(src), "-o", str(out), "--pack", "--format", "pptx"]) == 0
    assert "course pack: " + str(out / "index.html") in capsys.readouterr().out
    before = (out / "index.html").stat().st_mtime_ns
    assert main(["build", str(src), "-o", str(out), "--pack", "--format", "pptx"]) == 0
    assert "course pack: up to date" in capsys.readouterr().out
    assert (out / "index.html").stat().st_mtime_ns == before
    note(src / "a.md", "가 (고침)", ["나"])
    assert main(["build", str(src), "-o", str(out), "--pack", "--format", "pptx"]) == 0
    assert "가 (고침)" in (out / "index.html").read_text(encoding="utf-8")
