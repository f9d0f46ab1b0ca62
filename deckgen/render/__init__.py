"""The render stage: diagram fences and display math -> pictures, offline.

`render_figures()` runs right after parsing.  It replaces each ```mermaid,
```dot/```graphviz and ```plantuml fence, and each display formula, with an
:class:`~deckgen.model.Image` whose `path` is an SVG file in the render cache
(`kind` 'diagram' or 'math').  The handout draws that SVG as vectors; the PPTX
backend rasterises it for the picture and attaches the SVG too (svgBlip).
Inline formulas are drawn too (the handout sets them in the line); one that text
runs cannot show is marked `math_picture`, and a slide draws it on a line of its own.
A figure that cannot be drawn keeps its source as a code block, with a warning.
Nothing here opens a browser or the network.
"""
from __future__ import annotations

import collections
from dataclasses import replace
from pathlib import Path
from collections.abc import Callable
from typing import assert_never

from deckgen.bounds.alarm import TimeLimitExceeded, time_limit
from deckgen.diagnostics import Diagnostics
from deckgen.model import (Block, BulletList, Callout, Cell, CodeBlock, Columns, Document, Heading, Image,
                           Instructor, Math, Paragraph, Quote, Rule, SourceSpan, Span, SpeakerNotes, Table,
                           TableOfContents)
from deckgen.render import diagrams, dotsafe
from deckgen.render import svg
from deckgen.render import tex
from deckgen.render.cache import FigureCache, figure_key
from deckgen.render.diagrams import Fonts, RenderError
from deckgen.render.gitgraph import quote_branch_names
from deckgen.render.mermaid_svg import tidy_mermaid
from deckgen.render.mathruns import MathTooComplex, tex_to_runs
from deckgen.render.palette import mermaid_variables

__all__ = ["render_figures", "available_renderers", "RENDER_CALLS", "DIAGRAM_LANGUAGES"]

DIAGRAM_LANGUAGES = {"mermaid": "mermaid", "dot": "graphviz", "graphviz": "graphviz",
                     "plantuml": "plantuml", "puml": "plantuml"}
DIAGRAM_ZOOM = 1.5
"""Diagrams are laid out at 1.5x their SVG size: mermaid's 16 px labels become 18 pt on a slide."""
INLINE_PX = 40.0
"""Inline formulas are drawn at this size; the handout scales them to the text (in ems)."""
MATH_SCALE = 1.1
"""Display math is drawn a little larger than body text."""
PT_PER_PX = 0.75   # CSS: 96 px and 72 pt per inch


def math_em_px(body_pt: float) -> float:
    """The pixel size of one em of a formula, whose SVG is drawn at the body size scaled by MATH_SCALE."""
    return body_pt / PT_PER_PX * MATH_SCALE


FIGURE_FORMAT = "4"
"""Bumped when deckgen's own post-processing of renderer SVG changes (part of every cache key)."""

RENDER_CALLS: collections.Counter = collections.Counter()
"""How many figures each renderer actually drew in this process (cache hits draw none)."""

_RENDERERS: dict[str, tuple[Callable[..., str], Callable[[], str]]] = {
    "mermaid": (diagrams.render_mermaid, diagrams.mermaid_version),
    "graphviz": (diagrams.render_dot, diagrams.dot_version),
    "plantuml": (diagrams.render_plantuml, lambda: "plantuml"),
}


class _Stage:
    def __init__(self, diags: Diagnostics, cache: FigureCache, fonts: Fonts, math_px: float,
                 math_seconds: float | None = None):
        self.diags, self.cache, self.fonts, self.math_px = diags, cache, fonts, math_px
        self.math_seconds = math_seconds
        """Wall-clock limit of one formula (limits.math_timeout); None: none."""
        self.versions: dict[str, str] = {}
        self.where = SourceSpan("", 0)
        self.in_notes = False
        """Walking speaker notes or instructor blocks: text in the notes pane, never on a slide."""

    def version(self, name: str) -> str:
        if name not in self.versions:
            self.versions[name] = _RENDERERS[name][1]() if name in _RENDERERS else tex.ziamath_version()
        return self.versions[name]

    def svg_file(self, name: str, source: str, draw: Callable[[], str]) -> tuple[Path, tuple[float, float]]:
        math = name.startswith("math")
        key = figure_key(FIGURE_FORMAT, name, self.version("math" if math else name), source, self.fonts.family,
                         self.fonts.regular, f"{self.math_px:.2f}" if math else repr(self.fonts.colors))
        path = self.cache.get(key, "svg")
        if path is None:
            RENDER_CALLS[name] += 1
            text = svg.normalize(draw())
            if name == "mermaid":
                text = tidy_mermaid(text, self.fonts.family, dict(self.fonts.colors).get("textColor", "#1F2328"))
            svg.size_of(text.encode("utf-8"))             # refuse an SVG we could not lay out
            path = self.cache.put(key, "svg", text.encode("utf-8"))
        w, h = svg.size_of(path.read_bytes())
        return path, (w, h)

    # ------------------------------------------------------------ figures
    def diagram(self, b: CodeBlock) -> Block:
        name = DIAGRAM_LANGUAGES[b.language.lower()]
        if name == "plantuml" and diagrams.plantuml_command() is None:
            self.diags.warning("diagram-renderer-missing", "no PlantUML runtime is installed "
                               "(plantuml, or PLANTUML_JAR and java); the diagram is shown as code", b.source)
            return b
        fn = _RENDERERS[name][0]
        code = self.without_file_refs(b) if name == "graphviz" else b.code
        code = quote_branch_names(code) if name == "mermaid" else code
        try:
            path, (w, h) = self.svg_file(name, code, lambda: fn(code, self.fonts))
        except (RenderError, svg.SvgError, OSError) as e:
            self.diags.warning("diagram-failed", f"{b.language} diagram could not be drawn ({_short(e)}); "
                               "it is shown as code", b.source)
            return b
        size = (round(w * DIAGRAM_ZOOM), round(h * DIAGRAM_ZOOM))
        label = svg.smallest_text_px(path.read_bytes())
        return Image(f"{b.language} diagram", f"{name} diagram", str(path), source=b.source,
                     pixel_size=size, kind="diagram", label_px=label * DIAGRAM_ZOOM if label else None)

    def without_file_refs(self, b: CodeBlock) -> str:
        """The DOT source minus attributes that make graphviz open files, each with a warning."""
        code, removed = dotsafe.strip_file_refs(b.code)
        for line, what in removed:
            self.diags.warning("diagram-file-ref", f"{what} removed from the graphviz diagram: diagrams "
                               "may not read files", replace(b.source, line=b.source.line + 1 + line))
        return code

    def math_timeout(self, what: str, shown: str, where: SourceSpan) -> None:
        self.diags.warning("math-timeout", f"{what} took longer than {self.math_seconds:g} s to draw and was "
                           f"stopped (limits.math_timeout in deckgen.toml); its TeX source is shown as {shown}",
                           where)

    def math(self, b: Math) -> Block:
        try:
            with time_limit(self.math_seconds):
                path, size = self.svg_file("math", b.tex, lambda: tex.render_math_svg(
                    b.tex, self.math_px, text_font=self.fonts.regular))
        except TimeLimitExceeded:
            self.math_timeout("formula", "code", b.source)
            return CodeBlock(b.tex, "latex", b.source)
        except (tex.MathError, svg.SvgError, OSError) as e:
            self.diags.warning("math-failed", f"formula could not be drawn ({_short(e)}); "
                               "its TeX source is shown as code", b.source)
            return CodeBlock(b.tex, "latex", b.source)
        return Image("math", b.tex, str(path), source=b.source, pixel_size=(round(size[0]), round(size[1])),
                     align="center", kind="math")

    def math_runs(self, s: Span) -> tuple[Span, bool]:
        """Inline math as styled runs for the slides (real sub/superscripts, italic variables), and
        whether runs cannot show it (then they hold a flattened form)."""
        try:
            return replace(s, math_runs=tex_to_runs(s.math or "")), False
        except MathTooComplex:
            return replace(s, math_runs=tex_to_runs(s.math or "", strict=False)), True
        except tex.MathError:
            return s, False

    def inline_math(self, s: Span, *, own_line: bool) -> Span:
        """*s* drawn (drawn_inline) within the formula time limit; past it, its TeX source as text."""
        try:
            with time_limit(self.math_seconds):
                return self.drawn_inline(s, own_line=own_line)
        except TimeLimitExceeded:
            self.math_timeout("inline formula", "inline code", self.where)
            return replace(s, text=s.math or s.text, code=True, math=None, math_runs=())   # source, as code

    def drawn_inline(self, s: Span, *, own_line: bool) -> Span:
        """Inline math as a small SVG for the handout, and as runs for the slides. A formula runs
        cannot show is a picture on its own line of a slide paragraph (*own_line*), else flattened."""
        s, complex_ = self.math_runs(s)
        source = s.math or ""          # spans() calls this only for spans with math
        try:
            path, (w, h) = self.svg_file("math-inline", source,
                                         lambda: tex.render_math_svg(source, INLINE_PX, inline=True,
                                                                     text_font=self.fonts.regular))
        except (tex.MathError, svg.SvgError, OSError) as e:
            self.diags.info("math-inline-text", f"inline formula shown as text ({_short(e)})", self.where)
            if complex_:
                self.diags.info("math-inline-simplified", "inline formula simplified on the slide", self.where)
            return s
        if complex_ and not own_line:
            self.diags.info("math-inline-simplified", "inline formula simplified on the slide (a title or "
                            "table cell cannot hold its picture)", self.where)
        elif complex_ and not self.in_notes:
            self.diags.info("math-inline-picture", "inline formula too complex for text runs: drawn as a "
                            "picture on its own line of the slide", self.where)
        depth = tex.depth_below_baseline(path.read_bytes()) / INLINE_PX
        return replace(s, math_svg=str(path), math_em=(w / INLINE_PX, h / INLINE_PX), math_depth=depth,
                       math_picture=complex_ and own_line)

    def spans(self, spans: tuple[Span, ...], *, own_line: bool = False) -> tuple[Span, ...]:
        """*spans* with their inline math drawn; *own_line*: they are a paragraph, which can give a
        formula that runs cannot show a line of its own on the slide."""
        if not any(s.math for s in spans):
            return spans
        return tuple(self.inline_math(s, own_line=own_line) if s.math else s for s in spans)

    # ------------------------------------------------------------ walking
    def blocks(self, blocks: tuple[Block, ...]) -> tuple[Block, ...]:
        return tuple(self.block(b) for b in blocks)

    def block(self, b: Block) -> Block:
        """*b* with its diagrams and display math rendered and inline math drawn, nested blocks too."""
        self.where = b.source
        match b:
            case CodeBlock() if b.language.lower() in DIAGRAM_LANGUAGES:
                return self.diagram(b)
            case Math():
                return self.math(b)
            case Paragraph():
                return replace(b, spans=self.spans(b.spans, own_line=True))
            case Heading():
                return replace(b, spans=self.spans(b.spans))
            case Table():
                def cell(c: Cell) -> Cell:
                    return replace(c, spans=self.spans(c.spans))
                return replace(b, header=tuple(map(cell, b.header)),
                               rows=tuple(tuple(map(cell, r)) for r in b.rows))
            case Columns():
                return replace(b, columns=tuple(self.blocks(col) for col in b.columns))
            case Callout():
                return replace(b, title=self.spans(b.title), blocks=self.blocks(b.blocks))
            case SpeakerNotes() | Instructor():
                outer, self.in_notes = self.in_notes, True
                inner = self.blocks(b.blocks)
                self.in_notes = outer
                return replace(b, blocks=inner)
            case Quote():
                return replace(b, blocks=self.blocks(b.blocks))
            case BulletList():
                return replace(b, items=tuple(replace(i, blocks=self.blocks(i.blocks)) for i in b.items))
            case CodeBlock() | Image() | Rule() | TableOfContents():
                return b
            case _:
                assert_never(b)


def _short(e: Exception) -> str:
    msg = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
    return msg[:160]


def render_figures(doc: Document, diags: Diagnostics, *, cache_dir: Path, theme, project_root: Path,
                   math_seconds: float | None = None) -> Document:
    """*doc* with diagram fences and display math replaced by rendered SVG pictures; a formula
    still drawing after *math_seconds* is stopped and shown as its TeX source."""
    body = theme.fonts.body
    fonts = Fonts(body.family, body.regular.path, body.bold.path, mermaid_variables(theme))
    math_px = math_em_px(theme.sizes.body)
    stage = _Stage(diags, FigureCache(Path(cache_dir)), fonts, math_px, math_seconds)
    return replace(doc, blocks=stage.blocks(doc.blocks))


def available_renderers() -> list[tuple[str, bool, str, str]]:
    """(name, ok, detail, what a missing one disables) for `deckgen doctor`."""
    out = []
    ok, detail = diagrams.mermaid_available()
    out.append(("mermaid", ok, detail, "```mermaid diagrams (shown as code instead)"))
    ok, detail = diagrams.dot_available()
    out.append(("graphviz", ok, detail, "```dot / ```graphviz diagrams (shown as code instead)"))
    ok, detail = diagrams.plantuml_available()
    out.append(("plantuml", ok, detail, "```plantuml diagrams (shown as code instead)"))
    v = tex.ziamath_version()
    out.append(("math", bool(v), f"ziamath {v}" if v else "ziamath is not installed",
                "formula pictures (TeX source shown as code instead)"))
    try:
        import cairosvg
        out.append(("svg-raster", True, f"CairoSVG {cairosvg.__version__}", ""))
    except (ImportError, OSError) as e:
        out.append(("svg-raster", False, f"CairoSVG/libcairo unavailable ({e})",
                    "SVG images and diagrams in the PPTX (placeholders instead)"))
    try:
        import PIL
        out.append(("raster", True, f"Pillow {PIL.__version__}", ""))
    except ImportError:
        out.append(("raster", False, "Pillow is not installed", "every raster image"))
    return out
