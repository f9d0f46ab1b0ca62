"""Hostile-input campaign: build generated notes with the real CLI and measure each run.

For every case: `deckgen build note.md` (deck and handout editions) under /usr/bin/time -v
(user+sys CPU seconds, peak RSS of the largest process), then, when a deck was written,
/work/shared/tools/deckcheck.py (visible-word recall on the LibreOffice-rendered deck, words
drawn outside shapes, handout recall).  One TSV row per case on stdout.

    python bench/hostile_campaign.py OUT_DIR [CASE ...] [--deckcheck PYTHON] [--timeout S]

Cases are generated into OUT_DIR/cases/NAME/note.md (some are tens of MB: not in git).  The
results of the campaign that built this file are in docs/hostile-campaign.md.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

HEAD = "# 적대적 입력\n\n## 본문\n\n"
TAIL = "\n\n## 마지막 슬라이드\n\n끝맺음 문장은 반드시 남아야 합니다.\n"
DECKCHECK = Path("/work/shared/tools/deckcheck.py")


def _details(n: int) -> str:
    return "".join(f"<details><summary>요약{i + 1}</summary>\n\n내용{i + 1}\n\n" for i in range(n)) + "</details>\n" * n


def _table(cols: int, rows: int) -> str:
    head = "|" + "|".join(f"열{j}" for j in range(cols)) + "|\n|" + "---|" * cols + "\n"
    return head + "".join("|" + "|".join(f"값{i}-{j}" for j in range(cols)) + "|\n" for i in range(rows))


def text_cases() -> dict[str, Callable[[], str]]:
    """Name -> note text (body between HEAD and TAIL unless it starts with '#' or '---')."""
    return {
        "list-500": lambda: "".join("  " * i + f"- 단계{i + 1} 항목\n" for i in range(500)),
        "quote-5000-oneline": lambda: ">" * 5000 + " 깊은 인용 문장\n",
        "list-5000-oneline": lambda: "- " * 5000 + "깊은 항목 문장\n",
        "callout-5000": lambda: "".join("> " * i + f"> [!note] 상자{i + 1}\n" + "> " * (i + 1) + f"내용{i + 1}\n"
                                        for i in range(5000)),
        "details-50": lambda: _details(50),
        "details-500": lambda: _details(500),
        "div-5000": lambda: "<div>" * 5000 + "\n깊은 단락 문장\n" + "</div>" * 5000 + "\n",
        "span-5000": lambda: "문단 " + "<span>" * 5000 + "깊은인라인" + "</span>" * 5000 + " 끝\n",
        "table-200-columns": lambda: _table(200, 1),
        "table-20000-rows": lambda: _table(2, 20000),
        "hangul-200k-no-space": lambda: ("가나다라마바사아자차카타파하" * 15000)[:200000] + "\n",
        "line-2mb": lambda: ("가나다라 마바사 abc " * 140000)[:2_000_000] + "\n",
        "footnotes-5000": lambda: "".join(f"문장{i}[^f{i}] " for i in range(5000)) + "\n\n"
                                  + "".join(f"[^f{i}]: 각주{i} 설명\n" for i in range(5000)),
        "links-10000": lambda: " ".join(f"[링크{i}](https://example.com/{i})" for i in range(10000)) + "\n",
        "headings-5000": lambda: "# 제목\n\n" + "".join(f"## 절{i}\n\n문단{i}\n\n" for i in range(5000)),
        "combining-10000": lambda: "a" + "\u0301" * 10000 + " 결합 뒤 문장\n",
        "zwj-5000": lambda: "\U0001F468\u200d" * 5000 + "\U0001F468 이모지 뒤 문장\n",
        "bidi-controls": lambda: "\u202eabc 오른쪽 \u202dxyz\u2066 격리\u2069 " * 200 + " 제어 뒤 문장\n",
        "word-controls": lambda: "첫째 줄\x0b둘째 줄\x0c셋째 줄\x1e넷째 줄\n",
        "yaml-merge-chain": lambda: "---\na: &b-1 {x: 1}\n" + "".join(
            f"b{i}: &b{i} {{<<: *b{i - 1}, z{i}: {i}}}\n" for i in range(200)) + "---\n# 병합\n",
        "yaml-python-tag": lambda: "---\ntitle: !!python/object/apply:os.system ['echo pwned']\n---\n# 태그\n",
        "fence-100k-lines": lambda: "```python\n" + "".join(f"x{i} = {i}\n" for i in range(100000)) + "```\n",
        "math-10000-braces": lambda: "$$\n" + "{" * 10000 + "x" + "}" * 10000 + "\n$$\n",
        "backtick-flood": lambda: "`" * 50000 + " 백틱 " + "``" * 20000 + " 백틱 뒤 문장\n",
        "emphasis-flood": lambda: "*_" * 50000 + "강조 뒤 문장\n",
    }


def write_case(root: Path, name: str, make: Callable[[], str]) -> Path:
    folder = root / "cases" / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    body = make()
    text = body if body.startswith(("#", "---")) else HEAD + body + TAIL
    (folder / "note.md").write_text(text, encoding="utf-8")
    return folder


def _time_field(text: str, label: str) -> float:
    m = re.search(rf"{re.escape(label)}: ([\d.]+)", text)
    return float(m.group(1)) if m else 0.0


def build(folder: Path, timeout: float) -> dict:
    """Build the case's note; CPU, peak memory, exit code and diagnostic codes."""
    out = folder / "out"
    shutil.rmtree(out, ignore_errors=True)
    timing = folder / "time.txt"
    cmd = ["/usr/bin/time", "-v", "-o", str(timing), sys.executable, "-m", "deckgen", "build", "note.md",
           "-o", str(out), "--force"]
    try:
        r = subprocess.run(cmd, cwd=folder, capture_output=True, text=True, timeout=timeout)
        code, log = r.returncode, r.stdout + r.stderr
    except subprocess.TimeoutExpired:
        code, log = "timeout", ""
    t = timing.read_text() if timing.exists() else ""
    cpu = _time_field(t, "User time (seconds)") + _time_field(t, "System time (seconds)")
    return {"exit": code, "cpu_s": round(cpu, 1),
            "peak_mb": round(_time_field(t, "Maximum resident set size (kbytes)") / 1024),
            "codes": sorted(set(re.findall(r"\[([\w-]+)\]$", log, re.M))),
            "traceback": "Traceback" in log or "internal error" in log}


def check(folder: Path, python: str) -> dict:
    """deckcheck's recall figures (its own LibreOffice profile per case)."""
    deck, pdf = folder / "out" / "note.pptx", folder / "out" / "note.pdf"
    if not deck.exists():
        return {}
    cmd = [python, str(DECKCHECK), "note.md", "--pptx", str(deck)] + (["--pdf", str(pdf)] if pdf.exists() else [])
    env = {**os.environ, "HOME": str(folder / "lo-home")}      # soffice keeps its profile under HOME
    r = subprocess.run(cmd, cwd=folder, capture_output=True, text=True, timeout=600, env=env)
    try:
        j = json.loads(r.stdout)
    except json.JSONDecodeError:
        return {"deckcheck": "failed"}
    d, h = j.get("deck", {}), j.get("handout", {})
    return {"visible_recall": d.get("visible_recall"), "outside_shapes": d.get("words_outside_shapes"),
            "handout_recall": h.get("recall")}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("out", type=Path)
    ap.add_argument("cases", nargs="*")
    ap.add_argument("--deckcheck", default="", help="a Python with deckcheck's needs (python-frontmatter)")
    ap.add_argument("--timeout", type=float, default=300)
    args = ap.parse_args()
    cases = text_cases()
    print("case\texit\tcpu_s\tpeak_mb\tvisible_recall\toutside_shapes\thandout_recall\tcodes")
    for name in args.cases or list(cases):
        folder = write_case(args.out, name, cases[name])
        row = build(folder, args.timeout)
        row |= check(folder, args.deckcheck) if args.deckcheck else {}
        cells = [name] + [str(row.get(k, "")) for k in ("exit", "cpu_s", "peak_mb", "visible_recall",
                                                         "outside_shapes", "handout_recall")]
        cells.append(",".join(row["codes"]) + (" TRACEBACK" if row["traceback"] else ""))
        print("\t".join(cells), flush=True)


if __name__ == "__main__":
    main()
