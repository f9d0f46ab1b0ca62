"""Give each predicted line of a paragraph its styled runs back.

Layout stores a paragraph as styled runs plus the text of each predicted
line (spaces collapsed, hard breaks split, line ends trimmed).  To draw a
line with its bold, colours and links, walk the runs' characters alongside
the line texts: matching characters take their run's style; whitespace the
measurer collapsed or dropped is skipped.  Nothing is lost: a character of a
line that matches no run (never expected) is drawn in the nearest run's style.
"""
from __future__ import annotations

from dataclasses import replace

from deckgen.layout.geometry import Para, Run


def _chars(runs: tuple[Run, ...]) -> list[tuple[str, int]]:
    return [(ch, i) for i, r in enumerate(runs) for ch in r.text]


def line_runs(para: Para) -> list[list[Run]]:
    """One list of runs per predicted line (a paragraph without lines gives one empty line)."""
    if not para.runs:
        return [[] for _ in para.lines] or [[]]
    stream = _chars(para.runs)
    pos = 0
    out: list[list[Run]] = []
    for line in para.lines or ("",):
        owners: list[int] = []
        for ch in line:
            while pos < len(stream) and stream[pos][0] != ch and stream[pos][0].isspace():
                pos += 1
            if pos < len(stream) and stream[pos][0] == ch:
                owners.append(stream[pos][1])
                pos += 1
            else:
                owners.append(stream[min(pos, len(stream) - 1)][1])
        out.append(_group(line, owners, para.runs))
    return out


def _group(line: str, owners: list[int], runs: tuple[Run, ...]) -> list[Run]:
    """Consecutive characters of one run become one run with that run's style."""
    out: list[Run] = []
    start = 0
    for k in range(1, len(line) + 1):
        if k == len(line) or owners[k] != owners[start]:
            out.append(replace(runs[owners[start]], text=line[start:k]))
            start = k
    return out
