"""Raw HTML in notes: tags as styles, <img> as images, blocks as text.

Notes written for Jekyll or Typora mix HTML into Markdown.  Nothing here is
ever executed or fetched: tags become styles or model nodes, or are dropped
with a warning; their text is always kept.
"""
from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

TAG = re.compile(r"<\s*(/?)\s*([a-zA-Z][a-zA-Z0-9-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*?)(/?)\s*>", re.S)
ATTR = re.compile(r"([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?")

INLINE_STYLE_TAGS = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline", "ins": "underline",
    "s": "strike", "del": "strike", "strike": "strike", "sup": "sup", "sub": "sub", "kbd": "kbd",
    "mark": "highlight", "code": "code", "tt": "code", "span": "span", "font": "span", "a": "link",
    "small": "span", "big": "span", "abbr": "span", "cite": "italic", "q": "span", "var": "italic",
    "samp": "code", "label": "span",
}
DANGEROUS = {"script", "style", "iframe", "object", "embed", "applet", "frame", "frameset", "noscript",
             "template", "svg", "math", "video", "audio", "canvas", "form", "input", "button",
             "select", "textarea", "link", "meta", "base"}
VOID = {"br", "img", "hr", "input", "meta", "link", "wbr", "source", "col", "area", "base", "embed"}
HTML_ELEMENTS = set(INLINE_STYLE_TAGS) | DANGEROUS | VOID | {
    "html", "head", "body", "title", "div", "p", "center", "section", "article", "aside", "nav", "header",
    "footer", "main", "figure", "figcaption", "details", "summary", "blockquote", "pre", "ul", "ol", "li",
    "dl", "dt", "dd", "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "colgroup",
    "h1", "h2", "h3", "h4", "h5", "h6", "address", "picture", "dfn", "bdi", "bdo", "data", "time", "ruby",
    "rt", "rp", "output", "progress", "meter", "fieldset", "legend", "optgroup", "option", "datalist",
    "dialog", "menu", "map", "track", "param", "nobr", "acronym", "hgroup", "search", "slot", "portal",
}
"""Element names of HTML: any other `<word>` in text (`<none>` in kubectl output, `<pod-name>`
in a command synopsis) is a placeholder the lecturer wants shown, not a tag."""

NAMED_COLORS = {
    "black": "000000", "white": "FFFFFF", "red": "E03131", "green": "2B8A3E", "blue": "1971C2",
    "yellow": "F08C00", "orange": "E8590C", "purple": "7048E8", "gray": "868E96", "grey": "868E96",
    "navy": "1C3A70", "teal": "0C8599", "brown": "8B5A2B", "pink": "D6336C", "magenta": "C2255C",
    "cyan": "1098AD", "lime": "5C940D", "maroon": "862E2E", "olive": "6B6B1E", "silver": "A0A6AD",
    "darkred": "A61E1E", "darkgreen": "1E6B2E", "darkblue": "1A3D8F", "skyblue": "4DABF7",
    "crimson": "C92A2A", "gold": "D4A017", "violet": "8250DF", "indigo": "4C2A85", "coral": "F76707",
    "tomato": "E8590C", "royalblue": "3B5BDB", "dodgerblue": "1C7ED6", "orangered": "E8590C",
}


def parse_tag(text: str) -> tuple[str, str, dict[str, str], bool] | None:
    """('open'|'close', name, attrs, self_closing) of one tag, or None if not a tag."""
    m = TAG.fullmatch(text.strip())
    if not m:
        return None
    attrs = {k.lower(): unescape(v.strip("\"'")) if v else "" for k, v in ATTR.findall(m.group(3))}
    return ("close" if m.group(1) else "open"), m.group(2).lower(), attrs, bool(m.group(4))


def css_properties(style: str) -> dict[str, str]:
    out = {}
    for decl in style.split(";"):
        if ":" in decl:
            k, v = decl.split(":", 1)
            out[k.strip().lower()] = v.strip()
    return out


def parse_color(value: str | None) -> str | None:
    """CSS colour -> 6 hex digits, or None if not understood."""
    if not value:
        return None
    v = value.strip().lower().removesuffix("!important").strip()
    if v in NAMED_COLORS:
        return NAMED_COLORS[v]
    m = re.fullmatch(r"#([0-9a-f]{3}|[0-9a-f]{6})", v)
    if m:
        h = m.group(1)
        return (h if len(h) == 6 else "".join(c * 2 for c in h)).upper()
    m = re.fullmatch(r"rgba?\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*(?:,[^)]*)?\)", v)
    if m:
        return "".join(f"{min(255, int(x)):02X}" for x in m.groups())
    return None


def alignment(attrs: dict[str, str]) -> str | None:
    """Alignment from align=, style="text-align" or kramdown/minimal-mistakes classes."""
    a = attrs.get("align", "").lower()
    if a in ("left", "center", "right", "justify"):
        return a
    ta = css_properties(attrs.get("style", "")).get("text-align", "").lower()
    if ta in ("left", "center", "right", "justify"):
        return ta
    classes = attrs.get("class", "").split()
    for c in classes:
        for name in ("left", "center", "right", "justify"):
            if c in (f"align-{name}", f"text-{name}"):
                return name
    return None


class _TextCollector(HTMLParser):
    """Collects visible text of an HTML fragment, dropping dangerous elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.dropped: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in DANGEROUS:
            self.dropped.append(tag)
            if tag not in VOID:
                self.skip += 1
        elif tag in ("br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table"):
            self.parts.append("\n")
        elif tag in ("td", "th"):
            self.parts.append(" ")
        elif tag not in HTML_ELEMENTS and not self.skip:
            self.parts.append(self.get_starttag_text() or "")    # `<none>`: a placeholder, shown

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in HTML_ELEMENTS:         # `<x/>` of an unknown name is shown once, as written
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in DANGEROUS and tag not in VOID and self.skip:
            self.skip -= 1
        elif tag in ("p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6"):
            self.parts.append("\n")
        elif tag not in HTML_ELEMENTS and not self.skip:
            self.parts.append(f"</{tag}>")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def visible_text(fragment: str) -> tuple[str, list[str]]:
    """The fragment's text (paragraphs separated by newlines) and the dangerous tags dropped."""
    c = _TextCollector()
    c.feed(fragment)
    c.close()
    text = re.sub(r"[ \t\u00a0]+", " ", "".join(c.parts))
    text = re.sub(r"\n\s*\n+", "\n\n", text)
    return text.strip(), c.dropped


_ROW = re.compile(r"<tr\b[^>]*>(.*?)(?=<tr\b|</table|</tbody|</thead|\Z)", re.S | re.I)
_CELL = re.compile(r"<(td|th)\b([^>]*)>(.*?)(?=<td\b|<th\b|</tr|\Z)", re.S | re.I)


def table_cells(fragment: str) -> list[list[tuple[str, bool, str | None]]]:
    """Rows of (inner HTML, is header cell, alignment) of a simple table; end tags are optional."""
    rows = []
    for row in _ROW.findall(fragment):
        cells = []
        for tag, attrs, inner in _CELL.findall(row):
            inner = re.sub(r"</t[dh]>\s*$", "", inner.strip(), flags=re.I)
            parsed = parse_tag(f"<{tag}{attrs}>")
            cells.append((inner.replace("\n", " "), tag.lower() == "th", alignment(parsed[2] if parsed else {})))
        if cells:
            rows.append(cells)
    return rows
