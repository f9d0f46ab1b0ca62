"""deckgen watch with two notes: a save of note B while note A's handout is typeset gets B's deck
at once (A's handout goes on in its child, it is not thrown away), B's handout follows, and both
notes end current in the build cache; Ctrl+C in the middle of both handouts leaves no child.

Handouts are held deterministically: the watch runs with build_handout_pdf wrapped so that the
handout child of NOTE waits while the test's file NOTE.held exists."""
from __future__ import annotations

import time
from pathlib import Path

from test_watch_order import Watch, children, deck_text, note_text, pdf_text, save, signature, wait_for

from deckgen.course.cache import BuildCache, file_hash

SLOW = 30
"""Sections of note A."""

GATED = """
import os, signal, sys, time
from pathlib import Path
import deckgen.backends.handout.document as document
from deckgen.cli import main
signal.signal(signal.SIGINT, signal.default_int_handler)   # a suite started in the background ignores it
typeset = document.build_handout_pdf
def gated(doc, *args, **kwargs):
    while (Path(os.environ["DECKGEN_TEST_HOLD"]) / (Path(doc.path).name + ".held")).exists():
        time.sleep(0.02)
    return typeset(doc, *args, **kwargs)
document.build_handout_pdf = gated
sys.exit(main(sys.argv[1:]))
"""
"""`deckgen` whose handouts wait while the test holds them."""


def course(tmp_path: Path) -> tuple[Path, Path, Path, Path]:
    folder = tmp_path / "course"
    folder.mkdir()
    (tmp_path / "deckgen.toml").write_text("", encoding="utf-8")
    a, b = folder / "a.md", folder / "b.md"
    a.write_text(note_text("가처음", SLOW), encoding="utf-8")
    b.write_text(note_text("나처음", 2), encoding="utf-8")
    return folder, a, b, tmp_path / "out"


def forks(pid: int) -> list[int]:
    """The children of *pid* forked from it (handouts) that stay Python, not the programs it runs
    (a first WeasyPrint import runs gcc through ctypes.util.find_library: forked, then exec'd)."""
    def python(child: int) -> bool:
        try:
            return Path(f"/proc/{child}/cmdline").read_bytes() == Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            return False
    found = [c for c in children(pid) if python(c)]
    if found:
        time.sleep(0.3)
    return [c for c in found if python(c)]


def descendants(pid: int) -> list[int]:
    found = forks(pid)
    for child in list(found):
        found += descendants(child)
    return found


def start_a_handout(watch: Watch, note: Path, deck: Path, marker: str) -> list[int]:
    """Save A and wait until its new deck is written and its handout child is typesetting."""
    before = signature(deck)
    save(note, note_text(marker, SLOW))
    assert wait_for(lambda: signature(deck) != before and forks(watch.proc.pid), 300), "".join(watch.lines)
    return forks(watch.proc.pid)


def test_a_save_of_another_note_gets_its_deck_while_a_handout_is_typeset(tmp_path: Path):
    folder, a, b, out = course(tmp_path)
    hold_a, hold_b = tmp_path / "a.md.held", tmp_path / "b.md.held"
    watch = Watch(folder, out, ("-c", GATED), DECKGEN_TEST_HOLD=str(tmp_path))
    try:
        assert wait_for(lambda: watch.saw("watching"), 600), "".join(watch.lines)
        seen = len(watch.lines)
        a_pdf = signature(out / "a.pdf")
        hold_a.touch()
        typesetting = start_a_handout(watch, a, out / "a.pptx", "가편집")
        save(b, note_text("나편집", 2))
        assert wait_for(lambda: "나편집" in deck_text(out / "b.pptx"), 300), "".join(watch.lines[seen:])
        # B's deck came while A's handout was held: A's child is still there, its handout not written
        assert signature(out / "a.pdf") == a_pdf, "A's handout was written before B's deck"
        assert all(Path(f"/proc/{pid}").exists() for pid in typesetting), "".join(watch.lines)
        assert watch.saw("rebuilding 1 note(s) while the handout of", seen), "".join(watch.lines[seen:])
        assert wait_for(lambda: watch.saw("b.md: ok", seen), 600), "".join(watch.lines[seen:])
        assert "나편집" in pdf_text(out / "b.pdf") and signature(out / "a.pdf") == a_pdf
        assert watch.saw("a.md: handout still being typeset", seen)
        hold_a.unlink()
        # both handouts come, A's from the save it was started for
        assert wait_for(lambda: watch.saw("a.md: ok", seen) and watch.saw("b.md: ok", seen), 600), \
            "".join(watch.lines[seen:])
        assert "가편집" in pdf_text(out / "a.pdf") and "나편집" in pdf_text(out / "b.pdf")
        assert not watch.saw("stopped", seen) and not watch.saw("error", seen), "".join(watch.lines[seen:])
        assert wait_for(lambda: not forks(watch.proc.pid), 60)
        entries = BuildCache.load(out).entries
        assert {Path(n).name: e["note_hash"] for n, e in entries.items()} == \
            {"a.md": file_hash(a), "b.md": file_hash(b)}, "a note is not current in the build cache"
        assert sorted(p.name for p in out.iterdir()) == \
            [".deckgen-cache.json", "a.pdf", "a.pptx", "b.pdf", "b.pptx"], "a temporary file was left behind"

        # Ctrl+C while A's handout (held) and B's (started inside A's wait) are both typeset
        hold_a.touch()
        hold_b.touch()
        start_a_handout(watch, a, out / "a.pptx", "가셋째")
        seen = len(watch.lines)
        save(b, note_text("나셋째", 2))
        assert wait_for(lambda: len(descendants(watch.proc.pid)) >= 2, 300), "".join(watch.lines[seen:])
        both = descendants(watch.proc.pid)
    finally:
        watch.stop()
    assert watch.proc.returncode == 0 and watch.saw("stopped watching"), "".join(watch.lines)
    assert not [pid for pid in both if Path(f"/proc/{pid}").exists()], "a handout child outlived watch"
    assert not [p.name for p in out.iterdir() if p.name.endswith(".tmp")], "a temporary file was left behind"


def test_a_handout_under_watch_yields_the_cpu_to_the_next_deck():
    """A stoppable child (a handout with a stop test: watch mode) runs niced; others do not."""
    import os

    from deckgen.bounds.deadline import WATCH_NICENESS, run_with_deadline

    own = os.nice(0)
    assert run_with_deadline(lambda: os.nice(0), 60) == own
    assert run_with_deadline(lambda: os.nice(0), 60, lambda: False) == min(19, own + WATCH_NICENESS)
