"""Measure items into chunks: paragraphs, bullets, code, images, and slide titles."""
from __future__ import annotations

import re
from dataclasses import replace

from deckgen.diagnostics import Diagnostics
from deckgen.layout.fit import Chunk, Metrics
from deckgen.layout.flow import Item
from deckgen.layout.geometry import Bar, Para, Run, TextFrame, emu
from deckgen.layout.measure import Measurer, script_class
from deckgen.model import Meta, SourceSpan, Span, plain_text
from deckgen.layout.runs import code_lines, plain_runs, run_pieces, span_runs
from deckgen.limits import short_text
from deckgen.theme.load import Theme

PX_TO_PT = 0.75          # CSS pixels (96 dpi) to points
PLACEHOLDER_H = 96.0
CAPTION_SCALE = 0.72
IMAGE_MIN_SHARE = 0.42   # an image may shrink to this share of the body height before it moves on
DIAGRAM_MIN_SHARE = 0.6  # diagrams keep more of their size: their labels must stay legible
DIAGRAM_ALONE_SHARE = 0.6
"""A diagram taller than this share of the body (at its natural size) gets a slide of its own."""


class TextSetter:
    def __init__(self, theme: Theme, measurer: Measurer):
        self.t = theme
        self.m = measurer
        self.c = theme.colors

    # ------------------------------------------------------------ helpers
    def box_indent(self, item: Item, m: Metrics) -> float:
        if item.box is None:
            return 0.0
        return m.quote_indent if item.box.kind == "quote" else m.box_pad

    def lines(self, runs: list[Run], size: float, width: float) -> tuple[str, ...]:
        return tuple(self.m.wrap(run_pieces(runs), size, width))

    def para(self, runs: list[Run], size: float, width: float, *, pitch: float, **kw) -> Para:
        return Para(tuple(runs), size, size * pitch, lines=self.lines(runs, size, width), **kw)

    # --------------------------------------------------------- paragraphs
    def paragraph(self, it: Item, width: float, m: Metrics, *, dim: bool = False) -> Chunk:
        size, role, bold, color = m.body, "body", False, self.c.text
        if it.style == "subheading":
            size, role, bold, color = m.body + 2, "heading", True, self.c.heading
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
        marker_w = m.indent * (1.2 if it.bullet and it.bullet[0].isdigit() else 0.8)
        hang = -marker_w if it.bullet else 0.0
        if it.bullet and it.level:
            margin = (it.level - 1) * m.indent + marker_w
        text_w = width - self.box_indent(it, m) * 2 - m.text_insets[0] - m.text_insets[2] - margin
        p = self.para(runs, size, text_w, pitch=m.pitch, space_before=m.para_gap,
                      level=max(0, it.level - 1), margin_left=margin, indent=hang, bullet=it.bullet,
                      bullet_color=self.c.accent if not dim else self.c.muted,
                      align=it.align or "left", color=color)
        return Chunk(it, "text", len(p.lines) * p.line_pitch, para=p)

    def split_paragraph(self, c: Chunk, room: float, min_lines: int) -> tuple[Chunk | None, Chunk | None]:
        p = c.para
        fit = int(room // p.line_pitch)
        n = len(p.lines)
        if fit < min_lines or n - fit < 1 or n < min_lines * 2:
            return None, None
        fit = min(fit, n - min_lines) if n - fit < min_lines else fit
        head_runs, tail_runs = split_runs(list(p.runs), p.lines, fit)
        head = replace(p, runs=tuple(head_runs), lines=p.lines[:fit])
        tail = replace(p, runs=tuple(tail_runs), lines=p.lines[fit:], bullet=None, space_before=0.0)
        return (replace(c, para=head, height=fit * p.line_pitch, part=c.part or 1),
                replace(c, para=tail, height=(n - fit) * p.line_pitch, part=(c.part or 1) + 1))

    # --------------------------------------------------------------- code
    def code(self, it: Item, width: float, m: Metrics, diags: Diagnostics) -> Chunk:
        indent = it.level * m.indent + self.box_indent(it, m) * 2
        avail = width - indent - m.code_insets[0] - m.code_insets[2]
        limit = avail * self.m.slack
        lines = code_lines(it.code, it.language, self.c.pygments_style, self.c.text)
        widest = max((self.m.text_width(run_pieces(l), 1.0) for l in lines), default=0.0)
        size = m.code
        while size > self.t.sizes.code_min and widest * size > limit:
            size -= 1
        if widest * size > limit:
            diags.info("code-wrapped", f"code lines longer than the slide are wrapped at {size:g} pt", it.source)
            lines = [part for line in lines for part in self.wrap_code(line, size, limit)]
        elif size < m.code:
            diags.info("code-shrunk", f"code shrunk to {size:g} pt so its longest line fits", it.source)
        pitch = size * m.code_pitch
        return Chunk(it, "code", len(lines) * pitch, code=lines, code_size=size)

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

    def split_code(self, c: Chunk, room: float, min_lines: int) -> tuple[Chunk | None, Chunk | None]:
        pitch = c.height / max(1, len(c.code))
        fit = int(room // pitch)
        n = len(c.code)
        if fit < min_lines or n - fit < 1:
            return None, None
        if n - fit < min_lines:
            fit = n - min_lines
            if fit < min_lines:
                return None, None
        return (replace(c, code=c.code[:fit], height=fit * pitch, part=c.part or 1),
                replace(c, code=c.code[fit:], height=(n - fit) * pitch, part=(c.part or 1) + 1))

    # -------------------------------------------------------------- images
    def image(self, it: Item, width: float, m: Metrics) -> Chunk:
        img = it.image
        avail = width - it.level * m.indent - self.box_indent(it, m) * 2
        body_h = self.t.boxes.body.h
        caption = None
        cap_h = 0.0
        cap_spans = img.caption
        if img.caption:
            size = m.body * CAPTION_SCALE
            runs = span_runs(img.caption, color=self.c.muted, link_color=self.c.link)
            caption = self.para(runs, size, avail, pitch=m.pitch, align="center", color=self.c.muted)
            cap_h = len(caption.lines) * caption.line_pitch + 4
        if img.path is None or not img.pixel_size:
            w, h = min(avail, avail * 0.7), PLACEHOLDER_H
            name = short_text(img.src.rstrip("/").rsplit("/", 1)[-1] or img.src, 60)
            label = f"이미지 없음: {img.alt or plain_text(cap_spans) or name}" + (f" ({name})" if img.alt else "")
            ph = self.para(plain_runs(label, color=self.c.muted), m.body * 0.7, w - 16,
                           pitch=m.pitch, align="center", color=self.c.muted)
            h = max(h, len(ph.lines) * ph.line_pitch + 24)
            return Chunk(it, "image", h + cap_h, para=caption, image_natural=(w, h), placeholder=ph)
        pw, ph_ = img.pixel_size
        w = self.requested_width(img.width, pw, avail)
        h = w * ph_ / pw
        share = DIAGRAM_MIN_SHARE if img.kind == "diagram" else IMAGE_MIN_SHARE
        min_h = min(h, body_h * share)
        return Chunk(it, "image", min_h + cap_h, para=caption, image_natural=(w, h))

    @staticmethod
    def requested_width(spec: str | None, px: int, avail: float) -> float:
        natural = px * PX_TO_PT
        if spec:
            m = re.fullmatch(r"\s*([\d.]+)\s*(%|px|pt)?\s*", spec)
            if m:
                v = float(m.group(1))
                unit = m.group(2) or "px"
                natural = avail * v / 100 if unit == "%" else v * (PX_TO_PT if unit == "px" else 1.0)
        return max(24.0, min(natural, avail))

    # -------------------------------------------------------------- titles
    def fit_title(self, runs: list[Run], box_w: float, size: float, min_size: float, max_lines: int,
                  pitch: float) -> Para:
        width = box_w - self.inset_lr("text")
        while True:
            p = self.para(runs, size, width, pitch=pitch, color=self.c.heading)
            if len(p.lines) <= max_lines or size - self.t.sizes.step < min_size:
                return p
            size -= self.t.sizes.step

    def inset_lr(self, key: str) -> float:
        i = getattr(self.t.insets, key)
        return i.left + i.right

    def insets(self, key: str) -> tuple[int, int, int, int]:
        i = getattr(self.t.insets, key)
        return (emu(i.left), emu(i.top), emu(i.right), emu(i.bottom))

    def title(self, spans: tuple[Span, ...], source: SourceSpan, diags: Diagnostics | None,
              suffix: str = "") -> tuple[TextFrame, float]:
        """The slide title frame and the y where the body starts (titles may push it down)."""
        box = self.t.boxes.title
        s = self.t.sizes
        runs = span_runs(spans, role="heading", bold=True, color=self.c.heading, link_color=self.c.link)
        if suffix:
            runs.append(Run(f" {suffix}", "heading", True, color=self.c.muted))
        pitch = self.t.spacing.title_line_height
        p = self.fit_title(runs, box.w, s.title, s.title_min, 2, pitch)
        if diags is not None and p.size < s.title:
            diags.info("title-shrunk", f"title shrunk to {p.size:g} pt to stay within two lines", source)
        ins = self.t.insets.text
        need = len(p.lines) * p.line_pitch + ins.top + ins.bottom
        h = max(box.h, need)
        frame = TextFrame(emu(box.x), emu(box.y), emu(box.w), emu(h), (p,), "title",
                          self.insets("text"), anchor="bottom")
        body = self.t.boxes.body
        return frame, max(body.y, box.y + h + 8)

    def title_index(self, shapes: list) -> int | None:
        for i, sh in enumerate(shapes):
            if isinstance(sh, TextFrame) and sh.role == "title":
                return i
        return None

    def band(self) -> Bar:
        return Bar(0, 0, emu(14), emu(self.t.slide_h), self.c.title_slide_band)

    def title_slide(self, meta: Meta) -> list:
        s = self.t.sizes
        shapes: list = [self.band()]
        box = self.t.boxes.title_slide_title
        runs = plain_runs(meta.title or "", role="heading", bold=True, color=self.c.heading)
        p = self.fit_title(runs, box.w, s.section_title, s.title_min, 3, self.t.spacing.title_line_height)
        shapes.append(TextFrame(emu(box.x), emu(box.y), emu(box.w), emu(box.h), (p,), "title",
                                self.insets("text"), anchor="bottom"))
        if meta.subtitle:
            sb = self.t.boxes.title_slide_subtitle
            runs = plain_runs(meta.subtitle, color=self.c.accent)
            sp = self.fit_title(runs, sb.w, s.subtitle, s.body_min * 0.8, 2, 1.25)
            sp = replace(sp, color=self.c.accent)
            shapes.append(TextFrame(emu(sb.x), emu(sb.y), emu(sb.w), emu(max(sb.h, self.para_h(sp))), (sp,),
                                    "subtitle", self.insets("text")))
        byline = " · ".join(x for x in (meta.author, meta.date) if x)
        tags = "  ".join(f"#{t}" for t in meta.tags)
        paras = []
        bb = self.t.boxes.title_slide_byline
        for text, size in ((byline, 18.0), (tags, 14.0)):
            if text:
                paras.append(self.para(plain_runs(text, color=self.c.muted), size, bb.w - self.inset_lr("text"),
                                       pitch=1.3, color=self.c.muted, space_before=6.0 if paras else 0.0))
        if paras:
            shapes.append(TextFrame(emu(bb.x), emu(bb.y), emu(bb.w), emu(max(bb.h, sum(map(self.para_h, paras)))),
                                    tuple(paras), "subtitle", self.insets("text")))
        return shapes

    @staticmethod
    def para_h(p: Para) -> float:
        return p.space_before + len(p.lines) * p.line_pitch + 8

    def section_slide(self, slide) -> list:
        s = self.t.sizes
        shapes: list = [self.band()]
        box = self.t.boxes.section_title
        runs = span_runs(slide.title, role="heading", bold=True, color=self.c.heading)
        p = self.fit_title(runs, box.w, s.section_title, s.title_min, 2, self.t.spacing.title_line_height)
        shapes.append(TextFrame(emu(box.x), emu(box.y), emu(box.w), emu(box.h), (p,), "title",
                                self.insets("text"), anchor="bottom"))
        if slide.blocks:
            sb = self.t.boxes.section_body
            text = slide.blocks[0].spans
            runs = span_runs(text, color=self.c.quote_text, link_color=self.c.link)
            sp = self.fit_title(runs, sb.w, s.subtitle, s.body_min, 4, 1.3)
            sp = replace(sp, color=self.c.quote_text)
            shapes.append(TextFrame(emu(sb.x), emu(sb.y), emu(sb.w), emu(max(sb.h, self.para_h(sp))), (sp,),
                                    "subtitle", self.insets("text")))
        return shapes


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


