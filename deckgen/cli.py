"""Command line: argument parsing and reporting; the work is in batch/pipeline."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .batch import build_paths
from .pipeline import FORMATS, BuildOptions


def _formats(value: str) -> tuple[str, ...]:
    out = tuple(v.strip().lower() for v in value.split(",") if v.strip())
    bad = [v for v in out if v not in FORMATS]
    if bad or not out:
        raise argparse.ArgumentTypeError(f"unknown format {', '.join(bad) or value!r}; choose from "
                                         f"{', '.join(FORMATS)}")
    return out


def _level(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        n = 0
    if not 1 <= n <= 6:
        raise argparse.ArgumentTypeError("slide level must be a number from 1 to 6")
    return n


def _jobs(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError("jobs must be a whole number of 1 or more")
    return n


def make_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="deckgen", description="Markdown lecture notes -> editable PPTX decks "
                                "and PDF handouts, in Korean.")
    sub = p.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build notes (files or folders) into decks and handouts")
    b.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    b.add_argument("-o", "--output", type=Path, help="output folder (default: beside each note for "
                   "files, ./out for folders)")
    b.add_argument("--format", type=_formats, default=FORMATS, help="pptx,pdf (default: both)")
    b.add_argument("--theme", default="default", help="theme name or folder (default: default)")
    b.add_argument("--slide-level", type=_level, help="heading level that makes slides (default: inferred)")
    b.add_argument("--prose-to-notes", action=argparse.BooleanOptionalAction, default=None,
                   help="move long prose paragraphs into the speaker notes")
    b.add_argument("--strict", action="store_true", help="fail a note that has warnings")
    b.add_argument("-v", "--verbose", action="store_true", help="also show the fit report (info messages)")
    b.add_argument("-q", "--quiet", action="store_true", help="only print errors")
    b.add_argument("-j", "--jobs", type=_jobs, default=None,
                   help="notes built in parallel (default: the number of cores)")
    b.add_argument("--force", action="store_true", help="rebuild every note, even those up to date")
    b.add_argument("--prune", action="store_true", help="delete outputs of notes that were removed "
                   "from a built folder (only files recorded in the build cache)")
    b.add_argument("--json", action="store_true", help="print one JSON report on stdout")
    return p


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    if args.command == "build":
        missing = [p for p in args.paths if not p.exists()]
        if missing:
            for p in missing:
                print(f"{p}: error: no such file or folder", file=sys.stderr)
            return 2
        options = BuildOptions(formats=args.format, theme=args.theme, slide_level=args.slide_level,
                               prose_to_notes=args.prose_to_notes, strict=args.strict, verbose=args.verbose)
        return build_paths(args.paths, args.output, options, quiet=args.quiet, jobs=args.jobs,
                           force=args.force, prune=args.prune, as_json=args.json)
    return 2


if __name__ == "__main__":
    sys.exit(main())
