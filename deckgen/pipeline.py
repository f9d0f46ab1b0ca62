"""build_one(): the stage list for one note, readable in one screen.

read -> parse -> split into slides -> lay out -> write PPTX; and
Document -> handout PDF.  Outputs are written to a temporary file beside the
target and renamed into place, so a crash never leaves half a file.
"""
from __future__ import annotations

import dataclasses
import functools
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from deckgen.read.assets import AssetResolver
from deckgen.cachedir import find_project_root
from deckgen.diagnostics import BuildError, Diagnostics
from deckgen.files import atomic_write
from deckgen.theme.fonts import FontError
from deckgen.layout.deck import Layouter, LayoutOptions
from deckgen.layout.geometry import LaidOutDeck
from deckgen.layout.measure import Measurer
from deckgen.model import Deck, Document, SourceSpan
from deckgen.read.parse import parse_source
from deckgen.cachedir import cache_root
from deckgen.render import render_figures
from deckgen.layout.slides import split_slides
from deckgen.read.source import read_source
from deckgen.theme.load import Theme, ThemeError, load_theme

FORMATS = ("pptx", "pdf", "slides")
"""Outputs a build can write: the deck, the PDF handout, the slides PDF (NOTE-slides.pdf)."""
DEFAULT_FORMATS = ("pptx", "pdf")
HANDOUT_LAYOUTS = ("document", "slides-2", "slides-3", "slides-6", "notes")
"""How the PDF handout places the note: the whole note as a document, 2/3/6 slides per A4 page,
or one slide per page with its speaker notes (instructor only: written beside NOTE.pdf)."""


@dataclass
class BuildOptions:
    formats: tuple[str, ...] = DEFAULT_FORMATS
    theme: str = "default"
    slide_level: int | None = None
    prose_to_notes: bool | None = None
    """None: take it from front matter (`prose_to_notes: true`), else off."""
    strict: bool = False
    verbose: bool = False
    # Project config (deckgen.toml): defaults that note front matter still overrides.
    default_slide_level: int | None = None
    default_lang: str | None = None
    default_prose_to_notes: bool | None = None
    asset_dirs: tuple[str, ...] = ()
    """Extra folders searched for images (absolute paths)."""
    fetch_images: bool = False
    """Download http(s) images (with a timeout and a size cap); off: nothing is fetched."""
    handout: tuple[tuple[str, bool], ...] = ()
    """Overrides of the theme's [handout] table (speaker_notes, toc, link_footnotes)."""
    handout_layout: str | None = None
    """--handout-layout: stronger than front matter `handout_layout` and the config's [handout] layout."""
    default_handout_layout: str | None = None
    """The project config's [handout] layout (front matter overrides it)."""
    config_digest: str = ""
    """Hash of the project config, so a config change invalidates the build cache."""


@dataclass
class BuildResult:
    note: str
    outputs: list[Path] = field(default_factory=list)
    diags: Diagnostics = field(default_factory=Diagnostics)
    failed: bool = False
    seconds: float = 0.0
    slides: int = 0
    dependencies: list[str] = field(default_factory=list)
    """Files besides the note and theme that the outputs were made from (images), for build caches."""


@functools.lru_cache(maxsize=8)
def cached_theme(name: str) -> tuple[Theme, Measurer]:
    """Themes and their fonts are loaded once per process."""
    theme = load_theme(name)
    f = theme.fonts
    return theme, Measurer(f.heading, f.body, f.mono, slack=theme.spacing.width_slack,
                           autospace=theme.spacing.asian_latin_space)


def _theme_warnings(theme: Theme, diags: Diagnostics) -> None:
    """Unknown theme keys, once per note built (the theme itself is cached per process)."""
    for message in theme.warnings:
        diags.warning("theme-key", message, SourceSpan(str(theme.folder / "theme.toml"), 0))


def make_deck(doc: Document, options: BuildOptions) -> Deck:
    level = options.slide_level or (None if doc.meta.slide_level else options.default_slide_level)
    return split_slides(doc, slide_level=level)


def _prose_to_notes(doc: Document, options: BuildOptions) -> bool:
    if options.prose_to_notes is not None:
        return options.prose_to_notes
    fm = dict(doc.meta.extra).get("prose_to_notes")
    if fm is None and options.default_prose_to_notes is not None:
        return options.default_prose_to_notes
    return (fm or "").lower() in ("true", "yes", "1")


def _with_config(doc: Document, options: BuildOptions, front_matter_lang: bool) -> Document:
    """Project-config language for a note whose front matter names none."""
    if options.default_lang and not front_matter_lang:
        return dataclasses.replace(doc, meta=dataclasses.replace(doc.meta, lang=options.default_lang))
    return doc


def lay_out(doc: Document, theme: Theme, measurer: Measurer, options: BuildOptions,
            diags: Diagnostics) -> tuple[Deck, LaidOutDeck]:
    """Document -> slides (Deck) -> the laid-out deck every slide-shaped output is drawn from."""
    layouter = Layouter(theme, measurer, diags, lang=doc.meta.lang,
                        options=LayoutOptions(prose_to_notes=_prose_to_notes(doc, options)))
    deck = make_deck(doc, options)
    return deck, layouter.layout_deck(deck)


def handout_layout(doc: Document, options: BuildOptions, diags: Diagnostics) -> str:
    """Command line, then front matter `handout_layout`, then the config's [handout] layout."""
    if options.handout_layout:
        return options.handout_layout
    fm = dict(doc.meta.extra).get("handout_layout")
    if fm is not None:
        if fm in HANDOUT_LAYOUTS:
            return fm
        diags.warning("handout-layout", f"front matter handout_layout: unknown layout {fm!r} (choose from "
                      f"{', '.join(HANDOUT_LAYOUTS)}); the handout uses the document layout",
                      SourceSpan(doc.path, 1))
        return "document"
    return options.default_handout_layout or "document"


def instructor_path(pdf: Path) -> Path:
    """NOTE-instructor.pdf beside NOTE.pdf: where instructor-only handouts go."""
    return pdf.with_name(f"{pdf.stem}-instructor.pdf")


def write_outputs(doc: Document, theme: Theme, measurer: Measurer, outputs: dict[str, Path],
                  options: BuildOptions, result: BuildResult, *, root: Path) -> None:
    """Lay the deck out once (when a slide-shaped output needs it), then write each output."""
    layout = handout_layout(doc, options, result.diags) if "pdf" in outputs else "document"
    laid: LaidOutDeck | None = None
    if {"pptx", "slides", "thumb"} & outputs.keys() or layout != "document":
        deck, laid = lay_out(doc, theme, measurer, options, result.diags)
        result.slides = len(laid.slides)
        _write_slide_outputs(deck, laid, theme, outputs, result)
    if "pdf" in outputs:
        _write_handout(doc, laid, theme, layout, outputs["pdf"], result, root)


def _write_slide_outputs(deck: Deck, laid: LaidOutDeck, theme: Theme, outputs: dict[str, Path],
                         result: BuildResult) -> None:
    """The deck, the slides PDF and the first slide's thumbnail (for the course pack)."""
    source = SourceSpan(result.note, 0)
    if "pptx" in outputs:
        from deckgen.backends.pptx.writer import write_pptx

        _write(result, outputs["pptx"], write_pptx(laid, theme, deck.meta))
    if "slides" in outputs:
        from deckgen.backends.slides_pdf import build_slides_pdf

        _write(result, outputs["slides"], build_slides_pdf(laid, theme, result.diags, source=source))
    if "thumb" in outputs and laid.slides:
        from deckgen.backends.slides_pdf.thumbnail import first_slide_png

        _write(result, outputs["thumb"], first_slide_png(laid, theme, result.diags, source=source))


def _write(result: BuildResult, path: Path, data: bytes) -> None:
    atomic_write(path, data)
    result.outputs.append(path)


def _write_handout(doc: Document, laid: LaidOutDeck | None, theme: Theme, layout: str, target: Path,
                   result: BuildResult, root: Path) -> None:
    """NOTE.pdf in the chosen layout; the notes layout is for the instructor, so it goes to
    NOTE-instructor.pdf and students keep the document handout in NOTE.pdf."""
    from deckgen.backends.handout.document import build_handout_pdf

    source = SourceSpan(result.note, 0)
    if layout in ("document", "notes"):
        _write(result, target, build_handout_pdf(doc, theme, result.diags, base_dir=root))
    if layout != "document" and laid is not None:   # laid out whenever the layout is not "document"
        from deckgen.backends.slides_pdf import build_handout_slides_pdf

        pdf = build_handout_slides_pdf(laid, theme, layout, result.diags, source=source)
        _write(result, instructor_path(target) if layout == "notes" else target, pdf)


def build_one(note: Path, outputs: dict[str, Path], options: BuildOptions, *,
              display: str | None = None) -> BuildResult:
    """Build one note into the given outputs ({'pptx': path, 'pdf': path, 'slides': path, 'thumb': path})."""
    display = display or str(note)
    result = BuildResult(display)
    diags = result.diags
    start = time.perf_counter()
    resolver = AssetResolver(note.resolve(), find_project_root(note), [Path(d) for d in options.asset_dirs],
                             fetch_remote=options.fetch_images)
    try:
        theme, measurer = cached_theme(options.theme)
        _theme_warnings(theme, diags)
        if options.handout:
            flags: dict[str, Any] = dict(options.handout)
            theme = dataclasses.replace(theme, handout=dataclasses.replace(theme.handout, **flags))
        src = read_source(note, display, diags)
        doc = _with_config(parse_source(src, diags, resolver), options, "lang" in src.front_matter)
        root = find_project_root(note)
        doc = render_figures(doc, diags, cache_dir=cache_root(root) / "figures", theme=theme,
                             project_root=root)
        write_outputs(doc, theme, measurer, outputs, options, result, root=root)
    except BuildError as e:
        diags.error("build-failed", str(e), e.source)
        result.failed = True
    except (ThemeError, FontError) as e:
        diags.error("theme", str(e), SourceSpan(display, 0))
        result.failed = True
    except Exception as e:  # one broken note must never stop a batch
        msg = f"internal error: {type(e).__name__}: {e}"
        if options.verbose:
            msg += "\n" + traceback.format_exc()
        diags.error("internal", msg, SourceSpan(display, 0))
        result.failed = True
    if options.strict and diags.count("warning"):
        result.failed = True
    result.dependencies = sorted(resolver.used)
    result.seconds = time.perf_counter() - start
    return result
