"""Student and instructor editions: instructor content as lecturers write it in each dialect.

The note tests/fixtures/editions/lecture.md marks content for the instructor in the three
dialects (pandoc div, kramdown IAL, Obsidian callout), nested in a list, and as speaker notes;
expected.yaml says which text belongs where.  Built with the real CLI."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from deckgen.cli import main
from deckgen.diagnostics import Diagnostics
from deckgen.model import Instructor, Paragraph, plain_text, walk_blocks
from deckgen.read.parse import parse_note

from conftest import FIXTURES, build, need

HERE = FIXTURES / "editions"
EXPECTED = yaml.safe_load((HERE / "expected.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> Path:
    need("pdftotext")
    src = tmp_path_factory.mktemp("src")
    for f in HERE.iterdir():
        shutil.copy(f, src / f.name)
    out = src / "out"
    done = build(src / "lecture.md", out)
    assert done.returncode == 0, done.stderr
    return out


def pdf_text(pdf: Path, *flags: str) -> str:
    return subprocess.run(["pdftotext", *flags, str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def deck_texts(pptx: Path) -> tuple[str, str]:
    """(every slide's text, tables included; every notes pane's text)."""
    from pptx import Presentation
    slides, notes = [], []
    for slide in Presentation(str(pptx)).slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                slides.append(shape.text_frame.text)
            if shape.has_table:
                slides += [c.text for row in shape.table.rows for c in row.cells]
        if slide.has_notes_slide:
            notes.append(slide.notes_slide.notes_text_frame.text)
    return "\n".join(slides), "\n".join(notes)


@pytest.mark.parametrize("markdown", [
    "::: instructor\n비밀 정답\n:::\n",
    "::: {.instructor}\n비밀 정답\n:::\n",
    "비밀 정답\n{: .instructor}\n",
    "- 목록\n\n비밀 정답\n\n{: .instructor}\n",
    "> [!instructor]\n> 비밀 정답\n",
    "> [!Teacher] 제목\n> 비밀 정답\n",
    '<div class="instructor" markdown="1">\n\n비밀 정답\n\n</div>\n',
])
def test_each_dialect_marks_instructor_content(tmp_path, markdown):
    note = tmp_path / "n.md"
    note.write_text("## 절\n\n공개 문단\n\n" + markdown, encoding="utf-8")
    doc = parse_note(note, Diagnostics(), display="n.md", root=tmp_path)
    inner = [b for b in walk_blocks(doc.blocks) if isinstance(b, Instructor)]
    assert len(inner) == 1
    assert "비밀 정답" in [plain_text(p.spans) for p in walk_blocks(inner[0].blocks) if isinstance(p, Paragraph)]
    public = [plain_text(b.spans) for b in doc.blocks if isinstance(b, Paragraph)]
    assert "공개 문단" in public and "비밀 정답" not in public


def test_student_edition_holds_nothing_for_the_instructor(outputs):
    text = squash(pdf_text(outputs / "lecture.pdf"))
    for secret in EXPECTED["instructor_only"] + EXPECTED["speaker_notes"]:
        assert squash(secret) not in text
    for public in EXPECTED["everyone"]:
        assert squash(public) in text
    assert "강사용" not in text


def test_instructor_edition_holds_everything(outputs):
    text = squash(pdf_text(outputs / "lecture-instructor.pdf"))
    for line in EXPECTED["instructor_only"] + EXPECTED["speaker_notes"] + EXPECTED["everyone"]:
        assert squash(line) in text
    assert "강사용판" in text           # the cover says which edition this is


def test_deck_slides_hold_none_of_it_and_the_notes_pane_all_of_it(outputs):
    slides, notes = deck_texts(outputs / "lecture.pptx")
    for secret in EXPECTED["instructor_only"] + EXPECTED["speaker_notes"]:
        assert secret not in slides
        assert secret in notes
    for public in EXPECTED["everyone"]:
        assert public in slides


def test_every_column_of_the_table_is_readable_in_both_editions(outputs):
    from test_wide_tables import missing_rows, words_outside_pages
    doc = parse_note(HERE / "lecture.md", Diagnostics(), display="lecture.md", root=HERE)
    table = next(b for b in doc.blocks if b.__class__.__name__ == "Table")
    assert len(table.header) == EXPECTED["table_columns"]
    for pdf in (outputs / "lecture.pdf", outputs / "lecture-instructor.pdf"):
        assert missing_rows(pdf, table) == []
        assert words_outside_pages(pdf) == []


def report(capsys, *args: str) -> dict:
    main(["build", *args, "--json"])
    return json.loads(capsys.readouterr().out)


def test_instructor_edition_only_when_there_is_instructor_content(tmp_path, capsys):
    note = tmp_path / "n.md"
    note.write_text("## 절\n\n공개 문단\n", encoding="utf-8")
    out = tmp_path / "out"
    first = report(capsys, str(note), "-o", str(out), "--format", "pdf")
    assert first["notes"][0]["outputs"] == [str(out / "n.pdf")]
    assert not (out / "n-instructor.pdf").exists()
    assert report(capsys, str(note), "-o", str(out), "--format", "pdf")["notes"][0]["status"] == "skipped"

    note.write_text("## 절\n\n공개 문단\n\n::: notes\n메모\n:::\n", encoding="utf-8")
    second = report(capsys, str(note), "-o", str(out), "--format", "pdf")
    assert second["notes"][0]["outputs"] == [str(out / "n.pdf"), str(out / "n-instructor.pdf")]
    again = report(capsys, str(note), "-o", str(out), "--format", "pdf")["notes"][0]
    assert again["status"] == "skipped" and len(again["outputs"]) == 2

    note.write_text("## 절\n\n공개 문단\n", encoding="utf-8")      # the notes are gone again
    report(capsys, str(note), "-o", str(out), "--format", "pdf")
    assert not (out / "n-instructor.pdf").exists()                  # no stale edition is left behind


def test_speaker_notes_off_leaves_only_instructor_blocks(tmp_path, capsys):
    (tmp_path / "deckgen.toml").write_text("[handout]\nspeaker_notes = false\n", encoding="utf-8")
    only_notes = tmp_path / "a.md"
    only_notes.write_text("## 절\n\n공개\n\n::: notes\n메모-a\n:::\n", encoding="utf-8")
    both = tmp_path / "b.md"
    both.write_text("## 절\n\n공개\n\n::: notes\n메모-b\n:::\n\n::: instructor\n정답-b\n:::\n", encoding="utf-8")
    out = tmp_path / "out"
    report(capsys, str(tmp_path), "-o", str(out), "--format", "pdf")
    assert not (out / "a-instructor.pdf").exists()                 # nothing but notes, and notes are off
    text = squash(pdf_text(out / "b-instructor.pdf"))
    assert "정답-b" in text and "메모-b" not in text


def test_the_instructor_edition_can_be_turned_off(tmp_path, capsys):
    (tmp_path / "deckgen.toml").write_text("[handout]\ninstructor_edition = false\n", encoding="utf-8")
    (tmp_path / "a.md").write_text("## 절\n\n::: instructor\n정답\n:::\n", encoding="utf-8")
    out = tmp_path / "out"
    first = report(capsys, str(tmp_path), "-o", str(out), "--format", "pdf")
    assert first["notes"][0]["outputs"] == [str(out / "a.pdf")]
    assert "정답" not in pdf_text(out / "a.pdf")


def test_an_instructor_edition_name_taken_by_another_note_is_an_error(tmp_path, capsys):
    (tmp_path / "x.md").write_text("# x\n", encoding="utf-8")
    (tmp_path / "x-instructor.md").write_text("# y\n", encoding="utf-8")
    code = main(["build", str(tmp_path), "-o", str(tmp_path / "out"), "--format", "pdf"])
    assert code == 1
    assert "x-instructor.pdf" in capsys.readouterr().err


def test_slides_pdf_and_the_notes_layout(tmp_path):
    """The slides PDF is for students (no instructor text); with the notes layout, the instructor's
    file is one slide per page with its notes, instructor content included."""
    for f in HERE.iterdir():
        shutil.copy(f, tmp_path / f.name)
    out = tmp_path / "out"
    done = build(tmp_path / "lecture.md", out, "--format", "pdf,slides", "--handout-layout", "notes")
    assert done.returncode == 0, done.stderr
    secrets = EXPECTED["instructor_only"] + EXPECTED["speaker_notes"]
    for student in ("lecture.pdf", "lecture-slides.pdf"):
        text = squash(pdf_text(out / student))
        assert not [s for s in secrets if squash(s) in text]
    text = squash(pdf_text(out / "lecture-instructor.pdf"))
    assert [s for s in secrets if squash(s) not in text] == []
