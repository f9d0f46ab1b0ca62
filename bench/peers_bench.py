"""deckgen side by side with Marp CLI and pandoc, in one run, on the same generated course.

    bash bench/peers-setup.sh                     # once: pandoc, Marp CLI (pinned) and Chromium
    .venv/bin/python bench/peers_bench.py [--notes 40] [--sections 28] [--runs 3] [--dir DIR]

Every tool builds every note of one generated 40-lecture Korean course (course_bench.make_course;
the front matter also says `headingDivider: 2`, which Marp needs to cut slides at `##` and which
deckgen and pandoc ignore):

- deckgen: `deckgen build COURSE --jobs 2` (decks, handouts and instructor handouts), then a no-op
  rebuild of the same folder; and the same course with `[handout] instructor_edition = false` in
  its deckgen.toml (`deckgen_2out`: the two outputs the peers make);
- Marp CLI in its batch mode: `marp --input-dir COURSE --pdf` and `marp --input-dir COURSE --pptx`
  with `--allow-local-files` (its PPTX holds one picture per slide);
- pandoc: `pandoc note.md -o note.pptx` and `pandoc note.md --pdf-engine=weasyprint -o note.pdf`
  for every note, two notes at a time (one per core).

The tools take turns (deckgen, Marp, pandoc, deckgen, ...) so that load from elsewhere on the
machine hits all of them alike; each figure is the median of --runs runs, each run into a fresh
output folder.  Besides wall-clock seconds the script records CPU seconds (user + sys of every
process the tool started, RUSAGE_CHILDREN; this process is made a child subreaper so Chromium's
helper processes are counted even when their parent exits first), which a busy machine inflates
much less.  The table goes to stdout and everything to bench/results/peers-YYYYMMDD.json.
"""
from __future__ import annotations

import argparse
import ctypes
import json
import os
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from course_bench import count_slides, deckgen, make_course, snapshot  # noqa: E402

PEERS = HERE / ".peers"
TOOLS = ("deckgen", "deckgen_noop", "deckgen_2out", "marp_pdf", "marp_pptx", "pandoc")
"""Everything measured, in the order each run takes them."""
MARP_FRONT = "headingDivider: 2"
"""Marp CLI cuts slides only at `---` unless told; deckgen and pandoc ignore this key."""


@dataclass
class Sample:
    """One tool's run: wall-clock and CPU seconds, and its largest process."""

    wall: float
    cpu: float
    rss_mb: float


class ToolFailed(Exception):
    """A tool exited with an error or ran past --timeout: that run has no figure, the others go on."""


@dataclass
class Series:
    samples: list[Sample | None] = field(default_factory=list)
    """One per run; None where the tool failed."""

    def summary(self) -> dict[str, Any]:
        done = [s for s in self.samples if s is not None]
        failed = len(self.samples) - len(done)
        if not done:
            return {"median_s": None, "failed_runs": failed}
        walls = [s.wall for s in done]
        return {"median_s": statistics.median(walls), "min_s": min(walls), "max_s": max(walls),
                "cpu_s": statistics.median(s.cpu for s in done),
                "peak_rss_mb": max(s.rss_mb for s in done), "runs": walls, "failed_runs": failed}


def become_subreaper() -> None:
    """Orphaned grandchildren (Chromium's zygote and renderers) are re-parented to this process, so
    reaping them adds their CPU time to RUSAGE_CHILDREN instead of losing it to init."""
    if sys.platform == "linux":
        ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER


def reap_orphans() -> float:
    """Wait for re-parented descendants still running (at most 5 s); their largest RSS in MB."""
    rss = 0.0
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            pid, _, usage = os.wait4(-1, os.WNOHANG)
        except ChildProcessError:
            break
        if pid == 0:
            time.sleep(0.05)
            continue
        rss = max(rss, usage.ru_maxrss / 1024)
    return rss


def cpu_children() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


TIMEOUT = 1800.0
"""Seconds one command may run (--timeout): Marp CLI's PPTX batch was seen to hang."""


def execute(cmd: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> float:
    """Run *cmd* to completion in its own process group; its largest process's RSS in MB.
    An exit status other than 0, or more than TIMEOUT seconds (the whole group is killed), raises."""
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)
    timer = threading.Timer(TIMEOUT, lambda: os.killpg(proc.pid, signal.SIGKILL))
    timer.start()
    out = proc.stdout.read() if proc.stdout else b""
    _, status, usage = os.wait4(proc.pid, 0)
    timer.cancel()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.stderr.write(out.decode("utf-8", "replace")[-1500:])
        raise ToolFailed(f"exit status {proc.returncode}: {' '.join(cmd)[:200]}")
    return usage.ru_maxrss / 1024


def measure(batches: list[list[list[str]]], *, cwd_of=None, env=None, workers: int = 1) -> Sample:
    """Run the batches (each a list of commands run in order) *workers* at a time."""
    cpu0, start = cpu_children(), time.perf_counter()

    def batch(cmds: list[list[str]]) -> float:
        return max(execute(c, cwd_of(c) if cwd_of else None, env) for c in cmds)

    if workers == 1:
        rss = max(batch(b) for b in batches)
    else:
        with ThreadPoolExecutor(workers) as pool:
            rss = max(pool.map(batch, batches))
    wall = time.perf_counter() - start
    rss = max(rss, reap_orphans())
    return Sample(wall, cpu_children() - cpu0, rss)


def student_only(course: Path) -> Path:
    """A copy of *course* whose deckgen.toml turns the instructor edition off (beside it, same notes)."""
    twin = course.with_name(course.name + "-2out")
    shutil.rmtree(twin, ignore_errors=True)
    shutil.copytree(course, twin)
    with (twin / "deckgen.toml").open("a", encoding="utf-8") as f:
        f.write("\n[handout]\ninstructor_edition = false\n")
    return twin


def tools(course: Path, notes: list[Path], work: Path, jobs: int, marp_pptx_per_note: bool = True) -> dict:
    """Each measured tool: a function running it once into a fresh folder, returning a Sample."""
    marp = os.environ.get("MARP") or str(PEERS / "node_modules" / ".bin" / "marp")
    pandoc = os.environ.get("PANDOC") or shutil.which("pandoc")
    if not Path(marp).exists() or not pandoc:
        raise SystemExit("peers missing: run `bash bench/peers-setup.sh` first")
    chrome = os.environ.get("CHROME_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    marp_env = {**os.environ, "CHROME_PATH": chrome, "CHROME_NO_SANDBOX": "1"}
    # pandoc runs the `weasyprint` command: the one beside this Python, the version deckgen uses
    pandoc_env = {**os.environ, "PATH": str(Path(sys.executable).parent) + os.pathsep + os.environ["PATH"]}

    def run_deckgen() -> Sample:
        out = work / "deckgen-out"
        shutil.rmtree(out, ignore_errors=True)
        return measure([[deckgen(course, out, "--jobs", str(jobs))]])

    def run_noop() -> Sample:
        return measure([[deckgen(course, work / "deckgen-out", "--jobs", str(jobs))]])

    def run_deckgen_2out() -> Sample:
        out = work / "deckgen-2out"
        shutil.rmtree(out, ignore_errors=True)
        return measure([[deckgen(student_only(course), out, "--jobs", str(jobs))]])

    def run_marp(fmt: str) -> Sample:
        out = work / f"marp-{fmt}"
        shutil.rmtree(out, ignore_errors=True)
        # --browser-timeout: Marp's default 30 s per browser call fails a whole batch on a busy machine
        common = ["--no-config-file", f"--{fmt}", "--allow-local-files", "--browser-timeout", "600"]
        if fmt == "pptx" and marp_pptx_per_note:
            # Marp CLI 4.5.1's PPTX batch hangs on this course (see README): one note per call, two at a time
            batches = [[[marp, *common, str(n), "-o", str(out / n.parent.name / f"{n.stem}.pptx")]] for n in notes]
            return measure(batches, env=marp_env, workers=2)
        return measure([[[marp, *common, "--input-dir", str(course), "-o", str(out)]]], env=marp_env)

    def run_pandoc() -> Sample:
        out = work / "pandoc-out"
        shutil.rmtree(out, ignore_errors=True)
        batches = []
        for note in notes:
            target = out / note.parent.name
            target.mkdir(parents=True)
            batches.append([[pandoc, str(note), "-o", str(target / f"{note.stem}.pptx")],
                            [pandoc, str(note), "--pdf-engine=weasyprint", "-o", str(target / f"{note.stem}.pdf")]])
        cwd = {id(c): n.parent for b, n in zip(batches, notes) for c in b}
        return measure(batches, cwd_of=lambda c: cwd[id(c)], env=pandoc_env, workers=2)

    return {"deckgen": run_deckgen, "deckgen_noop": run_noop, "deckgen_2out": run_deckgen_2out,
            "marp_pdf": lambda: run_marp("pdf"),
            "marp_pptx": lambda: run_marp("pptx"), "pandoc": run_pandoc}


def pdf_pages(folder: Path) -> int:
    from pypdf import PdfReader

    return sum(len(PdfReader(p).pages) for p in folder.rglob("*.pdf") if "-instructor" not in p.name)


def pptx_slides(folder: Path) -> int:
    total = 0
    for p in folder.rglob("*.pptx"):
        with zipfile.ZipFile(p) as z:
            total += sum(1 for n in z.namelist() if n.startswith("ppt/slides/slide") and n.endswith(".xml"))
    return total


def outputs(work: Path) -> dict[str, dict[str, float]]:
    """What each tool made in the last run: slides, handout pages, megabytes."""
    def mb(folder: Path, suffix: str) -> float:
        return round(sum(p.stat().st_size for p in folder.rglob(f"*{suffix}")) / 1e6, 1)

    d, mp, mx, pd = work / "deckgen-out", work / "marp-pdf", work / "marp-pptx", work / "pandoc-out"
    return {
        "deckgen": {"slides": count_slides(d) if (d / ".deckgen-cache.json").exists() else 0,
                    "pptx_slides": pptx_slides(d), "handout_pages": pdf_pages(d),
                    "pptx_mb": mb(d, ".pptx"), "pdf_mb": mb(d, ".pdf")},
        "marp": {"pptx_slides": pptx_slides(mx), "pdf_pages": pdf_pages(mp),
                 "pptx_mb": mb(mx, ".pptx"), "pdf_mb": mb(mp, ".pdf")},
        "pandoc": {"pptx_slides": pptx_slides(pd), "handout_pages": pdf_pages(pd),
                   "pptx_mb": mb(pd, ".pptx"), "pdf_mb": mb(pd, ".pdf")},
    }


def summarise(series: dict[str, Series]) -> dict[str, dict]:
    """Medians per tool; Marp's two batch commands also summed per run (both outputs, like the others)."""
    figures = {k: s.summary() for k, s in series.items()}
    if "marp_pdf" in series and "marp_pptx" in series:
        both = Series([Sample(p.wall + x.wall, p.cpu + x.cpu, max(p.rss_mb, x.rss_mb)) if p and x else None
                       for p, x in zip(series["marp_pdf"].samples, series["marp_pptx"].samples)])
        figures["marp"] = both.summary()
    return figures


def table(fig: dict[str, dict]) -> list[str]:
    peers = [k for k in ("marp", "pandoc") if k in fig and fig[k]["median_s"] is not None]
    if fig["deckgen"]["median_s"] is None or not peers:
        return [f"{k}: {v}" for k, v in fig.items()]
    peer = min(peers, key=lambda k: fig[k]["median_s"])
    peer_cpu = min(peers, key=lambda k: fig[k]["cpu_s"])
    rows = [("deckgen", "deckgen build --jobs 2 (pptx + handouts)"),
            ("deckgen_2out", "deckgen, no instructor edition (2 outputs)"), ("marp_pdf", "Marp CLI --pdf"),
            ("marp_pptx", "Marp CLI --pptx"), ("marp", "Marp CLI, both"),
            ("pandoc", "pandoc pptx + weasyprint pdf, 2 at once"), ("deckgen_noop", "deckgen no-op rebuild")]
    lines = [f"{'tool':<42}{'median s':>9}{'min':>8}{'max':>8}{'CPU s':>8}{'RSS MB':>8}{'vs peer':>9}"]
    for key, label in rows:
        f = fig.get(key)
        if f is None:                       # not run (--tools)
            continue
        if f["median_s"] is None:
            lines.append(f"{label:<42}{'failed':>9}")
            continue
        ratio = f"{f['median_s'] / fig[peer]['median_s']:.2f}x" if key.startswith("deckgen") else ""
        lines.append(f"{label:<42}{f['median_s']:>9.2f}{f['min_s']:>8.2f}{f['max_s']:>8.2f}"
                     f"{f['cpu_s']:>8.1f}{f['peak_rss_mb']:>8.0f}{ratio:>9}")
    lines.append(f"deckgen / faster peer ({peer}): {fig['deckgen']['median_s'] / fig[peer]['median_s']:.2f}x "
                 f"wall clock; in CPU seconds (vs {peer_cpu}): "
                 f"{fig['deckgen']['cpu_s'] / fig[peer_cpu]['cpu_s']:.2f}x")
    two = fig.get("deckgen_2out")
    if two and two["median_s"] is not None:
        lines.append(f"deckgen with the peers' two outputs / faster peer: "
                     f"{two['median_s'] / fig[peer]['median_s']:.2f}x wall clock, "
                     f"{two['cpu_s'] / fig[peer_cpu]['cpu_s']:.2f}x CPU")
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--notes", type=int, default=40)
    ap.add_argument("--sections", type=int, default=28, help="## sections per note (about one slide each)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--jobs", type=int, default=2, help="deckgen's --jobs (default 2: one per core)")
    ap.add_argument("--dir", type=Path, default=None, help="work folder (default: a temporary one)")
    ap.add_argument("--live", action="store_true", help="run the working tree's deckgen, not a snapshot of it")
    ap.add_argument("--no-instructor", action="store_true",
                    help="deckgen.toml [handout] instructor_edition = false: the same two outputs as the peers")
    ap.add_argument("--json", type=Path, default=HERE / "results" / f"peers-{datetime.now(UTC):%Y%m%d}.json")
    ap.add_argument("--marp-pptx-batch", action="store_true",
                    help="Marp's PPTX as one --input-dir batch (hangs with Marp CLI 4.5.1; default: one note per call)")
    ap.add_argument("--timeout", type=float, default=TIMEOUT, help="seconds one command may run")
    ap.add_argument("--tools", default=",".join(TOOLS),
                    help=f"which to run, in this order each run (default: all of {','.join(TOOLS)})")
    args = ap.parse_args(argv)
    globals()["TIMEOUT"] = args.timeout

    become_subreaper()
    work = args.dir or Path(tempfile.mkdtemp(prefix="deckgen-peers-"))
    work.mkdir(parents=True, exist_ok=True)
    course = work / "course"
    notes = make_course(course, args.notes, args.sections, front=MARP_FRONT)
    if args.no_instructor:
        with (course / "deckgen.toml").open("a", encoding="utf-8") as f:
            f.write("\n[handout]\ninstructor_edition = false\n")
    if not args.live:
        snapshot(work)
    run = tools(course, notes, work, args.jobs, not args.marp_pptx_batch)
    load_start = os.getloadavg()[0]
    print(f"course: {len(notes)} notes in {course}; {args.runs} runs, {os.cpu_count()} cores, "
          f"load average {load_start:.1f}", flush=True)
    chosen = [t for t in TOOLS if t in args.tools.split(",")]
    series = {k: Series() for k in chosen}
    for r in range(args.runs):
        for key in chosen:
            try:
                s = run[key]()
            except ToolFailed as e:
                series[key].samples.append(None)
                reap_orphans()
                print(f"run {r + 1}: {key:<13} FAILED ({e})", flush=True)
                continue
            series[key].samples.append(s)
            print(f"run {r + 1}: {key:<13} {s.wall:7.2f} s wall, {s.cpu:7.1f} s CPU, {s.rss_mb:5.0f} MB",
                  flush=True)
        result = record(args, series, work, load_start, r + 1)   # after every run: a late failure keeps them
    print()
    print(f"{args.notes} notes x {args.sections} sections, median of {args.runs} runs, "
          f"load average {load_start:.1f} -> {os.getloadavg()[0]:.1f} (other work skews wall clock, not CPU s)")
    print("\n".join(table(result["figures"])))
    for tool, m in result["outputs"].items():
        print(f"{tool} made: " + ", ".join(f"{k} {v}" for k, v in m.items()))
    print(f"written: {args.json}")
    return 0


def record(args: argparse.Namespace, series: dict[str, Series], work: Path, load_start: float,
           runs_done: int) -> dict[str, Any]:
    """Write the figures so far to --json; returns them."""
    result = {"when": datetime.now(UTC).isoformat(timespec="seconds"), "notes": args.notes,
              "sections": args.sections, "runs": runs_done, "jobs": args.jobs, "cores": os.cpu_count(),
              "instructor_edition": not args.no_instructor, "loadavg": [load_start, os.getloadavg()[0]],
              "figures": summarise(series), "outputs": outputs(work),
              "versions": versions()}
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=1, ensure_ascii=False), encoding="utf-8")
    return result


def versions() -> dict[str, str]:
    def first_line(cmd: list[str]) -> str:
        try:
            return subprocess.run(cmd, capture_output=True, text=True, timeout=60).stdout.splitlines()[0]
        except (OSError, IndexError, subprocess.TimeoutExpired):
            return ""

    marp = os.environ.get("MARP") or str(PEERS / "node_modules" / ".bin" / "marp")
    return {"marp": first_line([marp, "--version"]), "pandoc": first_line(["pandoc", "--version"]),
            "chromium": first_line([os.environ.get("CHROME_PATH") or "chromium", "--version"]),
            "python": sys.version.split()[0]}


if __name__ == "__main__":
    sys.exit(main())
