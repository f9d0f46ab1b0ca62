"""Parser goldens: each tests/fixtures/model/NAME.md parses to NAME.yaml.

Regenerate after a deliberate change with DECKGEN_UPDATE_GOLDENS=1 and review the diff.
"""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from deckgen.diagnostics import Diagnostics
from deckgen.model import to_data
from deckgen.parse import parse_note

from conftest import FIXTURES, UPDATE_GOLDENS

CASES = sorted((FIXTURES / "model").glob("*.md"))


def snapshot(note: Path) -> dict:
    diags = Diagnostics()
    doc = parse_note(note, diags, display=note.name, root=note.parent)
    data = to_data(doc)
    data.pop("path", None)
    data["diagnostics"] = [d.format() for d in diags.items]
    return data


@pytest.mark.parametrize("note", CASES, ids=[c.stem for c in CASES])
def test_model_golden(note: Path) -> None:
    got = snapshot(note)
    golden = note.with_suffix(".yaml")
    if UPDATE_GOLDENS or not golden.exists():
        golden.write_text(yaml.safe_dump(got, allow_unicode=True, sort_keys=False, width=100), encoding="utf-8")
        if not UPDATE_GOLDENS:
            pytest.fail(f"{golden.name} did not exist; written now, review it and run again")
    assert got == yaml.safe_load(golden.read_text(encoding="utf-8"))
