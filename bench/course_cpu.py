"""CPU seconds (user + sys, every process of the build) of `deckgen build COURSE --force`.

    .venv/bin/python bench/course_cpu.py [--notes 8] [--sections 28] [--jobs 2] [--runs 3]
                                         [--code DIR] [--keep DIR]

Wall-clock time on a shared machine says more about the other processes than about deckgen;
CPU time does not (much).  The build's CPU is read with getrusage(RUSAGE_CHILDREN), which counts
the pool workers and the handout's forked children too (each is waited for by its parent).
--code runs another checkout's deckgen (e.g. an exported `main`) with this one's environment,
so a before/after pair can be measured back to back on the same course.
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from course_bench import make_course  # noqa: E402


def one_build(course: Path, out: Path, jobs: int, code: Path) -> tuple[float, float, int]:
    """(CPU s, wall s, largest child's peak RSS in MB) of one forced build."""
    env = dict(os.environ, PYTHONPATH=str(code))
    cmd = [sys.executable, "-m", "deckgen", "build", str(course), "-o", str(out), "--jobs", str(jobs),
           "--force", "--quiet"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, cwd=code)
    wall = time.perf_counter() - wall
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall, after.ru_maxrss // 1024


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--notes", type=int, default=8)
    ap.add_argument("--sections", type=int, default=28)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--code", type=Path, action="append",
                    help="a checkout whose deckgen runs (repeat to compare: the runs alternate); default this one")
    ap.add_argument("--keep", type=Path, help="build into this folder (and keep the course there)")
    args = ap.parse_args(argv)
    work = args.keep or Path(tempfile.mkdtemp(prefix="course-cpu-"))
    course = work / "course"
    if not course.is_dir():
        make_course(course, args.notes, args.sections)
    codes = [c.resolve() for c in args.code or [HERE.parent]]
    runs: dict[Path, list[tuple[float, float, int]]] = {c: [] for c in codes}
    for n in range(args.runs):
        for code in codes:
            cpu, wall, rss = one_build(course, work / "out", args.jobs, code)
            runs[code].append((cpu, wall, rss))
            print(f"run {n + 1} {code}: CPU {cpu:.2f} s, wall {wall:.2f} s", flush=True)
    for code, figures in runs.items():
        cpu = statistics.median(f[0] for f in figures)
        print(f"{code}: median CPU {cpu:.2f} s ({cpu / args.notes:.2f} s a note), "
              f"median wall {statistics.median(f[1] for f in figures):.2f} s, "
              f"largest process's peak RSS {max(f[2] for f in figures)} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
