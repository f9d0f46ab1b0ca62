"""The stage order holds: no import cycles (measured from the files) and import-linter's contracts kept.

pyproject.toml's [tool.importlinter] states the contracts; this runs `lint-imports` on the package,
and on a copy with a python-pptx import added to the layout stage, which must be refused.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT
from import_graph import cycles, external_imports, import_graph

LINT_IMPORTS = str(Path(sys.executable).with_name("lint-imports"))


def _lint_imports(root: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run([LINT_IMPORTS, "--no-cache"], cwd=root, env=env, capture_output=True, text=True,
                          timeout=120)


def test_no_import_cycles_not_even_typing_only() -> None:
    graph = import_graph(ROOT)
    assert len(graph) > 50 and "deckgen.read.parse" in graph["deckgen.pipeline"]
    assert cycles(graph) == []


def test_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_only_backends_import_pptx_and_weasyprint() -> None:
    users = sorted(m for m, tops in external_imports(ROOT).items() if tops & {"pptx", "weasyprint", "pypdf"})
    assert users and all(m.startswith("deckgen.backends.") for m in users), users


def test_import_contracts_are_kept() -> None:
    proc = _lint_imports(ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "6 kept, 0 broken" in proc.stdout


def test_a_pptx_import_in_layout_breaks_the_contract(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "deckgen", tmp_path / "deckgen", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    runs = tmp_path / "deckgen" / "layout" / "runs.py"
    runs.write_text(runs.read_text(encoding="utf-8") + "\nimport pptx\n", encoding="utf-8")
    proc = _lint_imports(tmp_path)
    assert proc.returncode != 0
    assert "layout never imports python-pptx, WeasyPrint, markdown-it or a backend BROKEN" in proc.stdout
    assert "deckgen.layout.runs -> pptx" in proc.stdout
