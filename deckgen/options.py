"""What a build is asked for and what it returns, with no heavy imports.

Kept apart from deckgen.pipeline so the course tools (planning, the build cache, the
no-op check) can name options and results without importing the stages, whose libraries
(python-pptx, WeasyPrint, markdown-it, Pillow) cost more than an up-to-date run takes.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from deckgen.bounds.limits import Limits
from deckgen.diagnostics import Diagnostics

FORMATS = ("pptx", "pdf", "slides")
"""Outputs a build can write: the deck, the PDF handout, the slides PDF (NOTE-slides.pdf)."""
DEFAULT_FORMATS = ("pptx", "pdf")
HANDOUT_LAYOUTS = ("document", "slides-2", "slides-3", "slides-6", "notes")
"""How the PDF handout places the note: the whole note as a document, 2/3/6 slides per A4 page,
or one slide per page with its speaker notes (instructor only: written beside NOTE.pdf)."""
INSTRUCTOR_PDF = "pdf-instructor"
"""The outputs key of the handout's instructor edition, NOTE-instructor.pdf (course.discover plans it)."""


@dataclass
class BuildOptions:
    formats: tuple[str, ...] = DEFAULT_FORMATS
    theme: str = "default"
    template: str | None = None
    """A template .pptx (absolute path) to build decks on; None: the theme's template.pptx, if any."""
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
    embed_fonts: str | None = None
    """Fonts carried in the PPTX: 'subset', 'full' or 'none'; None: the theme's choice."""
    config_digest: str = ""
    """Hash of the project config, so a config change invalidates the build cache."""
    limits: Limits = field(default_factory=Limits)
    """Resource bounds (deckgen.toml [limits]): image pixels and bytes, data URIs, handout and fetch time."""


@dataclass
class BuildResult:
    note: str
    outputs: list[Path] = field(default_factory=list)
    diags: Diagnostics = field(default_factory=Diagnostics)
    failed: bool = False
    stopped: bool = False
    """The note was saved again while its handout was typeset (watch mode): the handout was stopped,
    so the build is incomplete but not failed; the newer save is built next."""
    provisional: bool = False
    """A formula ran out of time (limits.math_timeout) and stands as its TeX source: the outputs
    are written but not recorded in the build cache, so the next run draws it again (a loaded
    machine may have been the cause)."""
    seconds: float = 0.0
    slides: int = 0
    dependencies: list[str] = field(default_factory=list)
    """Files besides the note and theme that the outputs were made from (images), for build caches."""
