"""Parser goldens: each tests/fixtures/model/NAME.md parses to NAME.yaml.

Regenerate after a deliberate change with DECKGEN_UPDATE_GOLDENS=1 and review the diff.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from deckgen.diagnostics import Diagnostics
from deckgen.model import to_data
from deckgen.read.parse import parse_note

from conftest import FIXTURES, assert_golden

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
    assert_golden(note.with_suffix(".yaml"), snapshot(note))
