"""The hostile-input matrix: every folder of tests/hostile/ is one row (see its README.md).

Each row is built by the real CLI in a subprocess with a memory limit and a wall-clock
timeout; the row's expect.toml says what must come out.  The rows are data: adding a
hostile case means adding a folder, not code.
"""
from __future__ import annotations

import os
import re
import resource
import shutil
import subprocess
import sys
import tomllib
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest

from conftest import need
from test_end_to_end import deck_text

HOSTILE = Path(__file__).resolve().parent / "hostile"
ROWS = sorted(p for p in HOSTILE.iterdir() if (p / "expect.toml").is_file())
DIAG = re.compile(r"^(?P<path>.*?)(?::(?P<line>\d+))?: (?P<sev>info|warning|error): .*\[(?P<code>[\w-]+)\]$", re.M)
WORD = re.compile(r"[A-Za-z\uac00-\ud7a3]{2,}")
SYNTAX = [re.compile(p) for p in (
    r"<[^>\n]*>",                      # HTML tags and their attributes
    r"\]\([^)\n]*\)",                  # link and image targets
    r"\{[:%{][^}\n]*\}+",              # kramdown IALs, Liquid
    r"\\[A-Za-z]+",                    # TeX commands
    r"^\s*```+\s*\w*",                 # fence info strings
    r"https?://\S+",
    r"^[\w-]+:(?=\s|$)",               # YAML keys
    r"\[![\w-]+\][+-]?",                # callout types: > [!note]
)]


def _limits(memory_mib: int):
    def apply() -> None:
        limit = memory_mib * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    return apply


def _expect(row: Path) -> dict:
    return tomllib.loads((row / "expect.toml").read_text(encoding="utf-8"))


def _build(row: Path, exp: dict, work: Path) -> tuple[subprocess.CompletedProcess | str, Path, Path]:
    src = work / "src"
    shutil.copytree(row, src, ignore=shutil.ignore_patterns("expect.toml"))
    note = src / exp.get("note", "note.md")
    if exp.get("setup"):
        import hostile_setup
        note = getattr(hostile_setup, exp["setup"])(src) or note
    out = work / "out"
    cmd = [sys.executable, "-m", "deckgen", "build", str(note), "-o", str(out), *exp.get("args", [])]
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, cwd=src, timeout=exp.get("timeout_s", 60),
                           preexec_fn=_limits(exp.get("memory_mib", 1536)))
    except subprocess.TimeoutExpired:
        return f"no result within {exp.get('timeout_s', 60)} s", note, out
    return r, note, out


@pytest.fixture(scope="module")
def builds(request, tmp_path_factory) -> dict[str, Future]:
    """Every selected row, built a few at a time (rows are independent subprocesses)."""
    selected = {item.callspec.params["row"].name for item in request.session.items
                if hasattr(item, "callspec") and "row" in item.callspec.params}
    pool = ThreadPoolExecutor(max_workers=max(1, os.cpu_count() or 1))
    request.addfinalizer(lambda: pool.shutdown(wait=True, cancel_futures=True))
    return {row.name: pool.submit(_build, row, _expect(row), tmp_path_factory.mktemp(row.name))
            for row in ROWS if row.name in selected}


def _outputs_text(out: Path) -> tuple[str, str]:
    deck = "\n".join(deck_text(p) for p in sorted(out.rglob("*.pptx")))
    pdfs = sorted(out.rglob("*.pdf"))
    if pdfs:
        need("pdftotext")
    handout = "\n".join(subprocess.run(["pdftotext", str(p), "-"], capture_output=True, text=True).stdout
                        for p in pdfs)
    return deck, handout


def _squash(text: str) -> str:
    """Whitespace and invisible joiners removed, so a word wrapped across lines is still found."""
    return re.sub(r"[\s\u00ad\u200b\u2060\ufeff]+", "", text)


def _body_words(note: Path) -> list[tuple[int, str]]:
    """(file line, word) for every word a reader of the note would expect to see."""
    words = []
    for n, line in enumerate(note.read_text(encoding="utf-8", errors="replace").split("\n"), 1):
        for pattern in SYNTAX:
            line = pattern.sub(" ", line)
        words += [(n, w) for w in WORD.findall(line)]
    return words


def _check_words(exp: dict, note: Path, found: str, diags: list[re.Match]) -> None:
    slack = exp.get("word_slack", 0)
    named = {int(d["line"] or 0) + k for d in diags if d["sev"] != "info" for k in range(-slack, slack + 1)}
    ignore = set(exp.get("ignore_words", []))
    lost = [(n, w) for n, w in _body_words(note)
            if w not in ignore and n not in named and w not in found and w.lower() not in found.lower()]
    assert not lost, f"words lost without a warning naming their line: {lost[:20]}"


@pytest.mark.parametrize("row", ROWS, ids=[p.name for p in ROWS])
def test_hostile_row(row: Path, builds: dict[str, Future]) -> None:
    exp = _expect(row)
    r, note, out = builds[row.name].result()
    assert not isinstance(r, str), r
    output = r.stdout + r.stderr
    assert "Traceback" not in output and "internal error" not in output, output[-3000:]
    assert r.returncode == exp.get("exit", 0), output[-3000:]
    diags = list(DIAG.finditer(r.stderr))
    for want in exp.get("diagnostics", []):
        assert any(d["code"] == want["code"] and str(want.get("line", d["line"])) == str(d["line"])
                   and want.get("severity", d["sev"]) == d["sev"] for d in diags), (want, r.stderr[-3000:])
    for code in exp.get("forbidden_codes", []):
        assert not any(d["code"] == code for d in diags), (code, r.stderr[-3000:])
    for name in exp.get("output_names", []):
        assert (out / name).exists(), (name, sorted(p.name for p in out.rglob("*")))
    deck, handout = _outputs_text(out)
    for w in exp.get("deck_words", []):
        assert _squash(w) in _squash(deck), w
    for w in exp.get("handout_words", []):
        assert _squash(w) in _squash(handout), w
    for w in exp.get("absent_words", []):
        assert w not in deck and w not in handout, w
    if exp.get("check_words", True) and r.returncode == 0 and note.exists():
        _check_words(exp, note, _squash(deck + handout), diags)


def test_every_row_is_well_formed() -> None:
    """A typo in expect.toml must not make a row pass by checking nothing."""
    known = {"description", "issue_item", "args", "note", "setup", "exit", "timeout_s", "memory_mib",
             "deck_words", "handout_words", "absent_words", "check_words", "word_slack", "ignore_words",
             "output_names", "diagnostics", "forbidden_codes"}
    assert len(ROWS) >= 1
    for row in ROWS:
        exp = _expect(row)
        assert set(exp) <= known, (row.name, set(exp) - known)
        assert exp.get("description"), row.name
        assert (row / exp.get("note", "note.md")).exists() or exp.get("setup"), row.name
