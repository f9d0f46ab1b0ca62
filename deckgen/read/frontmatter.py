"""Front matter: the `---` block at the top of a note -> a dict, bounded and forgiving.

A note's front matter is written by hand, copied from blogs and Marp decks, and
sometimes hostile.  So the YAML is read with bounds (size, aliases, expanded
nodes: a 341-byte alias bomb must fail in milliseconds, not exhaust memory),
YAML that Marp accepts but strict YAML refuses (`style: @import url(...)`) is
read line by line like Marpit does, a block never closed is handled the way
its author meant, and characters a deck cannot hold are removed with a warning.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from deckgen.diagnostics import BuildError, Diagnostics
from deckgen.model import SourceSpan

OPEN = re.compile(r"\A(---|\+\+\+)[ \t]*\n")
CLOSE = re.compile(r"^(---|\.\.\.|\+\+\+)[ \t]*$", re.M)
MAX_BYTES = 64 * 1024
"""Front matter larger than this is refused: real front matter is a few hundred bytes."""
MAX_ALIASES = 100
MAX_NODES = 20_000
"""Nodes after alias expansion: what the text would hold if every alias were pasted in."""
UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
"""C0/C1 controls (YAML escapes like `\\e`, `\\x07`) and lone surrogates (`\\uD800`)."""
LOOSE_LINE = re.compile(r"^([A-Za-z_$][\w$-]*)[ \t]*:(?:[ \t]+(.*?))?[ \t]*$")


@dataclass
class FrontMatter:
    data: dict[str, Any] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    """File line of each top-level key, so a warning about a key names its line."""
    body: str = ""
    offset: int = 0
    """Lines taken by the block (the body's first line is file line offset + 1)."""


class _TooComplex(Exception):
    pass


class BoundedLoader(yaml.SafeLoader):
    """SafeLoader that stops at MAX_ALIASES aliases, before anything is expanded."""

    def __init__(self, stream: str):
        super().__init__(stream)
        self.aliases = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                raise _TooComplex(f"more than {MAX_ALIASES} aliases")
        return super().compose_node(parent, index)


def _expanded_size(node: yaml.Node, memo: dict[int, int], active: set[int]) -> int:
    """Node count with aliases expanded (memoised, so it costs the unexpanded size).
    A node that contains itself (`a: &a [*a]`) is refused: nothing downstream could print it."""
    if id(node) in active:
        raise _TooComplex("a value that contains itself (a recursive alias)")
    if id(node) in memo:
        return memo[id(node)]
    active.add(id(node))
    if isinstance(node, yaml.SequenceNode):
        size = 1 + sum(_expanded_size(n, memo, active) for n in node.value)
    elif isinstance(node, yaml.MappingNode):
        size = 1 + sum(_expanded_size(k, memo, active) + _expanded_size(v, memo, active) for k, v in node.value)
    else:
        size = 1
    active.discard(id(node))
    memo[id(node)] = min(size, MAX_NODES + 1)
    return memo[id(node)]


def load_yaml(raw: str) -> tuple[Any, dict[str, int]]:
    """Strict YAML with bounds -> (value, {top-level key: 0-based line in raw})."""
    loader = BoundedLoader(raw)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}
        if _expanded_size(node, {}, set()) > MAX_NODES:
            raise _TooComplex(f"more than {MAX_NODES:,} values once aliases are expanded")
        lines = {}
        if isinstance(node, yaml.MappingNode):
            lines = {str(k.value): k.start_mark.line for k, _ in node.value if isinstance(k, yaml.ScalarNode)}
        return loader.construct_document(node), lines
    finally:
        loader.dispose()


def read_loose(raw: str) -> tuple[dict[str, Any], dict[str, int]]:
    """Marpit's loose reading: each `key: value` line at the margin, the value as text."""
    data: dict[str, Any] = {}
    lines: dict[str, int] = {}
    for i, line in enumerate(raw.split("\n")):
        m = LOOSE_LINE.match(line)
        if m:
            value = (m.group(2) or "").strip()
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
                value = value[1:-1]
            data[m.group(1)] = {"true": True, "false": False}.get(value, value)
            lines[m.group(1)] = i
    return data, lines


def _yaml_error_line(e: Exception, raw: str) -> int:
    mark = getattr(e, "problem_mark", None)
    context = getattr(e, "context_mark", None)
    if mark is not None and mark.line >= raw.count("\n") and context is not None:
        mark = context                 # "unexpected end": point at what was left open
    return mark.line if mark is not None else 0


def parse_block(raw: str, path: str, first_line: int, diags: Diagnostics) -> tuple[dict[str, Any], dict[str, int]]:
    """The text between the fences -> (mapping, key lines as file lines).  *first_line*: file line of raw[0]."""
    if len(raw.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise BuildError(f"front matter is larger than {MAX_BYTES // 1024} KiB; "
                         "move long text into the note's body", SourceSpan(path, first_line), "front-matter")
    try:
        data, lines = load_yaml(raw)
    except _TooComplex as e:
        raise BuildError(f"front matter refused: {e} (a YAML alias bomb?)", SourceSpan(path, first_line),
                         "front-matter") from None
    except (yaml.YAMLError, ValueError, TypeError, OverflowError) as e:   # constructors: `date: 2024-13-45`
        problem = getattr(e, "problem", None) or (str(e).splitlines() or [type(e).__name__])[0]
        data, lines = read_loose(raw)
        diags.warning("front-matter-loose", f"front matter is not valid YAML ({problem}); "
                      "read as `key: value` lines, as Marp does",
                      SourceSpan(path, first_line + _yaml_error_line(e, raw)))
    if data is None:
        data = {}
    if not isinstance(data, dict):
        diags.warning("front-matter", "front matter must be a mapping of keys to values; ignored",
                      SourceSpan(path, first_line))
        data, lines = {}, {}
    lines = {k: first_line + n for k, n in lines.items()}
    return _clean(data, lines, path, diags), lines


def _clean(value: Any, lines: dict[str, int], path: str, diags: Diagnostics, key: str = "") -> Any:
    """Strings with control characters and lone surrogates removed (a warning per top-level key)."""
    if isinstance(value, str):
        if UNSAFE.search(value):
            diags.warning("control-character", f"front matter '{key}': removed control characters "
                          "a deck cannot hold", SourceSpan(path, lines.get(key, 1)))
            return UNSAFE.sub("", value)
        return value
    if isinstance(value, dict):
        return {_clean(str(k), lines, path, diags, key or str(k)):
                _clean(v, lines, path, diags, key or str(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v, lines, path, diags, key) for v in value]
    return value


def split(text: str, path: str, diags: Diagnostics) -> FrontMatter:
    """Split a note's text into front matter and body (TOML `+++` blocks are left in the body, as before)."""
    m = OPEN.match(text)
    if not m or m.group(1) == "+++":
        return FrontMatter(body=text)
    close = CLOSE.search(text, m.end())
    if close is None:
        return _unclosed(text, m.end(), path, diags)
    raw = text[m.end():close.start()]
    body_line = _body_after_blank(raw)
    if body_line is not None and not _strict_yaml(raw):
        closing = text.count("\n", 0, close.start()) + 1
        return _unclosed(text, m.end(), path, diags, why=f"line {2 + body_line} is note text, not `key: value`, "
                         f"so the `---` on line {closing} is read as a rule")
    data, lines = parse_block(raw, path, 2, diags)
    _warn_heading_comments(raw, path, diags)
    end = close.end() + (1 if text[close.end():close.end() + 1] == "\n" else 0)
    return FrontMatter(data, lines, text[end:], text[:end].count("\n"))


def _body_after_blank(raw: str) -> int | None:
    """The 0-based line in *raw* of the first line after a blank line that front matter would not
    hold (not `key: value`, not indented, not a list item or comment); None if there is none.
    Such a line means the block's `---` was never closed and a later `---` (a rule) closed it."""
    seen_blank = False
    for i, line in enumerate(raw.split("\n")):
        if not line.strip():
            seen_blank = True
        elif seen_blank and not LOOSE_LINE.match(line) and line[:1] not in " \t-#":
            return i
    return None


def _strict_yaml(raw: str) -> bool:
    try:
        load_yaml(raw)
    except (yaml.YAMLError, ValueError, TypeError, OverflowError, _TooComplex):
        return False
    return True


HEADING_COMMENT = re.compile(r"\n[ \t]*\n(?:.*\n)*?(#{1,6} \S.*)$", re.M)


def _warn_heading_comments(raw: str, path: str, diags: Diagnostics) -> None:
    """`# 제목` after a blank line inside front matter is a YAML comment, so its text would vanish:
    most likely the closing `---` is missing and a later `---` (a slide break) closed the block."""
    m = HEADING_COMMENT.search(raw)
    if m and not any(LOOSE_LINE.match(ln) for ln in raw[m.end(1):].split("\n")):   # no key follows it
        line = 2 + raw.count("\n", 0, m.start(1))
        diags.warning("front-matter-comment", f"'{m.group(1)[:40]}' inside the front matter is read as a YAML "
                      "comment and not shown; if the front matter should end before it, close it with `---`",
                      SourceSpan(path, line))


def _unclosed(text: str, start: int, path: str, diags: Diagnostics, why: str = "") -> FrontMatter:
    """`---` at the top, never closed (*why*: closed only by what is taken for a rule further down).
    If the lines up to the first blank line are `key: value` pairs (what an author writes as front
    matter), they are front matter; otherwise the `---` is a rule and everything is body text.
    Either way a warning names line 1."""
    why = f" ({why})" if why else ""
    blank = re.search(r"\n[ \t]*(\n|\Z)", text[start - 1:])
    end = start - 1 + blank.start() + 1 if blank else len(text)
    raw = text[start:end]
    try:
        data, _ = load_yaml(raw) if raw.strip() else (None, {})
    except (yaml.YAMLError, ValueError, TypeError, OverflowError, _TooComplex):
        data = None
    if isinstance(data, dict) and data and all(LOOSE_LINE.match(ln) or ln[:1] in " \t-#" or not ln.strip()
                                               for ln in raw.split("\n")):
        diags.warning("front-matter-unclosed", f"front matter opened with `---` is never closed{why}; read lines "
                      f"2-{raw.count(chr(10)) + 1} as front matter (up to the first blank line); "
                      "close it with `---`", SourceSpan(path, 1))
        data, lines = parse_block(raw, path, 2, diags)
        body = text[end:]
        return FrontMatter(data, lines, body, text[:end].count("\n"))
    diags.warning("front-matter-unclosed", f"a `---` at the top opens front matter that is never closed{why}; "
                  "the text is read as the note's body", SourceSpan(path, 1))
    return FrontMatter(body=text)
