"""Slide titles, the title slide and section slides.

A slide title shrinks (one step at a time, down to the theme's minimum) before
it wraps past two lines; a title that still needs more room pushes the body
down.  Title and section slides are fixed boxes from the theme.
"""
from __future__ import annotations

from dataclasses import replace

from deckgen.diagnostics import Diagnostics
from deckgen.layout.geometry import Bar, Para, Run, Shape, TextFrame, emu
from deckgen.layout.runs import plain_runs, span_runs
from deckgen.layout.texts import TextSetter
from deckgen.model import Meta, Paragraph, Slide, SourceSpan, Span
from deckgen.theme.load import Box, Theme

TITLE_MAX_LINES = 2           # a slide title shrinks before it wraps past this many lines
TITLE_SLIDE_MAX_LINES = 3     # the title slide's title
SECTION_TEXT_MAX_LINES = 4    # a section slide's short introduction
TITLE_BODY_GAP = 8.0          # points between a title that grew taller than its box and the body
TEXT_BOX_AIR = 8.0            # points left below the last line of a title-slide or section-slide text box
BAND_W = 14.0                 # the accent band at the left of title and section slides, in points
SUBTITLE_PITCH = 1.25         # line pitch (x size) of the title slide's subtitle
SUBTITLE_MIN = 0.8            # the subtitle shrinks down to this share of the body's minimum size
BYLINE_PITCH = 1.3            # line pitch (x size) of the title slide's byline and tags
BYLINE_GAP = 6.0              # points between the byline and the tags
SECTION_TEXT_PITCH = 1.3      # line pitch (x size) of a section slide's introduction


class TitleSetter:
    """Titles and the fixed boxes of title and section slides."""

    def __init__(self, theme: Theme, text: TextSetter):
        self.t = theme
        self.text = text
        self.c = theme.colors

    def fit_title(self, runs: list[Run], box_w: float, size: float, min_size: float, max_lines: int,
                  pitch: float) -> Para:
        width = box_w - self.inset_lr("text")
        while True:
            p = self.text.para(runs, size, width, pitch=pitch, color=self.c.heading)
            if len(p.lines) <= max_lines or size - self.t.sizes.step < min_size:
                return p
            size -= self.t.sizes.step

    def fit_in_box(self, runs: list[Run], box: Box, size: float, min_size: float, max_lines: int,
                   pitch: float) -> Para:
        """fit_title(), then smaller still while the lines are taller than the box (templates
        bring their own, sometimes short, title boxes)."""
        ins = self.t.insets.text
        p = self.fit_title(runs, box.w, size, min_size, max_lines, pitch)
        while (len(p.lines) * p.line_pitch + ins.top + ins.bottom > box.h
               and p.size - self.t.sizes.step >= min_size):
            p = self.fit_title(runs, box.w, p.size - self.t.sizes.step, min_size, max_lines, pitch)
        return p

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
        p = self.fit_title(runs, box.w, s.title, s.title_min, TITLE_MAX_LINES, pitch)
        if diags is not None and p.size < s.title:
            diags.info("title-shrunk", f"title shrunk to {p.size:g} pt to stay within two lines", source)
        ins = self.t.insets.text
        need = len(p.lines) * p.line_pitch + ins.top + ins.bottom
        h = max(box.h, need)
        frame = TextFrame(emu(box.x), emu(box.y), emu(box.w), emu(h), (p,), "title",
                          self.insets("text"), anchor="bottom")
        body = self.t.boxes.body
        return frame, max(body.y, box.y + h + TITLE_BODY_GAP)

    def title_index(self, shapes: list[Shape]) -> int | None:
        for i, sh in enumerate(shapes):
            if isinstance(sh, TextFrame) and sh.role == "title":
                return i
        return None

    def band(self) -> list[Shape]:
        """deckgen's accent band on title and section slides; a template brings its own design."""
        if self.t.template is not None:
            return []
        return [Bar(0, 0, emu(BAND_W), emu(self.t.slide_h), self.c.title_slide_band)]

    def title_slide(self, meta: Meta) -> list[Shape]:
        s = self.t.sizes
        shapes: list[Shape] = self.band()
        box = self.t.boxes.title_slide_title
        runs = plain_runs(meta.title or "", role="heading", bold=True, color=self.c.heading)
        p = self.fit_in_box(runs, box, s.section_title, s.title_min, TITLE_SLIDE_MAX_LINES,
                            self.t.spacing.title_line_height)
        shapes.append(TextFrame(emu(box.x), emu(box.y), emu(box.w), emu(box.h), (p,), "title",
                                self.insets("text"), anchor="bottom"))
        if meta.subtitle:
            sb = self.t.boxes.title_slide_subtitle
            runs = plain_runs(meta.subtitle, color=self.c.accent)
            sp = self.fit_title(runs, sb.w, s.subtitle, s.body_min * SUBTITLE_MIN, TITLE_MAX_LINES,
                                SUBTITLE_PITCH)
            sp = replace(sp, color=self.c.accent)
            shapes.append(TextFrame(emu(sb.x), emu(sb.y), emu(sb.w), emu(max(sb.h, self.para_h(sp))), (sp,),
                                    "subtitle", self.insets("text")))
        byline = " · ".join(x for x in (meta.author, meta.date) if x)
        tags = "  ".join(f"#{t}" for t in meta.tags)
        paras: list[Para] = []
        bb = self.t.boxes.title_slide_byline
        for text, size in ((byline, s.byline), (tags, s.tags)):
            if text:
                paras.append(self.text.para(plain_runs(text, color=self.c.muted), size, bb.w - self.inset_lr("text"),
                                       pitch=BYLINE_PITCH, color=self.c.muted,
                                       space_before=BYLINE_GAP if paras else 0.0))
        if paras:
            shapes.append(TextFrame(emu(bb.x), emu(bb.y), emu(bb.w), emu(max(bb.h, sum(map(self.para_h, paras)))),
                                    tuple(paras), "subtitle", self.insets("text")))
        return shapes

    @staticmethod
    def para_h(p: Para) -> float:
        return p.space_before + len(p.lines) * p.line_pitch + TEXT_BOX_AIR

    def section_slide(self, slide: Slide) -> list[Shape]:
        s = self.t.sizes
        shapes: list[Shape] = self.band()
        box = self.t.boxes.section_title
        runs = span_runs(slide.title, role="heading", bold=True, color=self.c.heading)
        p = self.fit_in_box(runs, box, s.section_title, s.title_min, TITLE_MAX_LINES,
                            self.t.spacing.title_line_height)
        shapes.append(TextFrame(emu(box.x), emu(box.y), emu(box.w), emu(box.h), (p,), "title",
                                self.insets("text"), anchor="bottom"))
        intro = next((b for b in slide.blocks if isinstance(b, Paragraph)), None)
        if intro is not None:        # a `{:toc}` or `---` before it is not text to show
            sb = self.t.boxes.section_body
            runs = span_runs(intro.spans, color=self.c.quote_text, link_color=self.c.link)
            sp = self.fit_title(runs, sb.w, s.subtitle, s.body_min, SECTION_TEXT_MAX_LINES, SECTION_TEXT_PITCH)
            sp = replace(sp, color=self.c.quote_text)
            shapes.append(TextFrame(emu(sb.x), emu(sb.y), emu(sb.w), emu(max(sb.h, self.para_h(sp))), (sp,),
                                    "subtitle", self.insets("text")))
        return shapes
