"""Measure items into chunks: paragraphs, bullets, code, images, and slide titles."""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from deckgen.diagnostics import Diagnostics
from deckgen.layout.fit import CodeChunk, ImageChunk, Metrics, TextChunk, box_indent, caption_height
from deckgen.layout.flow import CodeItem, ImageItem, TextItem
from deckgen.layout.geometry import Para, Run
from deckgen.layout.measure import Measurer, script_class
from deckgen.model import plain_text
from deckgen.layout.runs import code_lines, plain_runs, run_pieces, span_runs
from deckgen.bounds.limits import short_text
from deckgen.theme.load import Theme

PX_TO_PT = 0.75          # CSS pixels (96 dpi) to points
SUBHEADING_PLUS = 2.0    # a sub-heading is this many points larger than the body text
ORDERED_MARKER_W = 1.2   # room for an ordered marker ('12.'), in bullet indents
BULLET_MARKER_W = 0.8    # room for a bullet character, in bullet indents
SHRINK_BY = 1.0          # code and tables shrink this many points at a time until their longest line fits
PLACEHOLDER_H = 96.0     # height of the box drawn for a missing picture
PLACEHOLDER_W = 0.7      # ... and its width, as a share of the room
PLACEHOLDER_TEXT = 0.7   # its label's size, as a share of the body size
PLACEHOLDER_INSET = 8.0  # its text insets (each side), in points
PLACEHOLDER_ROOM = 24.0  # height it needs besides the label's lines (insets and a little air)
MIN_IMAGE_W = 24.0       # a picture is never drawn narrower than this, in points
CAPTION_SCALE = 0.72
IMAGE_MIN_SHARE = 0.42   # an image may shrink to this share of the body height before it moves on
DIAGRAM_MIN_SHARE = 0.6  # diagrams keep more of their size: their labels must stay legible
LEGIBLE_PT = 14.0
"""A diagram's smallest label is drawn at least this large on a slide (when the slide can hold it)."""
DIAGRAM_ALONE_SHARE = 0.6
"""A diagram taller than this share of the body (at its natural size) gets a slide of its own."""


class TextSetter:
    def __init__(self, theme: Theme, measurer: Measurer):
        self.t = theme
        self.m = measurer
        self.c = theme.colors

    # ------------------------------------------------------------ helpers
    def lines(self, runs: list[Run], size: float, width: float) -> tuple[str, ...]:
        return tuple(self.m.wrap(run_pieces(runs), size, width))

    def para(self, runs: list[Run], size: float, width: float, *, pitch: float, **kw: Any) -> Para:
        """A paragraph of *runs* with its lines predicted for *width*; *kw*: the other Para fields."""
        return Para(tuple(runs), size, size * pitch, lines=self.lines(runs, size, width), **kw)

    # --------------------------------------------------------- paragraphs
    def paragraph(self, it: TextItem, width: float, m: Metrics, *, dim: bool = False) -> TextChunk:
        size, role, bold, color = m.body, "body", False, self.c.text
        if it.style == "subheading":
            size, role, bold, color = m.body + SUBHEADING_PLUS, "heading", True, self.c.heading
        elif it.style == "box-title":
            bold, color = True, self.t.callout(it.box.style if it.box else "note").border
        elif it.box is not None and it.box.kind == "quote":
            color = self.c.quote_text
        if dim:
            color = self.c.muted
        runs = span_runs(it.spans, role=role, bold=bold, color=None if not dim else color,
                         link_color=self.c.link, mark_color=self.c.mark)
        if not runs:
            runs = [Run("", role)]
        margin = it.level * m.indent
        marker_w = m.indent * (ORDERED_MARKER_W if it.bullet and it.bullet[0].isdigit() else BULLET_MARKER_W)
        hang = -marker_w if it.bullet else 0.0
        if it.bullet and it.level:
            margin = (it.level - 1) * m.indent + marker_w
        text_w = width - box_indent(it.box, m) * 2 - m.text_insets[0] - m.text_insets[2] - margin
        p = self.para(runs, size, text_w, pitch=m.pitch, space_before=m.para_gap,
                      level=max(0, it.level - 1), margin_left=margin, indent=hang, bullet=it.bullet,
                      bullet_color=self.c.accent if not dim else self.c.muted,
                      align=it.align or "left", color=color)
        return TextChunk(item=it, height=len(p.lines) * p.line_pitch, para=p)

    def split_paragraph(self, c: TextChunk, room: float, min_lines: int) -> tuple[TextChunk, TextChunk] | None:
        """The lines that fit *room* and the rest (a tail keeps at least *min_lines*), or None."""
        p = c.para
        fit = int(room // p.line_pitch)
        n = len(p.lines)
        if fit < min_lines or n - fit < 1 or n < min_lines * 2:
            return None
        fit = min(fit, n - min_lines) if n - fit < min_lines else fit
        head_runs, tail_runs = split_runs(list(p.runs), p.lines, fit)
        head = replace(p, runs=tuple(head_runs), lines=p.lines[:fit])
        tail = replace(p, runs=tuple(tail_runs), lines=p.lines[fit:], bullet=None, space_before=0.0)
        return (replace(c, para=head, height=fit * p.line_pitch, part=c.part or 1),
                replace(c, para=tail, height=(n - fit) * p.line_pitch, part=(c.part or 1) + 1))

    # --------------------------------------------------------------- code
    def code(self, it: CodeItem, width: float, m: Metrics, diags: Diagnostics) -> CodeChunk:
        indent = it.level * m.indent + box_indent(it.box, m) * 2
        avail = width - indent - m.code_insets[0] - m.code_insets[2]
        limit = avail * self.m.slack
        lines = code_lines(it.code, it.language, self.c.pygments_style, self.c.text)
        widest = max((self.m.text_width(run_pieces(line), 1.0) for line in lines), default=0.0)
        size = m.code
        while size > self.t.sizes.code_min and widest * size > limit:
            size -= SHRINK_BY
        if widest * size > limit:
            diags.info("code-wrapped", f"code lines longer than the slide are wrapped at {size:g} pt", it.source)
            lines = [part for line in lines for part in self.wrap_code(line, size, limit)]
        elif size < m.code:
            diags.info("code-shrunk", f"code shrunk to {size:g} pt so its longest line fits", it.source)
        pitch = size * m.code_pitch
        return CodeChunk(item=it, height=len(lines) * pitch, lines=tuple(tuple(line) for line in lines), size=size)

    def wrap_code(self, line: list[Run], size: float, limit: float) -> list[list[Run]]:
        out: list[list[Run]] = [[]]
        used = 0.0
        last = ""
        for r in line:
            buf = ""
            for ch in r.text:
                w = self.m.width(ch, "mono", r.bold, size)
                cls = script_class(ch)
                if cls and last and cls != last:
                    w += self.m.autospace * size
                last = cls or last
                if used + w > limit and (buf or out[-1]):
                    if buf:
                        out[-1].append(replace(r, text=buf))
                    out.append([])
                    buf, used = "", 0.0
                buf += ch
                used += w
            if buf:
                out[-1].append(replace(r, text=buf))
        return out

    def split_code(self, c: CodeChunk, room: float, min_lines: int) -> tuple[CodeChunk, CodeChunk] | None:
        """The code lines that fit *room* and the rest (each part keeps at least *min_lines*), or None."""
        pitch = c.height / max(1, len(c.lines))
        fit = int(room // pitch)
        n = len(c.lines)
        if fit < min_lines or n - fit < 1:
            return None
        if n - fit < min_lines:
            fit = n - min_lines
            if fit < min_lines:
                return None
        return (replace(c, lines=c.lines[:fit], height=fit * pitch, part=c.part or 1),
                replace(c, lines=c.lines[fit:], height=(n - fit) * pitch, part=(c.part or 1) + 1))

    # -------------------------------------------------------------- images
    def image(self, it: ImageItem, width: float, m: Metrics) -> ImageChunk:
        img = it.image
        avail = width - it.level * m.indent - box_indent(it.box, m) * 2
        if it.em_size is not None:
            return self.formula(it, avail - m.text_insets[0] - m.text_insets[2], m)
        body_h = self.t.boxes.body.h
        caption = None
        cap_h = 0.0
        cap_spans = img.caption
        if img.caption:
            size = m.body * CAPTION_SCALE
            runs = span_runs(img.caption, color=self.c.muted, link_color=self.c.link)
            caption = self.para(runs, size, avail, pitch=m.pitch, align="center", color=self.c.muted)
            cap_h = caption_height(caption)
        if img.path is None or not img.pixel_size:
            w, h = min(avail, avail * PLACEHOLDER_W), PLACEHOLDER_H
            name = short_text(img.src.rstrip("/").rsplit("/", 1)[-1] or img.src, 60)
            label = f"이미지 없음: {img.alt or plain_text(cap_spans) or name}" + (f" ({name})" if img.alt else "")
            ph = self.para(plain_runs(label, color=self.c.muted), m.body * PLACEHOLDER_TEXT,
                           w - 2 * PLACEHOLDER_INSET, pitch=m.pitch, align="center", color=self.c.muted)
            h = max(h, len(ph.lines) * ph.line_pitch + PLACEHOLDER_ROOM)
            return ImageChunk(item=it, height=h + cap_h, caption=caption, natural=(w, h), placeholder=ph)
        pw, ph_ = img.pixel_size
        w = self.requested_width(img.width, pw, avail)
        h = w * ph_ / pw
        share = DIAGRAM_MIN_SHARE if img.kind == "diagram" else IMAGE_MIN_SHARE
        min_h = min(h, body_h * share)
        label_pt = None
        if img.kind == "diagram" and img.label_px:
            label_at_natural = img.label_px * w / pw          # points: w is the drawn width of pw pixels
            largest = min(body_h - cap_h, h * avail / w)       # the whole body, at most the full width
            min_h = min(h, h * LEGIBLE_PT / label_at_natural, largest)  # as small as its labels can be read
            label_pt = label_at_natural * min(h, largest) / h
        return ImageChunk(item=it, height=min_h + cap_h, caption=caption, natural=(w, h), label_pt=label_pt)

    @staticmethod
    def formula(it: ImageItem, avail: float, m: Metrics) -> ImageChunk:
        """An inline formula on its own line: one em is the body size, so its letters match the text's
        (narrowed to the text's width when it is wider; it never grows or shrinks with the room)."""
        em_w, em_h = it.em_size or (1.0, 1.0)
        w, h = em_w * m.body, em_h * m.body
        scale = min(1.0, avail / w) if w > 0 else 1.0
        return ImageChunk(item=it, height=h * scale, natural=(w * scale, h * scale))

    @staticmethod
    def requested_width(spec: str | None, px: int, avail: float) -> float:
        natural = px * PX_TO_PT
        if spec:
            m = re.fullmatch(r"\s*([\d.]+)\s*(%|px|pt)?\s*", spec)
            if m:
                v = float(m.group(1))
                unit = m.group(2) or "px"
                natural = avail * v / 100 if unit == "%" else v * (PX_TO_PT if unit == "px" else 1.0)
        return max(MIN_IMAGE_W, min(natural, avail))


def split_runs(runs: list[Run], lines: tuple[str, ...], k: int) -> tuple[list[Run], list[Run]]:
    """Split *runs* where predicted line *k* starts."""
    text = "".join(r.text for r in runs)
    pos = 0
    for line in lines[:k]:
        found = text.find(line, pos) if line else pos
        pos = (found if found >= 0 else pos) + len(line)
    while pos < len(text) and text[pos] in " \n":
        pos += 1
    head, tail, seen = [], [], 0
    for r in runs:
        end = seen + len(r.text)
        if end <= pos:
            head.append(r)
        elif seen >= pos:
            tail.append(r)
        else:
            cut = pos - seen
            head.append(replace(r, text=r.text[:cut].rstrip()))
            tail.append(replace(r, text=r.text[cut:]))
        seen = end
    return head, tail


