"""Course benchmark: deckgen on a generated 40-lecture Korean course, side by side with pandoc.

    .venv/bin/python bench/course_bench.py [--notes 40] [--sections 28] [--runs 3] [--dir DIR] [--no-pandoc]

Generates a reproducible course (bench/notegen.make_note with fixed seeds, plus a
few PNG figures in assets/ referenced from every note) and measures, as medians
over --runs runs, each in a fresh output folder:

- full cold build (decks and handouts) with --jobs 1 and --jobs 2,
- a no-op rebuild (everything up to date),
- a rebuild after one note changed,
- peak memory (largest resident set of any child process, RUSAGE_CHILDREN maxrss);

and, when pandoc is installed, `pandoc note.md -o note.pptx` plus
`pandoc note.md --pdf-engine=weasyprint -o note.pdf` for every note, sequentially,
printing each deckgen figure with its ratio to pandoc's.  deckgen runs from a copy of
deckgen/ and themes/ taken at the start (--live: from the working tree).
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from notegen import make_note  # noqa: E402

COLORS = ("#2F6FEB", "#1A7F37", "#BF8700", "#CF222E")


def make_course(folder: Path, notes: int, sections: int, front: str = "") -> list[Path]:
    """*notes* lectures in week folders, each with *sections* sections and one figure; reproducible.
    *front*: extra front-matter lines (peers_bench adds Marp's `headingDivider`)."""
    from PIL import Image, ImageDraw

    if folder.exists():
        shutil.rmtree(folder)
    assets = folder / "assets"
    assets.mkdir(parents=True)
    for i, color in enumerate(COLORS):
        img = Image.new("RGB", (640, 360), "white")
        d = ImageDraw.Draw(img)
        d.rectangle((40, 40, 600, 320), outline=color, width=8)
        d.ellipse((200 + 30 * i, 90, 440 + 30 * i, 290), fill=color)
        img.save(assets / f"fig{i + 1}.png")
    (folder / "deckgen.toml").write_text(f'course_title = "벤치마크 강좌 ({notes}강)"\n', encoding="utf-8")
    out = []
    for n in range(notes):
        note = folder / f"week{n + 1:02d}" / f"lecture{n + 1:02d}.md"
        note.parent.mkdir(parents=True)
        fig = COLORS and f"fig{n % len(COLORS) + 1}.png"
        text = make_note(sections, seed=1000 + n)
        if front:
            text = text.replace("---\n", f"---\n{front}\n", 1)
        text += f"\n## 그림으로 보는 구조\n\n![구조 그림 {n + 1}](../assets/{fig})\n"
        note.write_text(text, encoding="utf-8")
        out.append(note)
    return out


def run(cmd: list[str], cwd: Path | None = None, report: dict | None = None) -> float:
    """Seconds *cmd* took; with *report*, parse its --json output into it."""
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    secs = time.perf_counter() - start
    if proc.returncode not in (0,):
        sys.stderr.write(proc.stderr[-2000:])
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}")
    if report is not None:
        report.update(json.loads(proc.stdout)["totals"])
    return secs


def snapshot(work: Path) -> None:
    """Copy deckgen/ and themes/ so edits made while the benchmark runs cannot change what it measures
    (a changed theme file would, rightly, rebuild every note)."""
    snap = work / "snapshot"
    shutil.rmtree(snap, ignore_errors=True)
    for name in ("deckgen", "themes"):
        shutil.copytree(ROOT / name, snap / name, ignore=shutil.ignore_patterns("__pycache__"))
    os.environ["PYTHONPATH"] = str(snap) + (os.pathsep + os.environ["PYTHONPATH"]
                                            if os.environ.get("PYTHONPATH") else "")


def deckgen(course: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "deckgen", "build", str(course), "-o", str(out), "-q", *extra]


def count_slides(out: Path) -> int:
    data = json.loads((out / ".deckgen-cache.json").read_text(encoding="utf-8"))
    return sum(int(e.get("slides", 0)) for e in data["entries"].values())


def median(xs: list[float]) -> float:
    return statistics.median(xs)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--notes", type=int, default=40)
    ap.add_argument("--sections", type=int, default=28, help="## sections per note (about one slide each)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--dir", type=Path, default=None, help="work folder (default: a temporary one)")
    ap.add_argument("--no-pandoc", action="store_true")
    ap.add_argument("--live", action="store_true", help="run the working tree's deckgen, not a snapshot of it")
    ap.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = ap.parse_args(argv)

    load_start = os.getloadavg()[0]
    work = args.dir or Path(tempfile.mkdtemp(prefix="deckgen-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    course = work / "course"
    notes = make_course(course, args.notes, args.sections)
    if not args.live:
        snapshot(work)
    print(f"course: {len(notes)} notes in {course}", flush=True)

    figures: dict[str, float] = {}
    times: dict[str, list[float]] = {"cold_jobs1": [], "cold_jobs2": [], "noop": [], "one_changed": []}
    slides = 0
    for r in range(args.runs):
        for jobs in (1, 2):
            out = work / f"out-j{jobs}"
            shutil.rmtree(out, ignore_errors=True)
            t = run(deckgen(course, out, "--jobs", str(jobs)))
            times[f"cold_jobs{jobs}"].append(t)
            print(f"run {r + 1}: cold build --jobs {jobs}: {t:.1f} s", flush=True)
        out = work / "out-j2"
        slides = count_slides(out)
        totals: dict = {}
        t = run(deckgen(course, out, "--jobs", "2", "--json"), report=totals)
        assert totals["built"] == 0, totals
        times["noop"].append(t)
        changed = notes[r % len(notes)]
        original = changed.read_text(encoding="utf-8")
        changed.write_text(original + f"\n## 바뀐 슬라이드 {r}\n\n- 한 줄 추가\n", encoding="utf-8")
        try:
            t = run(deckgen(course, out, "--jobs", "2", "--json"), report=totals)
        finally:
            changed.write_text(original, encoding="utf-8")
        times["one_changed"].append(t)
        print(f"run {r + 1}: no-op {times['noop'][-1]:.2f} s, one note changed {t:.2f} s "
              f"({totals['built']} rebuilt)", flush=True)
        run(deckgen(course, out, "--jobs", "2"))  # back to the original text
    for k, v in times.items():
        figures[k] = median(v)
    figures["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    figures["slides"] = slides

    pandoc = None if args.no_pandoc else shutil.which("pandoc")
    if pandoc:
        env_path = str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")
        os.environ["PATH"] = env_path  # pandoc calls the weasyprint command
        ptimes = []
        for r in range(args.runs):
            pout = work / "pandoc-out"
            shutil.rmtree(pout, ignore_errors=True)
            start = time.perf_counter()
            for note in notes:
                target = pout / note.parent.name
                target.mkdir(parents=True, exist_ok=True)
                run([pandoc, note.name, "-o", str(target / f"{note.stem}.pptx")], cwd=note.parent)
                run([pandoc, note.name, "--pdf-engine=weasyprint", "-o", str(target / f"{note.stem}.pdf")],
                    cwd=note.parent)
            ptimes.append(time.perf_counter() - start)
            print(f"run {r + 1}: pandoc (pptx + weasyprint pdf, sequential): {ptimes[-1]:.1f} s", flush=True)
        figures["pandoc"] = median(ptimes)

    print()
    print(f"deckgen course benchmark: {args.notes} notes, {slides} slides, median of {args.runs} runs, "
          f"{os.cpu_count()} cores")
    print(f"{'measure':<34}{'deckgen':>12}{'vs pandoc':>12}")
    labels = {"cold_jobs1": "full cold build, --jobs 1", "cold_jobs2": "full cold build, --jobs 2",
              "noop": "no-op rebuild", "one_changed": "rebuild after one note changed"}
    for k, label in labels.items():
        ratio = f"{figures[k] / figures['pandoc']:.2f}x" if "pandoc" in figures else "-"
        print(f"{label:<34}{figures[k]:>10.2f} s{ratio:>12}")
    if "pandoc" in figures:
        print(f"{'pandoc, same two outputs':<34}{figures['pandoc']:>10.2f} s{'1.00x':>12}")
    print(f"{'peak memory (largest process)':<34}{figures['peak_rss_mb']:>9.0f} MB")
    figures["loadavg_start"], figures["loadavg_end"] = load_start, os.getloadavg()[0]
    print(f"load average (1 min) at start {load_start:.1f}, at end {figures['loadavg_end']:.1f}: "
          "other work on the machine skews the figures, --jobs 2 most")
    print(f"speed-up --jobs 2 over --jobs 1: {figures['cold_jobs1'] / figures['cold_jobs2']:.2f}x; "
          f"no-op rebuild: {100 * figures['noop'] / figures['cold_jobs2']:.1f} % of the cold build")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
