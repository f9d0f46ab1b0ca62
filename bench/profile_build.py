"""Profile one note's build in-process, by CPU time, stages included.

    .venv/bin/python bench/profile_build.py NOTE.md [--out DIR] [--top 30] [--save FILE]

The handout normally runs in a forked child (deckgen.bounds.deadline), which a profiler in
the parent cannot see; here it runs in-process instead.  The timer is CPU time
(time.process_time), so other work on a shared machine does not inflate the figures.
"""
from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("note", type=Path)
    ap.add_argument("--out", type=Path, default=Path("/tmp/deckgen-profile"))
    ap.add_argument("--top", type=int, default=30)
    ap.add_argument("--save", type=Path, help="write the raw pstats here (for snakeviz etc.)")
    args = ap.parse_args(argv)
    prof = cProfile.Profile(time.process_time)
    prof.enable()
    import deckgen.pipeline as pipeline  # imports count: a cold build pays them too
    from deckgen.cli import main as cli_main

    pipeline.run_with_deadline = lambda fn, seconds, stop=None, on_progress=None: fn()  # type: ignore[assignment]
    code = cli_main(["build", str(args.note), "-o", str(args.out), "--jobs", "1", "--force", "-q"])
    prof.disable()
    stats = pstats.Stats(prof).sort_stats("cumulative")
    if args.save:
        stats.dump_stats(str(args.save))
    stats.print_stats(args.top)
    return code


if __name__ == "__main__":
    sys.exit(main())
