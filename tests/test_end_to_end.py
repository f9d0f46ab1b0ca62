"""The real fixture note and the sample notes, built end to end with the CLI."""
from __future__ import annotations

import collections
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from pptx import Presentation

from conftest import FIXTURES, ROOT, build, need, run
from layout_helpers import WORD
from test_layout import note_words

FIXTURE = FIXTURES / "notes" / "jekyll-virtualization.md"


def deck_text(deck: Path) -> str:
    prs = Presentation(str(deck))
    parts = []
    for s in prs.slides:
        for sh in s.shapes:
            if sh.has_text_frame:
                parts.append(sh.text_frame.text)
            elif sh.has_table:
                parts += [c.text for row in sh.table.rows for c in row.cells]
        if s.has_notes_slide:
            parts.append(s.notes_slide.notes_text_frame.text)
    return "\n".join(parts)


def recall(want: list[str], got: list[str]) -> float:
    w, g = collections.Counter(want), collections.Counter(got)
    return sum(min(n, g[k]) for k, n in w.items()) / max(1, sum(w.values()))


@pytest.fixture(scope="module")
def fixture_build(tmp_path_factory):
    out = tmp_path_factory.mktemp("e2e")
    r = build(FIXTURE, out)
    return r, out / "jekyll-virtualization.pptx", out / "jekyll-virtualization.pdf"


def test_fixture_builds_with_located_warnings(fixture_build) -> None:
    r, deck, pdf = fixture_build
    assert r.returncode == 0, r.stderr
    assert deck.is_file() and pdf.is_file()
    warnings = [w for w in r.stderr.splitlines() if ": warning: " in w]
    assert warnings and all(re.match(r"^.*jekyll-virtualization\.md:\d+: warning: ", w) for w in warnings)
    assert any(":46: warning: image not found: /assets/images/CloudWave/Virtualization/Virtualization.png" in w
               for w in warnings)


def test_fixture_deck_holds_the_notes_words(fixture_build) -> None:
    _, deck, _ = fixture_build
    assert recall(note_words(FIXTURE), WORD.findall(deck_text(deck))) >= 0.98


def test_fixture_handout_holds_the_words_with_embedded_fonts(fixture_build) -> None:
    need("pdftotext", "pdffonts")
    _, _, pdf = fixture_build
    text = run(["pdftotext", "-layout", str(pdf), "-"]).stdout
    assert recall(note_words(FIXTURE), WORD.findall(text)) >= 0.98
    fonts = run(["pdffonts", str(pdf)]).stdout.splitlines()[2:]
    assert fonts and all(f.split()[-5] == "yes" for f in fonts if f.strip())


def test_missing_images_become_visible_placeholders(fixture_build) -> None:
    _, deck, _ = fixture_build
    text = deck_text(deck)
    assert "이미지 없음" in text and "Virtualization_Procdess" in text
    with zipfile.ZipFile(deck) as z:
        xml = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("ppt/slides/slide"))
    assert 'prstDash val="dash"' in xml


def test_nothing_leaks_from_markup(fixture_build) -> None:
    _, deck, pdf = fixture_build
    text = deck_text(deck) + run(["pdftotext", str(pdf), "-"]).stdout
    for literal in ("{:", "{%", "{{", "<img", "<br", "<details", "<!--", "&nbsp;", "notice--"):
        assert literal not in text, literal


def test_images_outside_the_project_are_not_read(tmp_path) -> None:
    project = tmp_path / "course"
    (project / "notes").mkdir(parents=True)
    (project / "deckgen.toml").write_text("", encoding="utf-8")
    secret = tmp_path / "secret.png"
    shutil.copy(ROOT / "assets" / "terminal-ls.png", secret)
    note = project / "notes" / "a.md"
    note.write_text("# 제목\n\n## 그림\n\n![비밀](../../secret.png)\n", encoding="utf-8")
    r = build(note, tmp_path / "out", "--format", "pptx")
    assert r.returncode == 0
    assert "a.md:5: warning: image ../../secret.png is outside the project folder" in r.stderr
    with zipfile.ZipFile(tmp_path / "out" / "a.pptx") as z:
        assert not [n for n in z.namelist() if n.startswith("ppt/media/")]


def test_a_failed_build_keeps_the_previous_output(tmp_path) -> None:
    note = tmp_path / "n.md"
    note.write_text("# 제목\n\n## 하나\n\n본문\n", encoding="utf-8")
    assert build(note, tmp_path / "out", "--format", "pptx").returncode == 0
    before = (tmp_path / "out" / "n.pptx").read_bytes()
    bomb = "".join(f"k{i}: &a{i} [" + ",".join([f"*a{i - 1}" if i else "x"] * 9) + "]\n" for i in range(9))
    note.write_text(f"---\n{bomb}---\n# 제목\n", encoding="utf-8")
    r = build(note, tmp_path / "out", "--format", "pptx")
    assert r.returncode == 1 and re.search(r"n\.md:2: error: front matter refused: .*alias", r.stderr)
    assert (tmp_path / "out" / "n.pptx").read_bytes() == before
    assert not list((tmp_path / "out").glob(".*.tmp"))


def test_usage_errors_exit_2(tmp_path) -> None:
    import subprocess
    import sys
    r = subprocess.run([sys.executable, "-m", "deckgen", "build", str(tmp_path / "none.md")],
                       capture_output=True, text=True)
    assert r.returncode == 2 and "no such file" in r.stderr
    r = subprocess.run([sys.executable, "-m", "deckgen", "build", "--format", "docx", str(FIXTURE)],
                       capture_output=True, text=True)
    assert r.returncode == 2


@pytest.mark.parametrize("note", sorted((ROOT / "content").glob("*.md")), ids=lambda p: p.stem)
def test_sample_notes_build_clean(tmp_path, note: Path) -> None:
    r = build(note, tmp_path, "--strict")
    assert r.returncode == 0, r.stderr
    deck = tmp_path / f"{note.stem}.pptx"
    assert recall(note_words(note), WORD.findall(deck_text(deck))) >= 0.99
    prs = Presentation(str(deck))
    assert any(s.has_notes_slide and s.notes_slide.notes_text_frame.text.strip() for s in prs.slides)


def test_building_leaves_the_note_folder_untouched(tmp_path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    shutil.copy(FIXTURE, notes / "n.md")
    before = sorted(p.name for p in notes.iterdir())
    r = build(notes / "n.md", tmp_path / "out")
    assert r.returncode == 0
    assert sorted(p.name for p in notes.iterdir()) == before
