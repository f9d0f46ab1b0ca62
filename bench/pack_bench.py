"""Course pack benchmark: the CPU time, peak memory and size of course.pdf alone.

    .venv/bin/python bench/pack_bench.py [--notes 40] [--sections 28] [--dir DIR] [--runs 2]

Builds course_bench's generated course (handouts only) once into DIR, then writes course.pdf
from those handouts --runs times, each in a fresh process, and prints each run's CPU seconds
(user+sys of that process), its peak resident set and the file size.  Compare two trees by
running it from each (or with PYTHONPATH pointing at the other tree's deckgen).
"""
from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from course_bench import make_course  # noqa: E402

PACK = """
import sys
from pathlib import Path
from deckgen.backends.pack import write_course_pdf
from deckgen.course.pack import note_title

class Lecture:
    def __init__(self, note, pdf):
        self.title, self.display, self.pdf = note_title(note), str(note), pdf

course, out = Path(sys.argv[1]), Path(sys.argv[2])
lectures = [Lecture(note, out / note.relative_to(course).with_suffix(".pdf"))
            for note in sorted(course.rglob("*.md"))]
print(write_course_pdf(lectures, out / "course.pdf", "pack bench"))
"""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--notes", type=int, default=40)
    ap.add_argument("--sections", type=int, default=28)
    ap.add_argument("--dir", type=Path, default=None)
    ap.add_argument("--runs", type=int, default=2)
    args = ap.parse_args(argv)
    work = args.dir or Path(tempfile.mkdtemp(prefix="deckgen-pack-bench-"))
    course, out = work / "course", work / "out"
    if not (out / ".deckgen-cache.json").is_file():
        make_course(course, args.notes, args.sections)
        subprocess.run([sys.executable, "-m", "deckgen", "build", str(course), "-o", str(out), "-q",
                        "--format", "pdf", "--jobs", "2"], check=True)
    for run in range(args.runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run([sys.executable, "-c", PACK, str(course), str(out)], check=True, stdout=subprocess.DEVNULL)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        size = (out / "course.pdf").stat().st_size
        print(f"run {run + 1}: course.pdf {cpu:.2f} CPU s, peak RSS {after.ru_maxrss / 1024:.0f} MB, "
              f"{size / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
