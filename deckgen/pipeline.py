"""build_one(): the stage list for one note, readable in one screen.

read -> parse -> split into slides -> lay out -> write PPTX; and
Document -> handout PDF.  Outputs are written to a temporary file beside the
target and renamed into place, so a crash never leaves half a file.
"""
from __future__ import annotations

import dataclasses
import functools
import re
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from deckgen.read.assets import AssetResolver
from deckgen.bounds.alarm import TimeLimitExceeded, time_limit
from deckgen.cachedir import find_project_root
from deckgen.diagnostics import BuildError, Diagnostics
from deckgen.bounds.deadline import (ChildFailed, DeadlineExceeded, Superseded, report_progress,
                                     run_with_deadline, stop_test)
from deckgen.files import atomic_write, resolved
from deckgen.bounds.images import use_limits
from deckgen.bounds.limits import HANDOUT_BYTES_PER_TIMEOUT, Limits, handout_ceiling
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
from deckgen.theme.load import Theme, ThemeError
from deckgen.theme.template_safety import TemplateError
from deckgen.theme.template_theme import load_themed
from deckgen.options import (  # noqa: F401  (re-exported: the stages' public names)
    DEFAULT_FORMATS, FORMATS, HANDOUT_LAYOUTS, INSTRUCTOR_PDF, BuildOptions, BuildResult)


@functools.lru_cache(maxsize=8)
def cached_theme(name: str, template: str | None = None) -> tuple[Theme, Measurer]:
    """Themes (with their template, if any) and their fonts are loaded once per process."""
    theme = load_themed(name, template)
    f = theme.fonts
    return theme, Measurer(f.heading, f.body, f.mono, slack=theme.spacing.width_slack,
                           autospace=theme.spacing.asian_latin_space, fallback=f.fallback)


def _theme_warnings(theme: Theme, diags: Diagnostics, display: str) -> None:
    """Unknown theme keys and fonts replaced by a fallback, once per note built (the theme
    itself is cached per process)."""
    for message in theme.warnings:
        diags.warning("theme-key", message, SourceSpan(str(theme.folder / "theme.toml"), 0))
    for face in dict.fromkeys((theme.fonts.heading, theme.fonts.body, theme.fonts.mono)):
        if face.fallback_note:
            diags.warning("font-missing", face.fallback_note, SourceSpan(display, 0))


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


def write_output(path: Path, data: bytes, diags: Diagnostics, display: str) -> bool:
    """Write one output in place atomically; False with an error naming the path when the
    folder is read-only, the disk is full or a folder stands where the file must go."""
    try:
        atomic_write(path, data)
        return True
    except OSError as e:
        why = e.strerror or type(e).__name__
        if isinstance(e, IsADirectoryError) or Path(path).is_dir():
            why = "a folder of that name is in the way"
        diags.error("output-unwritable", f"cannot write {path}: {why}", SourceSpan(display, 0))
        return False


def handout_within_limit(doc: Document, theme: Theme, diags: Diagnostics, base_dir: Path,
                         limits: Limits, edition: str = "student", note: Path | None = None,
                         on_page: Callable[[int], None] | None = None) -> bytes | None:
    """The handout PDF of *edition*, typeset in a child process that is killed when it lays out
    no page for limits.handout_seconds or passes handout_ceiling() for the note's size; None
    (with an error naming the limit) when it was stopped or died.
    Superseded (raised) when *note* was saved again meanwhile under `deckgen watch`.
    *on_page* hears the pages laid out so far, then 0 while the PDF is written."""
    from deckgen.backends.handout.document import build_handout_pdf
    from deckgen.backends.handout.logs import report_pages
    from deckgen.backends.handout.preload import preload_weasyprint, release_free_memory
    from deckgen.backends.handout.warmup import warm_up

    preload_weasyprint()            # once here, not again in every child
    warm_up(theme)                  # once per process and font set: the children start warm
    release_free_memory()           # the deck's freed memory, not inherited by the child

    def typeset() -> tuple[bytes, list]:
        import warnings
        from PIL import Image as PILImage

        # WeasyPrint decodes pictures inside SVGs with Pillow: over our pixel limit is an error there too
        warnings.simplefilter("error", PILImage.DecompressionBombWarning)
        child = Diagnostics()
        with report_pages(report_progress):
            return build_handout_pdf(doc, theme, child, base_dir=base_dir, edition=edition), child.items

    where = SourceSpan(doc.path, 0)
    ceiling = handout_ceiling(limits, _size(note or Path(doc.path)))
    try:
        pdf, items = run_with_deadline(typeset, limits.handout_seconds, None if note is None else stop_test(note),
                                       on_page, ceiling)
    except DeadlineExceeded as e:
        diags.error("handout-timeout", _timeout_message(e, limits.handout_seconds, ceiling), where)
        return None
    except OSError as e:                   # a cache or temporary file it had to write
        name = f" {e.filename}" if e.filename else ""
        diags.error("output-unwritable", f"the handout could not be made: cannot write{name}: "
                    f"{e.strerror or e}", where)
        return None
    except ChildFailed as e:
        diags.error("handout-failed", f"{e} (out of memory?); the deck was still written", where)
        return None
    missing = [d for d in items if ".notdef glyph" in d.message]
    for d in items:
        if d not in missing:
            diags.add(d.severity, d.code, d.message, d.source)
    if missing:                      # one line, not one per syllable, when a font lacks Hangul
        chars = ", ".join(re.findall(r'"(.*?)"', " ".join(d.message for d in missing[:8])))
        diags.warning(missing[0].code, f"handout: no glyph in the fonts for {len(missing)} characters "
                      f"({chars}{', ...' if len(missing) > 8 else ''})", missing[0].source)
    return pdf


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _timeout_message(e: DeadlineExceeded, seconds: float, ceiling: float) -> str:
    """Which of the handout's two limits stopped it (limits.py's docstring has the rule)."""
    if e.stalled:
        where = "before its first page" if e.progress is None else f"after page {e.progress:,}"
        return (f"the handout took longer than {seconds:g} s and was stopped (limits.handout_timeout in "
                f"deckgen.toml: the longest wait for its next page, here {where}); the deck was still written")
    return (f"the handout took longer than {ceiling:.4g} s in all and was stopped (the most a note of this "
            f"size may take: limits.handout_timeout in deckgen.toml, once more per "
            f"{HANDOUT_BYTES_PER_TIMEOUT // 1000} KB of note); "
            "the deck was still written")


def _silent(stage: str, slides: int = 0) -> None:
    pass


def _pages_of(stage: str, slides: int, progress: Callable[[str, int], None]) -> Callable[[int], None]:
    """The handout child's page counts as stage names on the progress line."""
    def on_page(page: int) -> None:
        progress(f"{stage}, page {page:,}" if page else f"{stage}, writing the PDF", slides)
    return on_page


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
                  options: BuildOptions, result: BuildResult, *, root: Path,
                  progress: Callable[[str, int], None] = _silent, note: Path | None = None) -> None:
    """Lay the deck out once (when a slide-shaped output needs it), then write each output
    (the deck first); a handout of *note* stops (Superseded) when watch mode sees a newer save."""
    layout, laid = write_slide_outputs(doc, theme, measurer, outputs, options, result, progress)
    if "pdf" in outputs:
        progress("typesetting the handout", result.slides)
        _write_handout(doc, laid, theme, layout, outputs, result, root, options.limits, progress, note)


def write_slide_outputs(doc: Document, theme: Theme, measurer: Measurer, outputs: dict[str, Path],
                        options: BuildOptions, result: BuildResult,
                        progress: Callable[[str, int], None] = _silent) -> tuple[str, LaidOutDeck | None]:
    """The in-process part of write_outputs: the handout's layout chosen and, when a slide-shaped
    output needs it, the deck laid out and the deck, slides PDF and thumbnail written."""
    layout = handout_layout(doc, options, result.diags) if "pdf" in outputs else "document"
    laid: LaidOutDeck | None = None
    if {"pptx", "slides", "thumb"} & outputs.keys() or layout != "document":
        progress("laying out slides", 0)
        deck, laid = lay_out(doc, theme, measurer, options, result.diags)
        result.slides = len(laid.slides)
        progress("writing the deck", result.slides)
        _write_slide_outputs(deck, laid, theme, outputs, result, embed_fonts=options.embed_fonts)
    return layout, laid


def _write_slide_outputs(deck: Deck, laid: LaidOutDeck, theme: Theme, outputs: dict[str, Path],
                         result: BuildResult, *, embed_fonts: str | None = None) -> None:
    """The deck (carrying its fonts: *embed_fonts* overrides the theme's mode), the slides PDF
    and the first slide's thumbnail (for the course pack)."""
    source = SourceSpan(result.note, 0)
    if "pptx" in outputs:
        from deckgen.backends.pptx.writer import write_pptx

        pptx = write_pptx(laid, theme, deck.meta, embed_fonts=embed_fonts,
                          report=lambda severity, code, msg: result.diags.add(severity, code, msg, source))
        _write(result, outputs["pptx"], pptx)
    if "slides" in outputs:
        from deckgen.backends.slides_pdf import build_slides_pdf

        _write(result, outputs["slides"], build_slides_pdf(laid, theme, result.diags, source=source))
    if "thumb" in outputs and laid.slides:
        from deckgen.backends.slides_pdf.thumbnail import first_slide_png

        _write(result, outputs["thumb"], first_slide_png(laid, theme, result.diags, source=source))


def _write(result: BuildResult, path: Path, data: bytes | None) -> None:
    """Record a written output; a failed one (None, or a folder that cannot take it) fails the note."""
    if data is not None and write_output(path, data, result.diags, result.note):
        result.outputs.append(path)
    else:
        result.failed = True


def paper_theme(theme: Theme) -> Theme:
    """The theme handouts are typeset in: a template designs slides, not printed pages."""
    return dataclasses.replace(theme.before_template, handout=theme.handout) if theme.before_template else theme


def _write_handout(doc: Document, laid: LaidOutDeck | None, theme: Theme, layout: str,
                   outputs: dict[str, Path], result: BuildResult, root: Path, limits: Limits,
                   progress: Callable[[str, int], None] = _silent, note: Path | None = None) -> None:
    """NOTE.pdf in the chosen layout, for students; NOTE-instructor.pdf for the instructor: the
    notes layout (one slide per page with its notes) when that is the layout, else the document's
    instructor edition when the note has instructor content (has_instructor_edition)."""
    from deckgen.backends.handout.document import has_instructor_edition

    target = outputs["pdf"]
    instructor = outputs.get(INSTRUCTOR_PDF, instructor_path(target))
    paper = paper_theme(theme)
    if layout in ("document", "notes"):
        pages = _pages_of("typesetting the handout", result.slides, progress)
        _write(result, target, handout_within_limit(doc, paper, result.diags, root, limits, note=note,
                                                    on_page=pages))
    if layout != "document" and laid is not None:   # laid out whenever the layout is not "document"
        from deckgen.backends.slides_pdf import build_handout_slides_pdf

        pdf = build_handout_slides_pdf(laid, theme, layout, result.diags, source=SourceSpan(result.note, 0))
        _write(result, instructor if layout == "notes" else target, pdf)
    if layout != "notes" and has_instructor_edition(doc, paper):
        stage = "typesetting the instructor edition"
        progress(stage, result.slides)
        _write(result, instructor, handout_within_limit(doc, paper, result.diags, root, limits, "instructor",
                                                        note, _pages_of(stage, result.slides, progress)))


def build_one(note: Path, outputs: dict[str, Path], options: BuildOptions, *,
              display: str | None = None, progress: Callable[[str, int], None] = _silent) -> BuildResult:
    """Build one note into the given outputs ({'pptx': path, 'pdf': path, 'pdf-instructor': path,
    ...}; the instructor edition is written only for notes with instructor content); *progress*
    hears each stage's name and, once known, the slide count (a terminal line shows them).

    Everything up to the deck written runs within limits.note_seconds (the handout's child has
    a limit of its own): a stage that never ends fails this note, not the batch."""
    display = display or str(note)
    result = BuildResult(display)
    diags = result.diags
    start = time.perf_counter()
    resolver = AssetResolver(resolved(note), find_project_root(note), [Path(d) for d in options.asset_dirs],
                             fetch_remote=options.fetch_images, limits=options.limits)
    use_limits(options.limits)
    stage = ["loading the theme"]

    def step(name: str, slides: int) -> None:
        stage[0] = name
        progress(name, slides)
    try:
        with time_limit(options.limits.note_seconds):
            doc, theme, measurer, root = _document(note, display, options, result, resolver, step)
            layout, laid = write_slide_outputs(doc, theme, measurer, outputs, options, result, step)
        if "pdf" in outputs:
            progress("typesetting the handout", result.slides)
            _write_handout(doc, laid, theme, layout, outputs, result, root, options.limits, progress,
                           resolver.note)
    except Superseded:                 # saved again under watch: the newer save is built next
        result.stopped = True
    except TimeLimitExceeded as e:
        _note_timeout(result, e.seconds, stage[0])
    except BuildError as e:
        diags.error(e.code, str(e), e.source)
        result.failed = True
    except (ThemeError, FontError, TemplateError) as e:
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


def _document(note: Path, display: str, options: BuildOptions, result: BuildResult, resolver: AssetResolver,
              progress: Callable[[str, int], None]) -> tuple[Document, Theme, Measurer, Path]:
    """The note read, parsed and its figures drawn, in its theme (with the build's overrides)."""
    diags = result.diags
    theme, measurer = cached_theme(options.theme, options.template)
    _theme_warnings(theme, diags, display)
    for severity, code, message in theme.notices:
        diags.add(severity, code, message, SourceSpan(display, 0))
    if options.handout:
        flags: dict[str, Any] = dict(options.handout)
        theme = dataclasses.replace(theme, handout=dataclasses.replace(theme.handout, **flags))
    progress("reading", 0)
    src = read_source(note, display, diags, max_bytes=options.limits.max_note_bytes)
    doc = _with_config(parse_source(src, diags, resolver), options, "lang" in src.front_matter)
    root = find_project_root(note)
    progress("drawing figures", 0)
    doc = render_figures(doc, diags, cache_dir=cache_root(root) / "figures", theme=theme, project_root=root,
                         math_seconds=options.limits.math_seconds)
    result.provisional = any(d.code == "math-timeout" for d in diags.items)
    return doc, theme, measurer, root


def _note_timeout(result: BuildResult, seconds: float, stage: str) -> None:
    """The note's in-process limit was reached: an error at its first line saying where it was."""
    written = [p.name for p in result.outputs]
    what = (f"only {', '.join(written)} {'was' if len(written) == 1 else 'were'} written" if written
            else "none of its outputs was written")
    result.diags.error("note-timeout", f"building the note took longer than {seconds:g} s and was stopped "
                       f"while {stage} (limits.note_timeout in deckgen.toml); {what}",
                       SourceSpan(result.note, 1))
    result.failed = True
