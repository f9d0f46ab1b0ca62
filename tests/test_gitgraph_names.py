"""gitGraph branch names mermaid's lexer refuses (Hangul) are quoted, which its grammar accepts."""
from __future__ import annotations

import pytest

from deckgen.render.gitgraph import quote_branch_names

CASES = [
    ("gitGraph\n  commit\n  branch 기능\n  checkout 기능\n  commit\n  checkout main\n  merge 기능",
     'gitGraph\n  commit\n  branch "기능"\n  checkout "기능"\n  commit\n  checkout main\n  merge "기능"'),
    ("gitGraph LR:\n  branch 기능/로그인 order: 2\n  switch 기능/로그인\n  merge 기능/로그인 tag: \"v1\"",
     'gitGraph LR:\n  branch "기능/로그인" order: 2\n  switch "기능/로그인"\n  merge "기능/로그인" tag: "v1"'),
    ('%%{init: {"gitGraph": {"showCommitLabel": false}}}%%\ngitGraph\n  branch "이미 따옴표"\n  branch dev',
     '%%{init: {"gitGraph": {"showCommitLabel": false}}}%%\ngitGraph\n  branch "이미 따옴표"\n  branch dev'),
    ("flowchart LR\n  branch 기능 --> merge 기능", "flowchart LR\n  branch 기능 --> merge 기능"),
    ("gitGraph\n  %% branch 주석은 그대로\n  commit id: \"첫 커밋\"",
     "gitGraph\n  %% branch 주석은 그대로\n  commit id: \"첫 커밋\""),
]


@pytest.mark.parametrize("source,expected", CASES)
def test_only_unquoted_non_ascii_branch_names_of_a_gitgraph_are_quoted(source: str, expected: str) -> None:
    assert quote_branch_names(source) == expected
