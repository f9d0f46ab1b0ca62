"""deckgen watch with decks and handouts: the deck of a rebuild is on disk before its handout,
and a save made while a handout is being typeset is built too (never lost): that handout is
stopped (its child process terminated, no temporary file left), the new save's deck comes
next and its handout after it."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

LONG_SECTION = ("## 절 {n}\n\n가상화와 컨테이너를 비교하고 하이퍼바이저가 메모리와 프로세스를 나누는 방법을 "
                "살펴본다. Docker 이미지는 계층으로 쌓인다.\n\n- 첫째 항목 {n}\n- 둘째 항목 {n}\n\n")


def note_text(marker: str, sections: int = 30) -> str:
    """A note long enough that its handout takes a while to typeset, with *marker* on its first slide."""
    return f"# 강의\n\n## {marker}\n\n- {marker}\n\n" + "".join(LONG_SECTION.format(n=n) for n in range(sections))


def save(note: Path, text: str) -> None:
    """Save as editors with atomic saves do (a hidden temporary file renamed over the note), so
    the watcher never sees a half-written note on a loaded machine."""
    tmp = note.with_name(f".{note.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, note)


def deck_text(deck: Path) -> str:
    with zipfile.ZipFile(deck) as z:
        return "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("ppt/slides/slide"))


def pdf_text(pdf: Path) -> str:
    from pypdf import PdfReader
    return "".join(page.extract_text() or "" for page in PdfReader(pdf).pages)


def children(pid: int) -> list[int]:
    """The processes *pid* forked that are still alive (Linux: /proc/PID/task/*/children)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            pass
    return found


def signature(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return st.st_ino, st.st_mtime_ns


def wait_for(predicate, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.01)
    return False


class Watch:
    """`deckgen watch` on *folder* in a subprocess, its output collected line by line."""

    def __init__(self, folder: Path, out: Path, program: tuple[str, ...] = ("-m", "deckgen"), **env_vars: str):
        env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1", **env_vars)
        self.proc = subprocess.Popen([sys.executable, *program, "watch", str(folder), "-o", str(out),
                                      "--format", "pptx,pdf", "--jobs", "1"], cwd=folder.parent, env=env,
                                     text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self.lines: list[str] = []
        self.reader = threading.Thread(target=lambda: self.lines.extend(iter(self.proc.stdout.readline, "")),
                                       daemon=True)
        self.reader.start()

    def saw(self, needle: str, start: int = 0) -> bool:
        return any(needle in line for line in self.lines[start:])

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.reader.join(timeout=5)


def test_the_deck_is_written_before_the_handout_and_a_save_during_the_handout_is_built(tmp_path: Path):
    course = tmp_path / "course"
    course.mkdir()
    (tmp_path / "deckgen.toml").write_text("", encoding="utf-8")
    note = course / "a.md"
    note.write_text(note_text("처음"), encoding="utf-8")
    out = tmp_path / "out"
    deck, handout = out / "a.pptx", out / "a.pdf"
    watch = Watch(course, out)
    try:
        assert wait_for(lambda: watch.saw("watching"), 300), "".join(watch.lines)
        # a rebuild: the new deck lands on disk while the handout is still the old one
        before_deck, before_pdf = signature(deck), signature(handout)
        seen = len(watch.lines)
        save(note, note_text("첫편집"))
        assert wait_for(lambda: signature(deck) != before_deck, 120), "".join(watch.lines)
        assert "첫편집" in deck_text(deck)
        assert signature(handout) == before_pdf, "the handout was written before the deck"
        # saved while that handout is being typeset: not lost, built once the handout is done
        save(note, note_text("둘째편집"))
        assert wait_for(lambda: "둘째편집" in deck_text(deck), 300), "".join(watch.lines[seen:])
        assert wait_for(lambda: watch.saw(" built", seen) and signature(handout) != before_pdf, 300)
        assert wait_for(lambda: deck.stat().st_mtime_ns <= handout.stat().st_mtime_ns, 300), \
            "the last handout is older than the last deck"
        assert not watch.saw("error", seen), "".join(watch.lines[seen:])    # nothing failed on the way
    finally:
        watch.stop()


def test_a_new_save_stops_the_handout_under_way_and_the_last_save_gets_both_outputs(tmp_path: Path):
    course = tmp_path / "course"
    course.mkdir()
    (tmp_path / "deckgen.toml").write_text("", encoding="utf-8")
    note = course / "a.md"
    note.write_text(note_text("처음", 90), encoding="utf-8")
    out = tmp_path / "out"
    deck, handout = out / "a.pptx", out / "a.pdf"
    watch = Watch(course, out)
    try:
        assert wait_for(lambda: watch.saw("watching"), 600), "".join(watch.lines)
        seen = len(watch.lines)
        before_deck = signature(deck)
        save(note, note_text("첫편집", 90))
        assert wait_for(lambda: signature(deck) != before_deck, 300), "".join(watch.lines)
        # the deck of the first edit is in place; its handout is typeset in a child process
        assert wait_for(lambda: children(watch.proc.pid), 300), "".join(watch.lines[seen:])
        typesetting = children(watch.proc.pid)
        save(note, note_text("둘째편집", 90))
        assert wait_for(lambda: watch.saw("a.md: handout stopped: the note was saved again", seen), 300), \
            "".join(watch.lines[seen:])
        assert not any(Path(f"/proc/{pid}").exists() for pid in typesetting), "the stopped child lives on"
        assert wait_for(lambda: watch.saw("a.md: ok", seen), 600), "".join(watch.lines[seen:])
        assert "둘째편집" in deck_text(deck) and "둘째편집" in pdf_text(handout)
        assert "첫편집" not in pdf_text(handout)            # the stopped handout was never written
        assert deck.stat().st_mtime_ns <= handout.stat().st_mtime_ns
        assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".deckgen-cache")) == \
            ["a.pdf", "a.pptx"], "a temporary file was left behind"
        assert not watch.saw("error", seen), "".join(watch.lines[seen:])
    finally:
        watch.stop()


def test_a_superseded_child_unwinds_its_clean_ups_and_is_reaped(tmp_path: Path):
    """The stop test is asked with the note's path; the child gets SIGTERM as an exception, so an
    atomic write under way removes its temporary file; the child is gone when Superseded is raised."""
    import pytest

    from deckgen.bounds.deadline import Superseded, run_with_deadline, stop_test, stop_when

    note, other = tmp_path / "a.md", tmp_path / "b.md"
    started = tmp_path / "started"

    def typeset() -> bytes:
        tmp = tmp_path / ".a.pdf.abcd1234.tmp"
        tmp.write_bytes(b"%PDF-1.7 half")
        try:
            started.write_text(str(os.getpid()))
            while True:
                time.sleep(0.01)
        except BaseException:
            tmp.unlink()
            raise

    assert stop_test(note) is None                      # nothing installed: nothing can stop a stage
    stop_when(lambda path: path == note and started.exists())
    try:
        assert stop_test(other)() is False
        with pytest.raises(Superseded):
            run_with_deadline(typeset, 600, stop_test(note))
    finally:
        stop_when(None)
    child = int(started.read_text())
    assert not Path(f"/proc/{child}").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["started"]
