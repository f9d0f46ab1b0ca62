"""kramdown inline attribute lists (IALs): ``{: .notice--danger #id key="v"}``.

Jekyll notes put IALs on their own line after a block, or right after a
span (``[link](#){: .btn}``).  They are parsed into :class:`Attrs` and never
shown as text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

IAL = re.compile(r"\{:\s*([^}\n]*)\}")
IAL_LINE = re.compile(r"^\s*(\{:\s*[^}\n]*\}\s*)+$")
HEADER_ID = re.compile(r"\s*\{#[\w-]+\}\s*$")
NOTICE_KINDS = ("primary", "info", "warning", "danger", "success")


@dataclass
class Attrs:
    classes: list[str] = field(default_factory=list)
    id: str = ""
    values: dict[str, str] = field(default_factory=dict)
    toc: bool = False
    """The special `{:toc}` marker."""

    def merge(self, other: "Attrs") -> "Attrs":
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
    for m in re.finditer(r"""([\w-]+)\s*=\s*("[^"]*"|'[^']*'|\S+)|\.([\w-]+)|#([\w-]+)|(\S+)""", body):
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


def strip_ials(text: str) -> str:
    return IAL.sub("", text)


def strip_header_id(text: str) -> str:
    """`## Title {#custom-id}` -> `## Title`."""
    return HEADER_ID.sub("", text)
