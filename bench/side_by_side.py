"""Contact sheets: the same note built by deckgen, pandoc and Marp CLI, slide by slide.

    bash bench/peers-setup.sh        # once: pandoc, Marp CLI and Chromium
    .venv/bin/python bench/side_by_side.py NOTE.md... [--out out/side-by-side] [--dpi 40]
                                           [--first N] [--cols 6]

For each note: deckgen's PPTX and pandoc's PPTX are rendered by LibreOffice (its own profile in
/tmp/lo-side-by-side), Marp's PDF is used as Marp draws it, and pdftoppm turns every slide into a
PNG.  The sheet OUT/NOTE.png has one band per tool (deckgen, pandoc, Marp), slides in reading
order with their numbers, all scaled to one height so 4:3 (pandoc's default) and 16:9 compare.

The peers are told the heading level deckgen cuts slides at (given or inferred), as a user would
tell them: pandoc's `--slide-level`, and Marp's `headingDivider` through a Marp config file (Marp
cuts slides only at `---` unless told), so the note itself is not changed.  A note with
`marp: true` keeps its own directives.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TOOLS = ("deckgen", "pandoc", "Marp")
LABEL_W, GAP, NUMBER_H = 120, 8, 18


def run(cmd: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> None:
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr[-2000:]}")


def slide_level(note: Path) -> int:
    """The heading level deckgen cuts slides at (given or inferred): the peers are told the same."""
    from deckgen.cachedir import find_project_root
    from deckgen.diagnostics import Diagnostics
    from deckgen.layout.slides import split_slides
    from deckgen.read.assets import AssetResolver
    from deckgen.read.parse import parse_source
    from deckgen.read.source import read_source

    diags = Diagnostics()
    doc = parse_source(read_source(note, str(note), diags), diags, AssetResolver(note, find_project_root(note)))
    return split_slides(doc).slide_level


def is_marp_deck(text: str) -> bool:
    head = text.split("\n---", 1)[0] if text.startswith("---\n") else ""
    return any(line.strip() in ("marp: true", "marp: yes") for line in head.splitlines())


def build(note: Path, work: Path) -> dict[str, Path]:
    """Each tool's slides as a PDF: deckgen and pandoc through LibreOffice, Marp's own."""
    stem = note.stem
    work.mkdir(parents=True, exist_ok=True)
    run([sys.executable, "-m", "deckgen", "build", str(note), "-o", str(work / "deckgen"), "--format", "pptx",
         "-q", "--force"])
    shutil.copy(work / "deckgen" / f"{stem}.pptx", work / f"{stem}-deckgen.pptx")
    pandoc = os.environ.get("PANDOC") or shutil.which("pandoc") or "pandoc"
    level = slide_level(note)
    run([pandoc, note.name, f"--slide-level={level}", "-o", str(work / f"{stem}-pandoc.pptx")], cwd=note.parent)
    run(["soffice", "-env:UserInstallation=file:///tmp/lo-side-by-side", "--headless", "--convert-to", "pdf",
         "--outdir", str(work), str(work / f"{stem}-deckgen.pptx"), str(work / f"{stem}-pandoc.pptx")])
    marp = os.environ.get("MARP") or str(HERE / ".peers" / "node_modules" / ".bin" / "marp")
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH") or shutil.which("chromium") or "",
           "CHROME_NO_SANDBOX": "1"}
    text = note.read_text(encoding="utf-8")
    config = ["--no-config-file"]
    if not is_marp_deck(text):
        (work / "marp.json").write_text(json.dumps({"options": {"headingDivider": level}}))
        config = ["--config-file", str(work / "marp.json")]
    run([marp, *config, note.name, "--pdf", "--allow-local-files", "-o", str(work / f"{stem}-marp.pdf")],
        cwd=note.parent, env=env)
    return {tool: work / f"{stem}-{tool.lower()}.pdf" for tool in TOOLS}


def rasterise(pdf: Path, dpi: int, first: int) -> list[Image.Image]:
    folder = Path(tempfile.mkdtemp(prefix="sbs-", dir=pdf.parent))
    cmd = ["pdftoppm", "-r", str(dpi), "-png"] + (["-l", str(first)] if first else []) + [str(pdf), str(folder / "p")]
    run(cmd)
    pages = [Image.open(p).convert("RGB") for p in sorted(folder.glob("p-*.png"))]
    shutil.rmtree(folder)
    return pages


def font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    path = subprocess.run(["fc-match", "-f", "%{file}", "DejaVu Sans:bold"], capture_output=True,
                          text=True).stdout.strip()
    return ImageFont.truetype(path, size) if path else ImageFont.load_default()


def sheet(bands: dict[str, list[Image.Image]], height: int, cols: int) -> Image.Image:
    """One band per tool: a label, then the slides in rows of *cols*, each scaled to *height*."""
    width = round(height * 16 / 9)
    cell_w, cell_h = width + GAP, height + NUMBER_H + GAP
    rows = {tool: max(1, -(-len(pages) // cols)) for tool, pages in bands.items()}
    total_h = sum(r * cell_h + GAP for r in rows.values()) + GAP
    out = Image.new("RGB", (LABEL_W + cols * cell_w + GAP, total_h), "white")
    draw = ImageDraw.Draw(out)
    big, small = font(22), font(13)
    y = GAP
    for tool, pages in bands.items():
        draw.text((10, y + 10), tool, fill="black", font=big)
        draw.text((10, y + 40), f"{len(pages)} slides", fill="#555555", font=small)
        for i, page in enumerate(pages):
            thumb = page.resize((max(1, round(page.width * height / page.height)), height), Image.Resampling.LANCZOS)
            x = LABEL_W + (i % cols) * cell_w
            top = y + (i // cols) * cell_h
            out.paste(thumb, (x, top))
            draw.rectangle((x, top, x + thumb.width - 1, top + height - 1), outline="#999999")
            draw.text((x, top + height + 2), str(i + 1), fill="#333333", font=small)
        y += rows[tool] * cell_h + GAP
        draw.line((0, y - GAP // 2, out.width, y - GAP // 2), fill="#cccccc", width=2)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("notes", nargs="+", type=Path)
    ap.add_argument("--out", type=Path, default=ROOT / "out" / "side-by-side")
    ap.add_argument("--dpi", type=int, default=40, help="pdftoppm resolution of each slide")
    ap.add_argument("--first", type=int, default=0, help="only the first N slides of each tool (0: all)")
    ap.add_argument("--cols", type=int, default=6, help="slides per row")
    args = ap.parse_args(argv)
    for note in args.notes:
        note = note.resolve()
        pdfs = build(note, args.out / note.stem)
        bands = {tool: rasterise(pdf, args.dpi, args.first) for tool, pdf in pdfs.items()}
        height = round(7.5 * args.dpi)
        target = args.out / f"{note.stem}.png"
        # a 256-colour palette: a quarter of the bytes, and flat slide colours survive it
        sheet(bands, height, args.cols).quantize(256, method=Image.Quantize.FASTOCTREE).save(target, optimize=True)
        print(f"{note}: " + ", ".join(f"{t} {len(p)} slides" for t, p in bands.items()) + f" -> {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
