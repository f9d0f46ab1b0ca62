"""Property-based fuzzing of the read stage (Hypothesis).

Notes are generated from fragments lecturers really write (Korean and Latin words in
headings, nested lists and quotes, fences, tables, raw HTML, kramdown and Obsidian
syntax, front matter good and bad) glued with hostile characters (controls, bidi,
zero-width).  Two properties: nothing but a BuildError (a diagnostic) escapes the
parser, and every word generated appears in the model or its line is named by a warning.
"""
from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deckgen.diagnostics import BuildError, Diagnostics
from deckgen.read.parse import parse_note

HANGUL = st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3)
LATIN = st.sampled_from("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
WORDS = st.one_of(st.text(HANGUL, min_size=2, max_size=5), st.text(LATIN, min_size=3, max_size=8))
GLUE = st.sampled_from(["", " ", "\x07", "\x1b", "\u202e", "\u200b", "\u2066", "\ufeff", "\t", "&#27;", "\\"])


def _block(kind: str, w: list[str], depth: int, glue: str) -> tuple[str, list[str]]:
    """(markdown lines, words that must survive) for one fragment kind."""
    a, b, c = w
    pad = "  " * depth
    blocks = {
        "heading": (f"{'#' * (depth % 6 + 1)} {a}{glue} {b}", [a, b]),
        "para": (f"{a} **{b}**{glue} _{c}_", [a, b, c]),
        "list": ("\n".join("  " * i + f"- {x}" for i, x in enumerate([a, b, c] * depth)) or f"- {a}", [a, b, c]
                 if depth else [a]),
        "quote": ("\n".join(">" * (i + 1) + f" {a}{i}" for i in range(depth * 4)) or f"> {a}",
                  [a] if depth else [a]),
        "fence": (f"```python\n{a} = '{b}'{glue}\n```", [a, b]),
        "table": (f"| {a} | {b} |\n|---|---|\n| {c}{glue} | x<br>{a} |", [a, b, c]),
        "html": (f"<div class=\"notice\">\n<b>{a}</b> <span style=\"color:red\">{b}</span>\n</div>", [a, b]),
        "details": (f"<details><summary>{a}</summary>\n\n{b}\n\n</details>", [a, b]),
        "kramdown": (f"{a} {b}\n{{: .notice--danger}}", [a, b]),
        "obsidian": (f"> [!note] {a}\n> {b} ==[[{c}]]==", [a, b, c]),
        "image": (f"![{a}]({b}.png) ![{c}](file:///etc/{b})", [a, c]),
        "math": (f"{a} $x^{{{{2}}}}$ {b}\n\n$$ y_{{{{i}}}} $$", [a, b]),
        "liquid": (f"{a} {{{{ site.baseurl }}}}/{b} {{% include x.html %}} {c}", [a, c]),
        "deflist": (f"{a}\n: {b}", [a, b]),
        "rule": (f"{pad}---", []),
    }
    return blocks[kind]


FRAGMENT = st.tuples(st.sampled_from(["heading", "para", "list", "quote", "fence", "table", "html", "details",
                                      "kramdown", "obsidian", "image", "math", "liquid", "deflist", "rule"]),
                     st.lists(WORDS, min_size=3, max_size=3), st.integers(0, 12), GLUE)
FRONT = st.one_of(
    st.just(""),
    st.builds(lambda w, g: f"---\ntitle: \"{w}{g}\"\nlang: ko\n---\n", WORDS, GLUE),
    st.builds(lambda w: f"---\ntitle: {w}\nstyle: @import url(x.css);\nmarp: true\n---\n", WORDS),
    st.builds(lambda w: f"---\ntitle: {w}\n\n", WORDS),                       # never closed
    st.builds(lambda w: f"---\ntitle: {{a: [{w}\n---\n", WORDS),             # broken YAML
    st.builds(lambda w: f"---\ndate: 2024-13-45\ntitle: {w}\n---\n", WORDS),   # constructor error
    st.builds(lambda w: f"---\ntitle: [{w}, {{k: {w}}}]\nlang: 42\ntittle: x\n---\n", WORDS),
    st.just("---\na: &a [*a]\n---\n"),                                        # recursive alias
    st.builds(lambda w, n: f"---\nt: {w}\n" + "".join(f"k{i}: &a{i} [" + ",".join(
        [f"*a{i - 1}" if i else "x"] * 9) + "]\n" for i in range(n)) + "---\n", WORDS, st.integers(1, 9)),
)
WORK = Path(tempfile.mkdtemp(prefix="deckgen-fuzz-"))
atexit.register(shutil.rmtree, WORK, True)   # one folder per test run otherwise


def _note(front: str, fragments: list[tuple]) -> tuple[str, list[tuple[set[int], str]]]:
    """The note's text and, for each word that must survive, the file lines it is on."""
    lines = front.split("\n")[:-1] if front else []
    expected: list[tuple[set[int], str]] = []
    for kind, words, depth, glue in fragments:
        text, keep = _block(kind, words, depth, glue)
        first = len(lines) + 1
        block_lines = text.split("\n")
        expected += [({first + n for n, ln in enumerate(block_lines) if w in ln}, w) for w in keep]
        lines += block_lines + [""]
    return "\n".join(lines) + "\n", expected


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(FRONT, st.lists(FRAGMENT, min_size=1, max_size=8))
def test_read_stage_never_raises_and_loses_nothing_silently(front: str, fragments: list[tuple]) -> None:
    text, expected = _note(front, fragments)
    note = WORK / "note.md"
    note.write_text(text, encoding="utf-8")
    diags = Diagnostics()
    try:
        doc = parse_note(note, diags, root=WORK)
    except BuildError as e:                       # a diagnostic with a line, never a traceback
        assert e.source.path and e.format()
        return
    model = repr(doc)
    named = {d.source.line for d in diags.items if d.severity in ("warning", "error")}
    lost = [(sorted(at), w) for at, w in expected if w not in model and not at & named]
    assert not lost, (lost, text)
