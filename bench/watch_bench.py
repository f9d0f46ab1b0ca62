"""Save -> fresh deck under `deckgen watch`, for a 40-slide note.

    .venv/bin/python bench/watch_bench.py [--sections 40] [--rounds 5] [--format pptx,pdf]
                                          [--during-handout | --other-note]

Writes a temporary course (the generated lecture and two small notes), starts
`deckgen watch` on it, waits for the first build, then edits the lecture
`--rounds` times with each kind of save editors use:

- in place: the file is rewritten (most editors, VS Code);
- by rename: the note is renamed to a backup, a new file is written and the
  backup deleted (vim's default, JetBrains' "safe write").

For each save it times the moment the new PPTX is complete on disk (deckgen
renames it into place, so a new inode means a whole file) and waits for the
whole rebuild (the handout too) before the next save.  With --during-handout
each round saves twice: once, then again while that save's handout is being
typeset (the watch process has a child), and times the second save.  With --other-note each
round saves the lecture, then, while its handout is typeset, a second lecture of the same size
(note B), and times B's save -> B's fresh deck.  Printed: the median
wall-clock latency, and the watch process's CPU time over the same interval
(user + system from /proc, 10 ms ticks), which a loaded machine inflates far
less than the wall clock.  Timings belong here, never in tests.  To time another checkout's
code, run with PYTHONPATH=THAT_CHECKOUT (the watch subprocess imports deckgen from it).
"""
from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from notegen import make_note  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of process *pid* so far (its own threads, not its children)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def signature(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return st.st_ino, st.st_mtime_ns


def wait_for(predicate, timeout: float, step: float = 0.002) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return False


def children(pid: int) -> list[int]:
    """Live processes *pid* forked (the handout is typeset in one)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            pass
    return found


def summaries(lines: list[str]) -> int:
    """Finished rebuilds: each ends with its "N built, N skipped, ..." line."""
    return sum(1 for line in lines if " built, " in line and " skipped, " in line)


def save(note: Path, text: str, how: str) -> None:
    if how == "in place":
        with open(note, "w", encoding="utf-8") as f:
            f.write(text)
        return
    backup = note.with_name(note.name + "~")
    os.rename(note, backup)
    note.write_text(text, encoding="utf-8")
    backup.unlink()


def forked(pid: int) -> list[int]:
    """Children of *pid* still running its own program (a handout child), not a program it
    runs (the first WeasyPrint import runs gcc through ctypes.util.find_library)."""
    def same(child: int) -> bool:
        try:
            return Path(f"/proc/{child}/cmdline").read_bytes() == Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            return False
    return [c for c in children(pid) if same(c)]


class Run:
    """The watch process on a temporary course, its output lines collected."""

    def __init__(self, course: Path, out: Path, fmt: str):
        self.proc = subprocess.Popen([sys.executable, "-m", "deckgen", "watch", str(course), "-o", str(out),
                                      "--format", fmt, "--jobs", "1"], cwd=course.parent, text=True,
                                     env=dict(os.environ, PYTHONUNBUFFERED="1"),
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self.lines: list[str] = []
        threading.Thread(target=lambda: self.lines.extend(iter(self.proc.stdout.readline, "")),
                         daemon=True).start()

    def fail(self, why: str) -> int:
        print(why + "\n" + "".join(self.lines), file=sys.stderr)
        return 1

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def start_handout(run: Run, note: Path, deck: Path, text: str, how: str) -> bool:
    """Save *note* and wait until its deck is written and its handout is being typeset."""
    before = signature(deck)
    save(note, text, how)
    return (wait_for(lambda: signature(deck) != before, 120)
            and wait_for(lambda: forked(run.proc.pid), 120, 0.01))


def one_round(run: Run, args: argparse.Namespace, notes: list[tuple[Path, str]], out: Path, edit: int,
              how: str) -> tuple[float, float, bool] | None:
    """One timed save: (wall, watch-process CPU, whether the first note's handout was still
    unwritten when the timed deck landed), or None when no deck came."""
    (note, base), (target, text) = notes[0], notes[-1]
    first = args.during_handout or args.other_note
    if first and not start_handout(run, note, out / f"{note.stem}.pptx",
                                   base + f"\n## 먼저 {edit}\n\n- 먼저 바뀐 줄 {edit}\n", how):
        return None
    deck, pdf = out / f"{target.stem}.pptx", out / f"{note.stem}.pdf"
    before, pdf_before, seen = signature(deck), signature(pdf), len(run.lines)
    expected = summaries(run.lines) + 2 if first else 0
    cpu0, t0 = cpu_seconds(run.proc.pid), time.perf_counter()
    save(target, text + f"\n## 편집 {edit}\n\n- 바뀐 줄 {edit}\n", how)
    if not wait_for(lambda: signature(deck) != before, 120):
        return None
    wall, cpu = time.perf_counter() - t0, cpu_seconds(run.proc.pid) - cpu0
    pending = signature(pdf) == pdf_before
    # the whole rebuild (the handouts too) before the next save
    if first:        # the first save's build (finished or stopped) and the timed one's
        wait_for(lambda: summaries(run.lines) >= expected, 600, 0.05)
    else:
        wait_for(lambda: any(" built" in line for line in run.lines[seen:]), 300, 0.05)
    return wall, cpu, pending


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sections", type=int, default=40)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--format", default="pptx,pdf")
    case = ap.add_mutually_exclusive_group()
    case.add_argument("--during-handout", action="store_true",
                      help="time a save made while the previous save's handout is being typeset")
    case.add_argument("--other-note", action="store_true",
                      help="time a save of a second lecture made while the first one's handout is typeset")
    args = ap.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="deckgen-watch-bench-"))
    course = tmp / "course"
    course.mkdir()
    (tmp / "deckgen.toml").write_text("", encoding="utf-8")
    notes = [(course / "lecture.md", make_note(args.sections, seed=7))]
    if args.other_note:
        notes.append((course / "lecture2.md", make_note(args.sections, seed=8)))
    for note, text in notes:
        note.write_text(text, encoding="utf-8")
    for name in ("intro", "outro"):
        (course / f"{name}.md").write_text(f"# {name}\n\n## 슬라이드\n\n- 첫째\n", encoding="utf-8")
    out = tmp / "out"
    load = os.getloadavg()[0]
    run = Run(course, out, args.format)
    results: dict[str, list[tuple[float, float, bool]]] = {"in place": [], "by rename": []}
    try:
        if not wait_for(lambda: any("watching" in line for line in run.lines), 600, 0.1):
            return run.fail("the first build did not finish")
        edit = 0
        for _ in range(args.rounds):
            for how in results:
                edit += 1
                time.sleep(0.3)
                row = one_round(run, args, notes, out, edit, how)
                if row is None:
                    return run.fail(f"no new deck after a save ({how})")
                results[how].append(row)
    finally:
        run.stop()
        shutil.rmtree(tmp, ignore_errors=True)      # decks and handouts of every round: MBs each run
    report(args, notes[-1][0], results, load)
    return 0


def report(args: argparse.Namespace, timed: Path, results: dict[str, list[tuple[float, float, bool]]],
           load: float) -> None:
    when = (", saved while the previous save's handout was typeset" if args.during_handout else
            ", saved while lecture.md's handout was typeset" if args.other_note else "")
    print(f"save -> complete {timed.stem}.pptx under deckgen watch ({args.sections}-section notes, --format "
          f"{args.format}{when}), median of {args.rounds}, load average {load:.1f} at the start, "
          f"{os.getloadavg()[0]:.1f} at the end:")
    for how, rows in results.items():
        walls, cpus = [w for w, _, _ in rows], [c for _, c, _ in rows]
        during = (f"   lecture.md's handout still unwritten at that moment in {sum(p for _, _, p in rows)}"
                  f"/{len(rows)}" if args.other_note else "")
        print(f"  {how:9s}  wall {statistics.median(walls):.3f} s (min {min(walls):.3f}, max {max(walls):.3f})"
              f"   watch-process CPU {statistics.median(cpus):.2f} s{during}")


if __name__ == "__main__":
    sys.exit(main())
