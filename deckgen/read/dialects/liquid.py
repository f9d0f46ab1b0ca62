"""Jekyll's Liquid tags in notes: a line-keeping pre-pass on the body.

Jekyll runs Liquid before Markdown, so a note copied out of a blog still holds
``{% raw %}``, ``{% highlight %}``, ``{{ site.baseurl }}`` and friends.  None of
them may reach the deck as text: raw blocks keep their content literally,
highlight blocks become fenced code, site URLs resolve against the site root
(''), and every other tag is removed with a warning naming its line.  Code
(fences and inline spans) is left alone except for raw and highlight markers:
`{{ item }}` in an Ansible or Vue example is code, not Liquid; so is TeX math
(`$$ a^{{n}} $$`), where double braces are groups.
"""
from __future__ import annotations

import re
from pathlib import PurePosixPath

from deckgen.diagnostics import Diagnostics
from deckgen.read.source import Source
from deckgen.read.dialects.textpass import (FENCE, Edit, Ranges, apply_edits, code_ranges, finditer_closed, line_of,
                                             math_ranges)

NO_BLANK = r"(?:(?!\n[ \t]*\n).){0,500}?"
"""A tag's body: never across a blank line, and at most 500 characters, so a flood of `{%`
with no `%}` costs each opener 500 steps, not the rest of the paragraph."""
TAG = re.compile(r"\{%-?\s*(" + NO_BLANK + r")\s*-?%\}", re.S)
OUTPUT = re.compile(r"\{\{-?\s*(" + NO_BLANK + r")\s*-?\}\}", re.S)
RAW = re.compile(r"\{%-?\s*raw\s*-?%\}(.*?)(?:\{%-?\s*endraw\s*-?%\}|\Z)", re.S)
COMMENT = re.compile(r"\{%-?\s*comment\s*-?%\}.*?\{%-?\s*endcomment\s*-?%\}", re.S)
HIGHLIGHT = re.compile(r"^([ \t]*)\{%-?\s*highlight\s+([\w+#.-]+)[^%\n]*-?%\}[ \t]*$"
                       r"(.*?)^([ \t]*)\{%-?\s*endhighlight\s*-?%\}[ \t]*$", re.S | re.M)
SITE_URL = re.compile(r"^site\.(url|baseurl)$")
URL_FILTER = re.compile(r"""^(["'])(.*?)\1\s*\|\s*(relative_url|absolute_url)\s*$""")
LINK_TAGS = ("link", "post_url")


def prepass(src: Source, diags: Diagnostics) -> str:
    """The body with every Liquid construct resolved, kept literal or removed."""
    text = src.text
    if "{%" not in text and "{{" not in text:
        return text
    edits: list[Edit] = []
    protected: list[tuple[int, int]] = []
    for m in RAW.finditer(text):               # raw: drop the markers, keep the content verbatim
        edits += _raw_marker_edits(text, m)
        protected.append(m.span())
    raw = Ranges(protected)
    for m in finditer_closed(HIGHLIGHT, text, "highlight", "endhighlight", line_start=True):
        if raw.contains(m.start()):
            continue
        edits.append((m.start(), m.start(3), f"{m.group(1)}```{m.group(2)}"))   # indent kept for lists
        edits.append((m.end(3), m.end(), f"{m.group(4)}```"))
        protected.append(m.span())
    for m in COMMENT.finditer(text):
        if not raw.contains(m.start()):
            edits.append((m.start(), m.end(), ""))
            protected.append(m.span())
    skip = Ranges(protected + code_ranges(text) + math_ranges(text))
    for pattern, handler in ((TAG, _tag), (OUTPUT, _output)):
        for m in pattern.finditer(text):
            if skip.contains(m.start()):
                continue
            new, message = handler(m.group(1).strip())
            if message:
                diags.warning("liquid", message, src.span(line_of(text, m.start())))
            edits.append((m.start(), m.end(), new))
    return apply_edits(text, edits)


def _raw_marker_edits(text: str, m: re.Match) -> list[Edit]:
    """Remove a raw block's markers.  A marker line right inside a code fence (the common
    Jekyll way to show `{{ }}` in code) trades places with the fence line, so the code
    gains no blank first or last line and the line count is still kept."""
    start, end = m.start(), m.end()
    line_start = text.rfind("\n", 0, start) + 1
    prev_start = text.rfind("\n", 0, max(line_start - 1, 0)) + 1
    prev = text[prev_start:line_start - 1] if line_start else ""
    if line_start and not text[line_start:start].strip() and text[m.start(1):].startswith("\n") \
            and FENCE.match(prev):
        opening: Edit = (prev_start, m.start(1), "\n" + prev)
    else:
        opening = (start, m.start(1), "")
    line_end = text.find("\n", end)
    next_end = text.find("\n", line_end + 1) if line_end != -1 else -1
    nxt = text[line_end + 1:next_end if next_end != -1 else len(text)] if line_end != -1 else ""
    close_start = text.rfind("\n", 0, m.end(1)) + 1
    if line_end != -1 and not text[close_start:m.end(1)].strip() and not text[end:line_end].strip() \
            and FENCE.match(nxt) and not nxt.strip().strip("`~"):
        closing: Edit = (close_start, line_end + 1 + len(nxt), nxt)
    else:
        closing = (m.end(1), end, "")
    return [opening, closing]


def _slug(path: str) -> str:
    """`_posts/2020-01-02-my-post.md` -> `my-post`."""
    name = PurePosixPath(path.strip("\"'")).stem
    return re.sub(r"^\d{4}-\d{2}-\d{2}-", "", name)


def _tag(body: str) -> tuple[str, str | None]:
    """Replacement and warning for one `{% ... %}` tag."""
    name, _, arg = body.partition(" ")
    if name in LINK_TAGS and arg.strip():
        slug = _slug(arg.split()[0])
        return slug, f"Liquid {{% {name} %}} replaced by its slug '{slug}' (no site to resolve it)"
    if name in ("raw", "endraw", "endhighlight", "endcomment"):
        return "", f"unmatched Liquid {{% {name} %}} removed"
    if name == "include":
        return "", f"Liquid {{% include {arg.strip()} %}} removed (includes are not expanded)"
    return "", f"Liquid tag {{% {body[:40]} %}} removed"


def _output(body: str) -> tuple[str, str | None]:
    """Replacement and warning for one `{{ ... }}` output."""
    if SITE_URL.match(body):
        return "", None
    m = URL_FILTER.match(body)
    if m:
        return m.group(2), None
    parts = [p.strip() for p in body.split("|")]
    if len(parts) > 1 and SITE_URL.match(parts[0]):
        return "", None
    return "", f"Liquid output {{{{ {body[:40]} }}}} removed"
