"""Notes that are already decks: Marp (`marp: true`) and pandoc slide shows.

Their structure is respected instead of inferred: Marp's `---` separators,
`headingDivider` and HTML-comment presenter notes; pandoc's `% title` block
and `. . .` pauses.  Directives that mean nothing for a static deck are
consumed without leaking text.
"""
from __future__ import annotations

import re
from typing import Any

from deckgen.diagnostics import Diagnostics
from deckgen.read.dialects.textpass import code_ranges

PAUSE = re.compile(r"^[ \t]*\.[ \t]\.[ \t]\.[ \t]*$", re.M)
DIRECTIVE = re.compile(r"^\s*_?[A-Za-z][\w-]*\s*:.*$")
"""`<!-- _class: lead -->`, `<!-- paginate: false -->`: Marp directives, not notes."""
BG_WORDS = re.compile(r"^\s*bg\b.*$", re.I)
"""`![bg left:40% fit](x.png)`: a Marp background image; its alt is a list of options."""


def detect(front_matter: dict[str, Any], text: str) -> str:
    """'marp', 'pandoc' or '' for an ordinary note."""
    if front_matter.get("marp") is True:
        return "marp"
    if re.match(r"\A\s*%[^\n]*\n", text) and not front_matter:
        return "pandoc"
    return ""


def pandoc_title_block(text: str) -> tuple[dict[str, Any], str]:
    """`% title` / `% author; author` / `% date` at the top -> front-matter keys; lines blanked."""
    lines = text.split("\n")
    keys = ("title", "author", "date")
    meta: dict[str, Any] = {}
    n = 0
    while n < len(lines) and n < 3 and lines[n].startswith("%"):
        value = lines[n][1:].strip()
        if value:
            meta[keys[n]] = value.replace(";", ",") if keys[n] == "author" else value
        lines[n] = ""
        n += 1
    return meta, "\n".join(lines)


def remove_pauses(text: str, path: str, line_offset: int, diags: Diagnostics) -> str:
    """Drop pandoc's `. . .` incremental pauses (a static deck shows everything at once)."""
    from deckgen.model import SourceSpan

    protected = code_ranges(text)
    def keep(m: re.Match) -> str:
        if any(a <= m.start() < b for a, b in protected):
            return m.group(0)
        line = text.count("\n", 0, m.start()) + 1 + line_offset
        diags.info("pause", "`. . .` pause ignored: every step is shown at once", SourceSpan(path, line))
        return ""
    return PAUSE.sub(keep, text)


def comment_notes(comment: str) -> str | None:
    """The presenter-note text of a Marp HTML comment, or None for a directive."""
    body = comment.strip()
    if body.startswith("<!--"):
        body = body[4:]
    if body.endswith("-->"):
        body = body[:-3]
    lines = [ln for ln in body.strip().split("\n") if ln.strip()]
    if not lines or all(DIRECTIVE.match(ln) for ln in lines) or body.strip() == "fit":
        return None
    return "\n".join(ln.strip() for ln in lines)


def is_background(alt: str) -> bool:
    return bool(BG_WORDS.match(alt))


IMAGE_KEYWORD = re.compile(r"^(?:(w|width|h|height):(\S+)|(?:blur|brightness|contrast|drop-shadow|grayscale|"
                           r"hue-rotate|invert|opacity|saturate|sepia)(?::\S*)?)$", re.I)
"""Marpit's image keywords in an alt text: sizes (`w:300`, `height:30cm`) and CSS filters (`sepia`)."""


def image_keywords(alt: str) -> tuple[str, str | None, str | None]:
    """A Marp image's alt without its keywords, and the width and height they set:
    `![w:500 h:260](x.png)` -> ("", "500", "260"); `![구조도 w:300](x.png)` -> ("구조도", "300", None)."""
    words, width, height = [], None, None
    for word in alt.split():
        m = IMAGE_KEYWORD.match(word)
        if not m:
            words.append(word)
        elif m.group(1):
            value = m.group(2)
            if m.group(1).lower().startswith("w"):
                width = value
            else:
                height = value
    return " ".join(words), width, height
