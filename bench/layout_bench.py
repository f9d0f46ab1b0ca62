"""Layout benchmark: time and peak memory for a generated N-slide Korean note.

    .venv/bin/python bench/layout_bench.py [--slides 1000] [--runs 5]

Reports the median of each stage (parse, slide split, layout, PPTX write) in
one process, peak memory (max RSS) of a process that lays the note out and
writes the deck, and, when pandoc is installed, the whole `deckgen build
--format pptx` command side by side with `pandoc NOTE -o DECK.pptx` on the
same note (medians, and deckgen's time as a ratio of pandoc's).
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from notegen import make_note  # noqa: E402


def stages(note: Path) -> dict[str, float]:
    from deckgen.backends.pptx.writer import write_pptx
    from deckgen.diagnostics import Diagnostics
    from deckgen.layout.deck import Layouter
    from deckgen.pipeline import cached_theme
    from deckgen.read.parse import parse_note
    from deckgen.layout.slides import split_slides

    theme, measurer = cached_theme("default")
    diags = Diagnostics()
    t0 = time.perf_counter()
    doc = parse_note(note, diags, display=note.name)
    t1 = time.perf_counter()
    deck = split_slides(doc)
    t2 = time.perf_counter()
    laid = Layouter(theme, measurer, diags, lang=doc.meta.lang).layout_deck(deck)
    t3 = time.perf_counter()
    write_pptx(laid, theme)
    t4 = time.perf_counter()
    return {"parse": t1 - t0, "split": t2 - t1, "layout": t3 - t2, "pptx": t4 - t3,
            "slides": len(laid.slides)}


def peak_rss_mb(note: Path) -> float:
    code = ("import sys, resource; sys.path.insert(0, %r); sys.path.insert(0, %r);"
            "from layout_bench import stages; from pathlib import Path; stages(Path(%r));"
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)") % (str(ROOT), str(ROOT / "bench"), str(note))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return int(out.strip().splitlines()[-1]) / 1024


def timed(cmd: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--slides", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="deckgen-bench"))
    note = tmp / f"note{args.slides}.md"
    note.write_text(make_note(args.slides, seed=args.slides), encoding="utf-8")
    stages(note)                                   # warm fonts and caches once
    runs = [stages(note) for _ in range(args.runs)]
    print(f"note: {args.slides} sections, {note.stat().st_size / 1024:.0f} KiB, "
          f"{runs[0]['slides']} slides after layout; medians of {args.runs} runs")
    for key in ("parse", "split", "layout", "pptx"):
        print(f"  {key:<7} {statistics.median(r[key] for r in runs):7.3f} s")
    print(f"  peak memory (parse + layout + write, one process): {peak_rss_mb(note):.0f} MiB")
    deckgen = timed([sys.executable, "-m", "deckgen", "build", str(note), "-o", str(tmp / "dg"),
                     "--format", "pptx", "-q", "--force"], args.runs)
    print(f"  deckgen build --format pptx (whole command): {deckgen:.2f} s")
    if shutil.which("pandoc"):
        pandoc = timed(["pandoc", str(note), "-o", str(tmp / "pandoc.pptx")], args.runs)
        print(f"  pandoc -o pptx (baseline, same note):       {pandoc:.2f} s; deckgen/pandoc = {deckgen / pandoc:.2f}")
    else:
        print("  pandoc not installed: no baseline (apt-get install pandoc)")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
