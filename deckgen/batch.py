"""Find notes, map them to outputs, build each, isolate failures, summarise."""
from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from .pipeline import BuildOptions, BuildResult, build_one

NOTE_SUFFIXES = {".md", ".markdown"}
SKIP_DIRS = {"_site", "node_modules", "out", "__pycache__"}


@dataclass(frozen=True)
class Job:
    note: Path
    display: str
    outputs: dict


def discover(folder: Path, out_dir: Path) -> list[Path]:
    """Every note below *folder*, skipping hidden folders, build output and vendored trees."""
    out_res = out_dir.resolve()
    notes = []
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(folder)
        if any(part.startswith(".") or part in SKIP_DIRS for part in rel.parts[:-1]):
            continue
        if p.suffix.lower() in NOTE_SUFFIXES and p.is_file() and not p.name.startswith("."):
            if out_res in p.resolve().parents:
                continue
            notes.append(p)
    return notes


def plan(paths: list[Path], out: Path | None, formats: tuple[str, ...]) -> list[Job]:
    jobs: list[Job] = []
    for path in paths:
        if path.is_dir():
            out_dir = out or Path("out")
            for note in discover(path, out_dir):
                rel = note.relative_to(path).with_suffix("")
                jobs.append(Job(note, str(note), {f: out_dir / rel.with_suffix(f".{f}") for f in formats}))
        else:
            out_dir = out or path.parent
            jobs.append(Job(path, str(path), {f: out_dir / f"{path.stem}.{f}" for f in formats}))
    return jobs


def check_collisions(jobs: list[Job]) -> list[str]:
    seen: dict[Path, Job] = {}
    errors = []
    for job in jobs:
        for target in job.outputs.values():
            key = target.resolve()
            if key in seen and seen[key].note != job.note:
                errors.append(f"{job.display}: error: writes {target}, which {seen[key].display} also writes")
            seen[key] = job
    return errors


def report(result: BuildResult, options: BuildOptions, quiet: bool) -> None:
    for d in result.diags.items:
        if d.severity == "error" or (not quiet and (d.severity == "warning" or options.verbose)):
            print(d.format(), file=sys.stderr)
    if not quiet:
        state = "FAILED" if result.failed else "ok"
        outs = ", ".join(str(p) for p in result.outputs)
        slides = f"{result.slides} slides, " if result.slides else ""
        print(f"{result.note}: {state} ({slides}{result.seconds:.1f} s){' -> ' + outs if outs else ''}")


def build_paths(paths: list[Path], out: Path | None, options: BuildOptions, *, quiet: bool = False) -> int:
    jobs = plan(paths, out, options.formats)
    errors = check_collisions(jobs)
    if errors:
        for e in errors:
            print(e, file=sys.stderr)
        return 1
    if not jobs:
        print("deckgen: no notes found (.md or .markdown)", file=sys.stderr)
        return 1
    failed = 0
    warnings = 0
    for job in jobs:
        result = build_one(job.note, job.outputs, options, display=job.display)
        report(result, options, quiet)
        failed += result.failed
        warnings += result.diags.count("warning")
    if not quiet and len(jobs) > 1:
        print(f"{len(jobs) - failed} built, {failed} failed, {warnings} warnings")
    return 1 if failed else 0
