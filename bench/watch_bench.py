"""Save -> fresh deck under `deckgen watch`, for a 40-slide note.

    .venv/bin/python bench/watch_bench.py [--sections 40] [--rounds 5] [--format pptx,pdf]

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
typeset (the watch process has a child), and times the second save.  Printed: the median
wall-clock latency, and the watch process's CPU time over the same interval
(user + system from /proc, 10 ms ticks), which a loaded machine inflates far
less than the wall clock.  Timings belong here, never in tests.
"""
from __future__ import annotations

import argparse
import os
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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sections", type=int, default=40)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--format", default="pptx,pdf")
    ap.add_argument("--during-handout", action="store_true",
                    help="time a save made while the previous save's handout is being typeset")
    args = ap.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="deckgen-watch-bench-"))
    course = tmp / "course"
    course.mkdir()
    (tmp / "deckgen.toml").write_text("", encoding="utf-8")
    note = course / "lecture.md"
    base = make_note(args.sections, seed=7)
    note.write_text(base, encoding="utf-8")
    for name in ("intro", "outro"):
        (course / f"{name}.md").write_text(f"# {name}\n\n## 슬라이드\n\n- 첫째\n", encoding="utf-8")
    out = tmp / "out"
    deck = out / "lecture.pptx"
    proc = subprocess.Popen([sys.executable, "-m", "deckgen", "watch", str(course), "-o", str(out),
                             "--format", args.format, "--jobs", "1"], cwd=tmp, text=True,
                            env=dict(os.environ, PYTHONUNBUFFERED="1"),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(iter(proc.stdout.readline, "")), daemon=True).start()
    results: dict[str, list[tuple[float, float]]] = {"in place": [], "by rename": []}
    try:
        if not wait_for(lambda: any("watching" in line for line in lines), 600, 0.1):
            print("".join(lines), file=sys.stderr)
            return 1
        edit = 0
        for _ in range(args.rounds):
            for how in results:
                edit += 1
                time.sleep(0.3)
                if args.during_handout:      # a first save; the timed one comes while its handout runs
                    before = signature(deck)
                    save(note, base + f"\n## 먼저 {edit}\n\n- 먼저 바뀐 줄 {edit}\n", how)
                    if not (wait_for(lambda before=before: signature(deck) != before, 120)
                            and wait_for(lambda: children(proc.pid), 120, 0.01)):
                        print("no handout under way after a save\n" + "".join(lines), file=sys.stderr)
                        return 1
                before, seen = signature(deck), len(lines)
                expected = summaries(lines) + 2 if args.during_handout else 0
                cpu0, t0 = cpu_seconds(proc.pid), time.perf_counter()
                save(note, base + f"\n## 편집 {edit}\n\n- 바뀐 줄 {edit}\n", how)
                if not wait_for(lambda before=before: signature(deck) != before, 120):
                    print(f"no new deck after a save ({how})\n" + "".join(lines), file=sys.stderr)
                    return 1
                wall, cpu = time.perf_counter() - t0, cpu_seconds(proc.pid) - cpu0
                results[how].append((wall, cpu))
                # the whole rebuild (the handout too) before the next save
                if args.during_handout:     # the first save's build (finished or stopped), then the second's
                    wait_for(lambda expected=expected: summaries(lines) >= expected, 300, 0.05)
                else:
                    wait_for(lambda seen=seen: any(" built" in line for line in lines[seen:]), 300, 0.05)
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
    slides = args.sections
    when = ", saved while the previous save's handout was typeset" if args.during_handout else ""
    print(f"save -> complete {deck.name} under deckgen watch ({slides}-section note, --format {args.format}"
          f"{when}), median of {args.rounds}, load average {os.getloadavg()[0]:.1f}:")
    for how, rows in results.items():
        walls, cpus = [w for w, _ in rows], [c for _, c in rows]
        print(f"  {how:9s}  wall {statistics.median(walls):.3f} s (min {min(walls):.3f}, max {max(walls):.3f})"
              f"   watch-process CPU {statistics.median(cpus):.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
