"""Shared helpers: building notes into temporary folders, reading decks and PDFs."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
UPDATE_GOLDENS = os.environ.get("DECKGEN_UPDATE_GOLDENS") == "1"


def need(*programs: str) -> None:
    """Fail (not skip) when a program the suite relies on is missing: .ci/run installs them."""
    missing = [p for p in programs if shutil.which(p) is None]
    if missing:
        pytest.fail(f"missing programs {missing}: run scripts/test.sh, which installs them")


def run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, capture_output=True, text=True, timeout=600, **kw)


@pytest.fixture(scope="session")
def theme():
    from deckgen.pipeline import cached_theme
    return cached_theme("default")[0]


@pytest.fixture(scope="session")
def measurer():
    from deckgen.pipeline import cached_theme
    return cached_theme("default")[1]


def build(note: Path, out: Path, *args: str) -> subprocess.CompletedProcess:
    """Run the real CLI on *note* into *out*."""
    import sys
    return run([sys.executable, "-m", "deckgen", "build", str(note), "-o", str(out), *args], cwd=ROOT)


def assert_golden(golden: Path, got, *, width: int = 100) -> None:
    """Compare *got* with the YAML golden; DECKGEN_UPDATE_GOLDENS=1 (or a missing file) writes it."""
    import yaml
    if UPDATE_GOLDENS or not golden.exists():
        golden.write_text(yaml.safe_dump(got, allow_unicode=True, sort_keys=False, width=width), encoding="utf-8")
        if not UPDATE_GOLDENS:
            pytest.fail(f"{golden.name} did not exist; written now, review it and run again")
    assert got == yaml.safe_load(golden.read_text(encoding="utf-8"))
