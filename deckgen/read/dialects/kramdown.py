"""kramdown inline attribute lists (IALs): ``{: .notice--danger #id key="v"}``.

Jekyll notes put IALs on their own line after a block, or right after a
span (``[link](#){: .btn}``).  They are parsed into :class:`Attrs` and never
shown as text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from deckgen.model import Block, BulletList, ListItem, Paragraph, Span
from deckgen.read.dialects.textpass import (Ranges, apply_edits, code_ranges, finditer_closed, line_of,
                                             widen_over_space)

if TYPE_CHECKING:
    from deckgen.diagnostics import Diagnostics
    from deckgen.read.source import Source

IAL = re.compile(r"\{:\s*([^}\n]{0,500})\}")
"""At most 500 characters inside, so a flood of `{:` with no `}` stays linear."""
IAL_LINE = re.compile(r"^\s*(\{:\s*[^}\n]{0,500}\}\s*)+$")
_ATTR = r"""(?:[#.][\w:-]+|[\w-]+=(?:"[^"\n]*"|'[^'\n]*'|[^\s}]+))"""
PANDOC_ATTRS = re.compile(r"\{\s*(" + _ATTR + r"(?:\s+" + _ATTR + r")*)\s*\}")
"""pandoc's attributes after a link or image: ``{width=50%}``, ``{#id .class height="3cm"}``."""
HEADER_ID = re.compile(r"\s*(?:" + PANDOC_ATTRS.pattern + r"|\{:\s*[^}\n]{0,500}\})\s*$")
"""Attributes closing a heading: kramdown's ``{#id}``, pandoc's ``{#id .smaller background-color="#eef"}``."""
SPAN_ATTRS = re.compile(r"^(?:\{:[^}\n]*\}|" + PANDOC_ATTRS.pattern + ")+")
"""kramdown IALs and pandoc attributes, stacked, right after a link or image."""
NOTICE_KINDS = ("primary", "info", "warning", "danger", "success")


@dataclass
class Attrs:
    classes: list[str] = field(default_factory=list)
    id: str = ""
    values: dict[str, str] = field(default_factory=dict)
    toc: bool = False
    """The special `{:toc}` marker."""

    def merge(self, other: Attrs) -> Attrs:
        return Attrs(self.classes + other.classes, other.id or self.id,
                     {**self.values, **other.values}, self.toc or other.toc)

    @property
    def notice(self) -> str | None:
        """Callout kind for minimal-mistakes notice classes, or None."""
        for c in self.classes:
            if c == "notice":
                return "note"
            if c.startswith("notice--"):
                kind = c.removeprefix("notice--")
                return kind if kind in NOTICE_KINDS else "note"
        return None

    def html_attrs(self) -> dict[str, str]:
        out = dict(self.values)
        if self.classes:
            out["class"] = " ".join(self.classes)
        return out


def parse_ial(body: str) -> Attrs:
    """Attrs of the inside of one ``{: ...}``."""
    a = Attrs()
    for m in re.finditer(r"""([\w-]+)\s*=\s*("[^"]*"|'[^']*'|\S+)|\.([\w-]+)|#([\w:-]+)|(\S+)""", body):
        key, value, cls, ident, word = m.groups()
        if key:
            a.values[key.lower()] = value.strip("\"'")
        elif cls:
            a.classes.append(cls)
        elif ident:
            a.id = ident
        elif word == "toc":
            a.toc = True
    return a


def parse_ials(text: str) -> Attrs:
    """Merge every IAL found in *text* (stacked IALs add up)."""
    a = Attrs()
    for m in IAL.finditer(text):
        a = a.merge(parse_ial(m.group(1)))
    return a


def parse_span_attrs(text: str) -> Attrs:
    """Merge the kramdown IALs and pandoc attribute lists that *text* is made of."""
    a = Attrs()
    for m in re.finditer(r"\{:?\s*([^}\n]*)\}", text):
        a = a.merge(parse_ial(m.group(1)))
    return a


def strip_ials(text: str) -> str:
    return IAL.sub("", text)


def strip_header_id(text: str) -> str:
    """`## Title {#custom-id}` -> `## Title`."""
    return HEADER_ID.sub("", text)


def header_id(text: str) -> str | None:
    """The `#id` in the attributes closing a heading's text, or None."""
    m = HEADER_ID.search(text)
    return parse_span_attrs(m.group(0)).id or None if m else None


# ------------------------------------------------------- extensions {::x}
# kramdown's extensions: comments and options vanish, nomarkdown keeps its text.
EXT_BLOCK = re.compile(r"\{::(comment|nomarkdown)\b[^}\n]*?(?<!/)\}(.*?)\{:/(?:\1)?\}", re.S)
EXT_SELF = re.compile(r"\{::(\w+)\b[^}\n]*?/\}")


def prepass(src: Source, diags: Diagnostics) -> str:
    """The body without kramdown extensions (line numbers kept); code is left alone."""
    text = src.text
    if "{::" not in text:
        return text
    skip = Ranges(code_ranges(text))
    edits = []
    taken = []
    for m in finditer_closed(EXT_BLOCK, text, "{::", "{:/"):
        if skip.contains(m.start()):
            continue
        taken.append(m.span())
        where = src.span(line_of(text, m.start()))
        if m.group(1) == "comment":
            diags.info("comment-removed", "kramdown {::comment} removed", where)
            edits.append((m.start(), widen_over_space(text, m.start(), m.end()), ""))
        else:
            edits.append((m.start(), m.start(2), ""))
            edits.append((m.end(2), m.end(), ""))
    inside = Ranges(taken)
    for m in EXT_SELF.finditer(text):
        if skip.contains(m.start()) or inside.contains(m.start()):
            continue
        where = src.span(line_of(text, m.start()))
        if m.group(1) == "options":
            diags.info("kramdown-options", "kramdown {::options} has no meaning here; removed", where)
        else:
            diags.warning("kramdown-extension", f"kramdown extension {{::{m.group(1)}}} removed", where)
        edits.append((m.start(), m.end(), ""))
    return apply_edits(text, edits)


# ------------------------------------------- definition lists and footnotes
def definition_list(conv: Any, node: Any) -> list[Block]:
    """A <dl> as paragraphs: each term in bold, then its description's blocks.

    Slides have no hanging indent, so a bold term followed by its text reads best."""
    out: list[Block] = []
    for child in node.children:
        where = conv.where(child)
        if child.type == "dt":
            spans = [s for s in conv.inline_items(conv.inline_tokens(child), where) if isinstance(s, Span)]
            spans = [replace(s, bold=True) for s in spans if s.text]
            if spans:
                out.append(Paragraph(tuple(spans), where))
        elif child.type == "dd":
            out.extend(conv.blocks(child.children))
    return out


def footnote_list(conv: Any, node: Any) -> list[Block]:
    """The footnote texts, numbered, under a '각주' paragraph at the end of the note."""
    items = []
    first = None
    for fn in node.children:
        blocks = conv.blocks(fn.children)
        where = blocks[0].source if blocks and hasattr(blocks[0], "source") else conv.where(fn)
        first = first or where
        items.append(ListItem(tuple(blocks), None, where))
    if not items:
        return []
    where = first or conv.where(node)
    return [Paragraph((Span("각주", bold=True),), where), BulletList(tuple(items), True, 1, where)]
