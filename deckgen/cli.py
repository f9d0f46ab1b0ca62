"""Command line: argument parsing and reporting; the work is in batch/pipeline."""
from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

from deckgen.course.batch import build_paths
from deckgen.course.config import ConfigError, ProjectConfig
from deckgen.course.settings import load_project, settings
from deckgen.options import FORMATS, HANDOUT_LAYOUTS


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
    from deckgen import __version__
    p.add_argument("--version", action="version", version=f"deckgen {__version__}")
    sub = p.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build notes (files or folders) into decks and handouts")
    b.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    _build_options(b)
    b.add_argument("--prune", action="store_true", help="delete outputs of notes that were removed "
                   "from a built folder (only files recorded in the build cache)")
    b.add_argument("--json", action="store_true", help="print one JSON report on stdout")
    b.add_argument("--pack", action="store_true", help="also write the course pack: OUT/course.pdf "
                   "(all handouts, one bookmark per lecture) and OUT/index.html")

    w = sub.add_parser("watch", help="build a folder, then rebuild what each change affects")
    w.add_argument("folder", type=Path, metavar="DIR")
    _build_options(w)
    w.add_argument("--serve", nargs="?", type=int, const=8000, default=None, metavar="PORT",
                   help="also serve the output folder on http://127.0.0.1:PORT/ (default port 8000)")

    i = sub.add_parser("init", help="scaffold a project: deckgen.toml, a sample note, a theme override")
    i.add_argument("folder", type=Path, nargs="?", default=Path("."), metavar="DIR")

    d = sub.add_parser("doctor", help="check fonts, LibreOffice, poppler, graphviz and renderers")
    d.add_argument("folder", type=Path, nargs="?", default=Path("."), metavar="DIR",
                   help="project folder whose deckgen.toml picks the theme (default: .)")
    d.add_argument("--theme", default=None, help="theme to check (default: the config's, else default)")
    t = sub.add_parser("themes", help="list built-in and project themes, or render a gallery of them")
    t.add_argument("folder", type=Path, nargs="?", default=Path("."), metavar="DIR",
                   help="project folder whose themes/ are listed too (default: .)")
    t.add_argument("--gallery", type=Path, default=None, metavar="OUT",
                   help="build a sample deck and handout with every theme into OUT/<theme>/")
    return p


def _build_options(b: argparse.ArgumentParser) -> None:
    b.add_argument("-o", "--output", type=Path, help="output folder (default: the config's output, else "
                   "beside each note for files, ./out for folders)")
    b.add_argument("--format", type=_formats, default=None,
                   help="pptx,pdf,slides (default: pptx,pdf; slides writes NOTE-slides.pdf)")
    b.add_argument("--handout-layout", choices=HANDOUT_LAYOUTS, default=None,
                   help="how NOTE.pdf places the note: the whole note (document), 2/3/6 slides per page, "
                        "or notes (one slide per page with its speaker notes, as NOTE-instructor.pdf)")
    b.add_argument("--theme", default=None, help="theme name or folder (default: default)")
    b.add_argument("--template", default=None, metavar="FILE.pptx",
                   help="build decks on this PowerPoint template (its layouts, fonts, colours, size)")
    b.add_argument("--slide-level", type=_level, help="heading level that makes slides (default: inferred)")
    b.add_argument("--prose-to-notes", action=argparse.BooleanOptionalAction, default=None,
                   help="move long prose paragraphs into the speaker notes")
    b.add_argument("--fetch-images", action="store_true",
                   help="download http(s) images (20 s and 10 MB per image in all, public addresses only, "
                   "redirects checked again); by default nothing is fetched")
    b.add_argument("--embed-fonts", choices=("subset", "full", "none"), default=None,
                   help="fonts carried in the PPTX: subset (default: the characters used, ASCII, Hangul "
                   "jamo and the 2,350 KS X 1001 syllables), full faces, or none")
    b.add_argument("--strict", action="store_true", help="fail a note that has warnings")
    b.add_argument("-v", "--verbose", action="store_true", help="also show the fit report (info messages)")
    b.add_argument("-q", "--quiet", action="store_true", help="only print errors")
    b.add_argument("-j", "--jobs", type=_jobs, default=None,
                   help="notes built in parallel (default: the number of cores)")
    b.add_argument("--force", action="store_true", help="rebuild every note, even those up to date")


def main(argv: list[str] | None = None) -> int:
    """The command; Ctrl-C anywhere ends it with one line and exit code 130 (128 + SIGINT)."""
    try:
        return _main(argv)
    except KeyboardInterrupt:
        print("deckgen: interrupted", file=sys.stderr)
        return 130


def _output_problem(out: Path | None) -> str | None:
    """Why *out* cannot be the output folder (a file, or below a file), checked before any build."""
    if out is None:
        return None
    for p in [out, *out.parents]:
        if p.exists():
            return None if p.is_dir() else f"-o {out}: {p} is a file, not a folder"
    return None


def _main(argv: list[str] | None) -> int:
    args = make_parser().parse_args(argv)
    if args.command == "init":
        from deckgen.course.init import init_project
        return init_project(args.folder)
    if args.command == "doctor":
        from deckgen.course.doctor import run_doctor
        try:
            cfg = load_project(args.folder)
        except ConfigError as e:
            print(f"deckgen: error: {e}", file=sys.stderr)
            cfg = ProjectConfig()
        return run_doctor(args.theme or cfg.theme or "default", template=cfg.template)
    if args.command == "themes":
        from deckgen.course.themes import gallery, print_themes
        return gallery(args.gallery, args.folder) if args.gallery else print_themes(args.folder)
    paths = args.paths if args.command == "build" else [args.folder]
    missing = [p for p in paths if not p.exists()]
    if missing:
        for p in missing:      # exists() is False for a dangling link and a symlink loop too
            why = "a symbolic link to nothing (or to itself)" if p.is_symlink() else "no such file or folder"
            print(f"{p}: error: {why}", file=sys.stderr)
        return 2
    try:
        cfg = load_project(paths[0])
    except ConfigError as e:
        print(f"deckgen: error: {e}", file=sys.stderr)
        return 2
    options, out, jobs = settings(args, cfg)
    problem = _output_problem(out)
    if problem:
        print(f"deckgen: error: {problem}", file=sys.stderr)
        return 2
    if args.command == "watch":
        if not args.folder.is_dir():
            print(f"{args.folder}: error: watch needs a folder", file=sys.stderr)
            return 2
        from deckgen.course.watch import watch
        return watch(args.folder, args, serve_port=args.serve, config=cfg)
    pack_title = (cfg.course_title or "") if args.pack else None
    if args.pack:  # the index shows each lecture's first slide
        options = dataclasses.replace(options, formats=(*options.formats, "thumb"))
    return build_paths(paths, out, options, quiet=args.quiet, jobs=jobs, force=args.force, prune=args.prune,
                       as_json=args.json, pack_title=pack_title)


if __name__ == "__main__":
    sys.exit(main())
