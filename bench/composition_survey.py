"""Composition survey: how full is each slide that is followed by its own "(계속)" continuation?

    .venv/bin/python bench/composition_survey.py [--seeds 40] [--worst 15] [NOTE.md ...]

Lays out (figures drawn, as a build does) every fixture note, the sample content, the shared
Jekyll note, generated notes (bench/notegen.py, several sizes and seeds) and any notes given,
then prints the distribution of body fill on slides before a continuation and the worst pages.
Fill = height from the body frame's top to the lowest body shape / the body frame's height.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from layout_helpers import fills_before_continuations, lay_out_drawn, page_fill  # noqa: E402
from notegen import make_note  # noqa: E402

SHARED = Path("/work/shared/fixtures/jekyll-virtualization.md")
SIZES = (10, 30, 100)


def notes(seeds: int, tmp: Path, extra: list[Path]) -> list[tuple[str, Path]]:
    out = [(p.relative_to(ROOT).as_posix(), p) for p in sorted((ROOT / "tests" / "fixtures").rglob("*.md"))]
    out += [(p.relative_to(ROOT).as_posix(), p) for p in sorted((ROOT / "content").glob("*.md"))]
    if SHARED.exists():
        out.append((SHARED.name, SHARED))
    for size in SIZES:
        for seed in range(1, seeds + 1):
            p = tmp / f"gen-{size}-{seed}.md"
            p.write_text(make_note(size, seed=seed), encoding="utf-8")
            out.append((p.name, p))
    known = {p.resolve() for _, p in out}
    return out + [(p.name, p) for p in extra if p.resolve() not in known]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=40)
    ap.add_argument("--worst", type=int, default=15)
    ap.add_argument("notes", nargs="*", type=Path)
    a = ap.parse_args()
    from deckgen.pipeline import cached_theme
    theme = cached_theme("default")[0]
    rows, parts = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for name, path in notes(a.seeds, Path(tmp), a.notes):
            try:
                _, laid, _ = lay_out_drawn(path, Path(tmp) / "figures")
            except Exception as e:      # a survey reports every note
                print(f"{name}: {type(e).__name__}: {e}")
                continue
            rows += [(f.fill, name, f) for f in fills_before_continuations(laid, theme)]
            parts += [page_fill(laid, i, theme).fill for i, s in enumerate(laid.slides) if s.parts > 1]
    fills = sorted(r[0] for r in rows)
    if not fills:
        print("no slide continues")
        return
    q = statistics.quantiles(fills, n=20) if len(fills) > 1 else fills * 19
    print(f"{len(fills)} slides before a continuation; fill min {fills[0]:.1%}  p5 {q[0]:.1%}  "
          f"p25 {q[4]:.1%}  median {q[9]:.1%}")
    parts.sort()
    print(f"{len(parts)} parts of split slides (continuations too): min {parts[0]:.1%}  "
          f"p5 {parts[len(parts) // 20]:.1%}  median {parts[len(parts) // 2]:.1%}")
    for cut in (0.25, 0.4, 0.6):
        print(f"  under {cut:.0%}: {sum(f < cut for f in fills)}")
    for fill, name, f in sorted(rows, key=lambda r: r[0])[:a.worst]:
        print(f"  {fill:6.1%}  {name}  slide {f.index + 1} '{f.title}' {f.part}/{f.parts}  {' '.join(f.shapes)}")


if __name__ == "__main__":
    main()
