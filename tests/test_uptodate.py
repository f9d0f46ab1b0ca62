"""The up-to-date check: file stats first, hashes only for files whose stats changed, and no
stage library imported when nothing needs building."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import deckgen.course.cache as cache_mod
from deckgen.cli import main

OLD = 1_600_000_000  # an mtime well before any build: old enough for its stats to be trusted


def _course(tmp_path: Path, n: int = 3) -> tuple[Path, Path]:
    src = tmp_path / "c"
    src.mkdir()
    for i in range(n):
        p = src / f"n{i}.md"
        p.write_text(f"# 노트 {i}\n\n## 슬라이드\n\n- 첫째 {i}\n", encoding="utf-8")
        os.utime(p, (OLD, OLD))
    return src, tmp_path / "out"


def _build(capsys, src: Path, out: Path) -> dict[str, str]:
    assert main(["build", str(src), "-o", str(out), "--format", "pptx", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    return {Path(n["path"]).name: n["status"] for n in report["notes"]}


def _hashed(monkeypatch) -> list[str]:
    """Record the files the cache hashes from now on."""
    seen: list[str] = []
    real = cache_mod.file_hash

    def spy(path):
        seen.append(Path(path).name)
        return real(path)
    monkeypatch.setattr(cache_mod, "file_hash", spy)
    return seen


def test_unchanged_stats_skip_without_reading_the_notes(tmp_path: Path, capsys, monkeypatch):
    src, out = _course(tmp_path)
    assert set(_build(capsys, src, out).values()) == {"built"}
    entry = json.loads((out / ".deckgen-cache.json").read_text(encoding="utf-8"))["entries"]
    stats = entry[str((src / "n0.md").resolve())]["stats"]
    assert list(stats.values()) == [[(src / "n0.md").stat().st_size, OLD * 10**9]]
    seen = _hashed(monkeypatch)
    assert set(_build(capsys, src, out).values()) == {"skipped"}
    assert not [n for n in seen if n.endswith(".md")]


def test_a_touched_note_is_hashed_once_then_trusted_again(tmp_path: Path, capsys, monkeypatch):
    src, out = _course(tmp_path)
    _build(capsys, src, out)
    os.utime(src / "n1.md", (OLD + 60, OLD + 60))  # new mtime, same bytes
    seen = _hashed(monkeypatch)
    assert set(_build(capsys, src, out).values()) == {"skipped"}
    assert [n for n in seen if n.endswith(".md")] == ["n1.md"]
    seen.clear()
    assert set(_build(capsys, src, out).values()) == {"skipped"}
    assert not [n for n in seen if n.endswith(".md")]  # the refreshed stats were saved


def test_an_edit_with_new_stats_rebuilds_and_equal_stats_are_the_documented_miss(tmp_path: Path, capsys):
    src, out = _course(tmp_path)
    _build(capsys, src, out)
    n2 = src / "n2.md"
    n2.write_text(n2.read_text(encoding="utf-8").replace("첫째", "둘째"), encoding="utf-8")
    os.utime(n2, (OLD, OLD))  # same size, same mtime: the one change stats cannot see
    assert _build(capsys, src, out)["n2.md"] == "skipped"
    os.utime(n2, (OLD + 5, OLD + 5))
    assert _build(capsys, src, out) == {"n0.md": "skipped", "n1.md": "skipped", "n2.md": "built"}


def test_a_note_modified_just_now_gets_no_stats(tmp_path: Path, capsys):
    src, out = _course(tmp_path)
    (src / "n0.md").write_text("# 방금\n\n## 슬라이드\n\n- 새 글\n", encoding="utf-8")
    _build(capsys, src, out)
    entries = json.loads((out / ".deckgen-cache.json").read_text(encoding="utf-8"))["entries"]
    assert entries[str((src / "n0.md").resolve())]["stats"] == {}
    assert len(entries[str((src / "n1.md").resolve())]["stats"]) == 1


HEAVY = ("pptx", "weasyprint", "markdown_it", "PIL", "fontTools", "pydyf", "deckgen.pipeline", "lxml",
         "deckgen.model", "importlib.metadata", "multiprocessing", "concurrent.futures")
"""What an up-to-date run does without: the stages' libraries, the template reader's lxml, the
document model (a skipped note's messages need only deckgen.diagnostics), the installed metadata
(deckgen.__version__ is written out) and the worker pool."""


@pytest.mark.parametrize("formats", ["pptx", "pptx,pdf"])
def test_an_up_to_date_run_imports_no_stage_library(tmp_path: Path, capsys, formats: str):
    src, out = _course(tmp_path, 2)
    assert main(["build", str(src), "-o", str(out), "--format", formats, "-q"]) == 0
    probe = ("import sys; from deckgen.cli import main; "
             f"code = main(['build', {str(src)!r}, '-o', {str(out)!r}, '--format', {formats!r}, '--json']); "
             f"print([m for m in {HEAVY!r} if m in sys.modules], file=sys.stderr); sys.exit(code)")
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["totals"]["skipped"] == 2
    assert proc.stderr.strip().splitlines()[-1] == "[]"


def test_other_code_or_another_version_rebuilds(tmp_path: Path, capsys, monkeypatch):
    """The cache keys on deckgen's code as well as its release version: a developer's edit
    (same version) rebuilds as a new release does."""
    src, out = _course(tmp_path, 2)
    assert set(_build(capsys, src, out).values()) == {"built"}
    assert set(_build(capsys, src, out).values()) == {"skipped"}
    monkeypatch.setattr(cache_mod, "code_digest", lambda: "0" * 64)
    assert set(_build(capsys, src, out).values()) == {"built"}
    monkeypatch.setattr(cache_mod, "__version__", "99.0")
    assert set(_build(capsys, src, out).values()) == {"built"}
    assert set(_build(capsys, src, out).values()) == {"skipped"}


def test_the_code_digest_sees_every_source_byte_and_no_bytecode(tmp_path: Path):
    import shutil

    package = tmp_path / "deckgen"
    shutil.copytree(Path(cache_mod.__file__).parent.parent, package,
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    before = cache_mod.package_digest(package)
    assert before == cache_mod.code_digest()                          # the installed code, bytecode aside
    (package / "course" / "__pycache__").mkdir(exist_ok=True)
    (package / "course" / "__pycache__" / "cache.cpython-311.pyc").write_bytes(b"compiled")
    assert cache_mod.package_digest(package) == before
    sample = package / "course" / "gallery_sample.md"
    sample.write_bytes(sample.read_bytes() + b" ")
    assert cache_mod.package_digest(package) != before
