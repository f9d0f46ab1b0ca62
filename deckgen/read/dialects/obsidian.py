"""Obsidian and GitHub Markdown: callouts, wiki links, embeds, ==marks==, %%comments%%.

Vault notes use syntax CommonMark shows literally (`[[page]]`, `> [!note]`).
A markdown-it plugin turns each into model material: callouts become
``callout`` tokens (a Callout block), wiki links become their text, embeds of
images become image tokens (found anywhere in the vault by the resolver),
``==text==`` becomes a highlight.  Comments go in a line-keeping pre-pass
because they may span paragraphs.  `#tags` are ordinary words and stay.
"""
from __future__ import annotations

import bisect
import re
from collections.abc import MutableMapping
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from deckgen.diagnostics import Diagnostics
from deckgen.read.source import Source
from deckgen.read.dialects.editions import is_instructor
from deckgen.read.dialects.textpass import Ranges, apply_edits, code_ranges, line_of, widen_over_space

CALLOUT = re.compile(r"^\[!([\w-]+)\]([+-]?)[ \t]*(.*)$")
CALLOUT_KINDS = {
    "note": "note", "info": "info", "tip": "info", "hint": "info", "important": "info",
    "warning": "warning", "caution": "warning", "attention": "warning",
    "danger": "danger", "error": "danger", "bug": "danger", "failure": "danger", "fail": "danger",
    "missing": "danger", "success": "success", "check": "success", "done": "success",
    "question": "info", "faq": "info", "help": "info", "example": "note", "quote": "note",
    "cite": "note", "abstract": "note", "summary": "note", "tldr": "note", "todo": "note",
}
WIKI = re.compile(r"\[\[([^\[\]\n]+?)\]\]")
IMAGE_EXT = (".png", ".jpg", ".jpeg", ".gif", ".bmp", ".svg", ".webp", ".avif", ".tif", ".tiff")
SIZE = re.compile(r"^\s*(\d+)(?:\s*x\s*(\d+))?\s*$")


# ------------------------------------------------------------- comments
def prepass(src: Source, diags: Diagnostics) -> str:
    """The body without `%%comments%%` (inline or spanning lines); code is left alone."""
    text = src.text
    if "%%" not in text:
        return text
    skip = Ranges(code_ranges(text))
    marks = [m.start() for m in re.finditer("%%", text) if not skip.contains(m.start())]
    edits = []
    for start, end in zip(marks[0::2], marks[1::2]):
        edits.append((start, widen_over_space(text, start, end + 2), ""))
        diags.info("comment-removed", "Obsidian %%comment%% removed", src.span(line_of(text, start)))
    return apply_edits(text, edits)


# --------------------------------------------------------------- plugin
def obsidian_plugin(md: MarkdownIt) -> None:
    """Callouts, wiki links, embeds and ==highlight== for markdown-it."""
    md.inline.ruler.before("link", "wikilink", _wikilink)
    md.inline.ruler.before("image", "embed", _embed)
    md.inline.ruler.before("emphasis", "mark", _mark)
    md.core.ruler.after("inline", "callout", _callouts)


def wiki_text(body: str) -> str:
    """What Obsidian shows for `[[body]]`: the alias, else `page > heading`."""
    target, bar, alias = body.partition("|")
    if bar and alias.strip():
        return alias.strip()
    page, _, heading = target.partition("#")
    page = re.sub(r"\.md$", "", page.strip())
    heading = heading.lstrip("^").strip()
    if page and heading:
        return f"{page} > {heading}"
    return page or heading


def _wikilink(state: StateInline, silent: bool) -> bool:
    if not state.src.startswith("[[", state.pos):
        return False
    m = WIKI.match(state.src, state.pos)
    if not m or m.end() > state.posMax:
        return False
    if not silent:
        state.push("text", "", 0).content = wiki_text(m.group(1))
    state.pos = m.end()
    return True


def _embed(state: StateInline, silent: bool) -> bool:
    if not state.src.startswith("![[", state.pos):
        return False
    m = WIKI.match(state.src, state.pos + 1)
    if not m or m.end() > state.posMax:
        return False
    if not silent:
        target, _, option = m.group(1).partition("|")
        target = target.split("#")[0].strip()
        if target.lower().endswith(IMAGE_EXT):
            tok = state.push("image", "img", 0)
            tok.attrs = {"src": target, "alt": ""}
            size = SIZE.match(option)
            if size:
                tok.attrs["width"] = size.group(1)
                if size.group(2):
                    tok.attrs["height"] = size.group(2)
            alt = Token("text", "", 0)
            alt.content = "" if size else option.strip()
            tok.children = [alt]
        else:
            tok = state.push("dialect_text", "", 0)
            tok.content = wiki_text(m.group(1))
            tok.meta = {"code": "embed-not-transcluded",
                        "warning": f"embedded note ![[{m.group(1)}]] is not transcluded; its name is shown"}
    state.pos = m.end()
    return True


def _mark_closers(env: MutableMapping[str, Any], src: str) -> list[int]:
    """Offsets of every `==` that can close a mark (not after a space), found once per text:
    searching from each opener made `==a ` x 20,000 cost two minutes."""
    cache = env.setdefault("_deckgen_mark_closers", {})
    if src not in cache:
        cache[src] = [m.start() for m in re.finditer("(?<=[^ \t\n])==", src)]
    return cache[src]


def _mark(state: StateInline, silent: bool) -> bool:
    src, start = state.src, state.pos + 2
    if not src.startswith("==", state.pos) or start >= state.posMax or src[start] in " \t\n=":
        return False
    closers = _mark_closers(state.env, src)
    i = bisect.bisect_left(closers, start)
    end = closers[i] if i < len(closers) else -1
    if end == -1 or end + 2 > state.posMax:
        return False
    if not silent:
        old_max = state.posMax
        state.push("mark_open", "mark", 1)
        state.pos, state.posMax = start, end
        state.md.inline.tokenize(state)
        state.push("mark_close", "mark", -1)
        state.posMax = old_max
    state.pos = end + 2
    return True


def _inline_tokens(state: StateCore, text: str) -> list[Token]:
    out: list[Token] = []
    state.md.inline.parse(text, state.md, state.env, out)
    for t in out:
        if t.type == "text_special":
            t.type = "text"
    return out


def _callouts(state: StateCore) -> None:
    """`> [!kind]± title` blockquotes -> callout_open/close tokens with kind and title."""
    tokens = state.tokens
    drop: set[int] = set()
    for i, tok in enumerate(tokens):
        if tok.type != "blockquote_open" or i + 2 >= len(tokens) or tokens[i + 1].type != "paragraph_open":
            continue
        inline = tokens[i + 2]
        first, _, rest = inline.content.partition("\n")
        m = CALLOUT.match(first.strip())
        if not m:
            continue
        close = next((j for j in range(i + 1, len(tokens))
                      if tokens[j].type == "blockquote_close" and tokens[j].level == tok.level), None)
        if close is None:
            continue
        raw_kind = m.group(1).lower()
        tok.type, tokens[close].type = "callout_open", "callout_close"
        tok.tag = tokens[close].tag = "aside"
        kind = "instructor" if is_instructor(raw_kind) else CALLOUT_KINDS.get(raw_kind, "note")
        tok.meta = {"kind": kind, "label": raw_kind.capitalize(),
                    "title": _inline_tokens(state, m.group(3).strip())}
        if rest.strip():
            inline.content = rest
            inline.children = _inline_tokens(state, rest)
            for t in (tokens[i + 1], inline):
                if t.map:
                    t.map = [t.map[0] + 1, t.map[1]]
        else:                       # the title line was the whole paragraph
            drop.update((i + 1, i + 2, i + 3))
    if drop:
        state.tokens = [t for k, t in enumerate(tokens) if k not in drop]
