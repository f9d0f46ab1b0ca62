"""The semantic model: what a lecture note says, independent of fonts and pages.

The parser produces a :class:`Document` (the whole note, in reading order); the
slide splitter groups its blocks into a :class:`Deck` of :class:`Slide` values.
Every node is a frozen, slotted dataclass holding tuples, so models can be
hashed for caches, compared in tests and dumped to YAML goldens.  Every block
carries a :class:`SourceSpan` so that any diagnostic can point at a line.
"""
from __future__ import annotations

from dataclasses import MISSING, dataclass, fields, is_dataclass
from collections.abc import Iterator
from typing import Any, assert_never, get_args

from deckgen.diagnostics import SourceSpan as SourceSpan  # defined beside the messages that carry it

NO_SOURCE = SourceSpan("", 0)


# --------------------------------------------------------------------- inline
@dataclass(frozen=True, slots=True)
class MathRun:
    """A piece of inline math as text: what a slide's text run can draw."""

    text: str
    italic: bool = False
    """Variables are italic, numbers, operators and function names upright (TeX's convention)."""
    baseline: int = 0
    """+1 raised (superscript), -1 lowered (subscript), 0 on the line."""


@dataclass(frozen=True, slots=True)
class Span:
    """A run of text with one style.  A line break is a span whose text is "\\n"."""

    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    """Inline code: drawn in the monospace face."""
    strike: bool = False
    underline: bool = False
    link: str | None = None
    """Target URL of a hyperlink, or None."""
    color: str | None = None
    """Text colour as 6 hex digits (no '#'), or None for the theme's colour."""
    highlight: bool = False
    """Marked text (==mark== / <mark>)."""
    baseline: int = 0
    """+1 superscript, -1 subscript, 0 normal."""
    kbd: bool = False
    """A keyboard key (<kbd>): monospace, boxed in the handout."""
    math: str | None = None
    """Inline math: the TeX source; `text` then holds a readable Unicode rendering."""
    math_svg: str | None = None
    """Inline math drawn by the render stage (the handout shows it as vectors), or None."""
    math_em: tuple[float, float] = (0.0, 0.0)
    """Width and height of `math_svg` in ems of the surrounding text."""
    math_depth: float = 0.0
    """How far `math_svg` reaches below the text's baseline, in ems (a fraction's denominator, a
    matrix's lower rows): the handout lowers the picture that much so the baselines meet."""
    math_runs: tuple[MathRun, ...] = ()
    """Inline math as styled runs (italic variables, real sub/superscripts) for the slides;
    empty: draw `text`."""
    math_picture: bool = False
    """Inline math whose structure runs cannot show (a matrix, a script on a script): a slide
    paragraph draws `math_svg` as a picture on a line of its own; `math_runs` then hold a
    flattened form for the places that cannot (titles, table cells)."""


Inline = tuple[Span, ...]


def plain_text(spans: Inline) -> str:
    """The characters of *spans*, line breaks as newlines."""
    return "".join(s.text for s in spans)


# --------------------------------------------------------------------- blocks
@dataclass(frozen=True, slots=True)
class Paragraph:
    spans: Inline
    source: SourceSpan = NO_SOURCE
    align: str | None = None
    """'left' | 'center' | 'right' | 'justify', or None for the default."""


@dataclass(frozen=True, slots=True)
class Heading:
    """A heading.  In a Document every heading is one; on a slide only the
    headings deeper than the slide level remain, as sub-headings."""

    level: int
    spans: Inline
    source: SourceSpan = NO_SOURCE
    anchor: str = ""
    """Slug used for links (#anchor) and handout bookmarks."""


@dataclass(frozen=True, slots=True)
class ListItem:
    blocks: tuple[Block, ...]
    """The item's content: usually a Paragraph, then nested BulletLists."""
    checked: bool | None = None
    """Task-list state: True [x], False [ ], None for an ordinary item."""
    source: SourceSpan = NO_SOURCE


@dataclass(frozen=True, slots=True)
class BulletList:
    items: tuple[ListItem, ...]
    ordered: bool = False
    start: int = 1
    source: SourceSpan = NO_SOURCE


@dataclass(frozen=True, slots=True)
class CodeBlock:
    code: str
    """The code without its final newline."""
    language: str = ""
    source: SourceSpan = NO_SOURCE


@dataclass(frozen=True, slots=True)
class Cell:
    spans: Inline
    align: str | None = None


@dataclass(frozen=True, slots=True)
class Table:
    header: tuple[Cell, ...]
    rows: tuple[tuple[Cell, ...], ...]
    source: SourceSpan = NO_SOURCE


@dataclass(frozen=True, slots=True)
class Image:
    src: str
    """The reference as written in the note."""
    alt: str = ""
    path: str | None = None
    """Resolved file on disk, or None when it is missing (a placeholder is drawn)."""
    width: str | None = None
    """Requested width as written (e.g. '300', '300px', '50%'), or None."""
    height: str | None = None
    caption: Inline = ()
    source: SourceSpan = NO_SOURCE
    pixel_size: tuple[int, int] | None = None
    """Intrinsic (width, height) in pixels, when the file could be read."""
    align: str | None = None
    kind: str = "picture"
    """'picture' (a file from the note) | 'diagram' (a rendered fence) | 'math' (a rendered formula).
    A diagram's or formula's `path` is an SVG file in the render cache."""
    label_px: float | None = None
    """A diagram's smallest label, in the units of `pixel_size` (None: no text, or not a diagram):
    layout keeps the picture large enough for it to be read."""


@dataclass(frozen=True, slots=True)
class Math:
    """Display math (`$$...$$`, `\\[...\\]`): the render stage turns it into an Image."""

    tex: str
    display: bool = True
    source: SourceSpan = NO_SOURCE


@dataclass(frozen=True, slots=True)
class Quote:
    blocks: tuple[Block, ...]
    source: SourceSpan = NO_SOURCE


@dataclass(frozen=True, slots=True)
class Callout:
    """An admonition box: kramdown notices, Obsidian/GitHub callouts, <details>."""

    kind: str
    """Style name: note, info, warning, danger, success, primary, details..."""
    title: Inline
    blocks: tuple[Block, ...]
    source: SourceSpan = NO_SOURCE


@dataclass(frozen=True, slots=True)
class Rule:
    """A thematic break (---).  The slide splitter consumes it; kept for the handout."""

    source: SourceSpan = NO_SOURCE


@dataclass(frozen=True, slots=True)
class SpeakerNotes:
    """Presenter notes (`::: notes` fenced div): notes pane, never the slide."""

    blocks: tuple[Block, ...]
    source: SourceSpan = NO_SOURCE


@dataclass(frozen=True, slots=True)
class Instructor:
    """Content for the instructor only (`::: instructor`, `{: .instructor}`, `> [!instructor]`):
    the deck's speaker notes and the instructor edition of the handout; never a slide, never the
    student edition."""

    blocks: tuple[Block, ...]
    source: SourceSpan = NO_SOURCE


@dataclass(frozen=True, slots=True)
class Columns:
    """Side-by-side columns (pandoc's `::: columns` / `::: column`)."""

    columns: tuple[tuple[Block, ...], ...]
    source: SourceSpan = NO_SOURCE


@dataclass(frozen=True, slots=True)
class TableOfContents:
    """A `{:toc}` marker: nothing on slides, the real contents in the handout."""

    source: SourceSpan = NO_SOURCE


Block = (Paragraph | Heading | BulletList | CodeBlock | Table | Image | Quote
         | Callout | Rule | SpeakerNotes | Instructor | TableOfContents | Columns | Math)
BLOCK_TYPES: tuple[type, ...] = get_args(Block)
"""The block classes, for code that must tolerate an object that is none of them at run time."""


# ------------------------------------------------------------------ document
@dataclass(frozen=True, slots=True)
class Meta:
    """Front matter, normalised."""

    title: str = ""
    subtitle: str = ""
    author: str = ""
    date: str = ""
    tags: tuple[str, ...] = ()
    lang: str = "ko-KR"
    slide_level: int | None = None
    """Explicit slide level from front matter, or None to infer it."""
    extra: tuple[tuple[str, str], ...] = ()
    """Other front-matter keys, stringified, for themes and templates."""


@dataclass(frozen=True, slots=True)
class Document:
    """A parsed note: metadata and its blocks in reading order."""

    meta: Meta
    blocks: tuple[Block, ...]
    path: str = ""
    dialect: str = ""
    """'marp' or 'pandoc' when the note is already a deck (its own slide breaks rule)."""


@dataclass(frozen=True, slots=True)
class Slide:
    """One logical slide, before layout (layout may continue it on more pages)."""

    kind: str
    """'title' | 'section' | 'content'."""
    title: Inline
    blocks: tuple[Block, ...]
    notes: tuple[Block, ...] = ()
    source: SourceSpan = NO_SOURCE
    level: int = 0
    """Heading level that made the slide (0 for the title slide or a `---` slide)."""


@dataclass(frozen=True, slots=True)
class Deck:
    meta: Meta
    slides: tuple[Slide, ...]
    slide_level: int
    """The level that was chosen (or given) for slides."""


# --------------------------------------------------------------- utilities
def to_data(node: Any) -> Any:
    """Plain data (dicts, lists, str) for YAML/JSON goldens; defaults omitted."""
    if is_dataclass(node):
        out: dict[str, Any] = {"type": type(node).__name__}
        for f in fields(node):
            value = getattr(node, f.name)
            if f.name == "source":
                if value.line:
                    out["line"] = value.line
                continue
            if f.default is not MISSING and value == f.default:
                continue
            out[f.name] = to_data(value)
        return out
    if isinstance(node, tuple):
        return [to_data(v) for v in node]
    return node


def child_blocks(b: Block) -> tuple[tuple[Block, ...], ...]:
    """The block sequences nested in *b*, in reading order: a list's items, a box's content, each column.

    The one place that knows which blocks hold blocks; the match is checked exhaustive by mypy,
    so a new block type cannot be skipped by the walks built on it."""
    match b:
        case Quote() | Callout() | SpeakerNotes() | Instructor():
            return (b.blocks,)
        case BulletList():
            return tuple(item.blocks for item in b.items)
        case Columns():
            return b.columns
        case Paragraph() | Heading() | CodeBlock() | Table() | Image() | Math() | Rule() | TableOfContents():
            return ()
        case _:
            assert_never(b)


def walk_blocks(blocks: tuple[Block, ...]) -> Iterator[Block]:
    """Yield every block, depth first (list items', boxes' and columns' content too)."""
    for b in blocks:
        yield b
        for inner in child_blocks(b):
            yield from walk_blocks(inner)


def instructor_only(blocks: tuple[Block, ...], *, speaker_notes: bool = True) -> bool:
    """Whether *blocks* hold anything only the instructor sees: Instructor blocks, and speaker
    notes when they are shown (so whether an instructor edition differs from the student's)."""
    kinds = (Instructor, SpeakerNotes) if speaker_notes else (Instructor,)
    return any(isinstance(b, kinds) for b in walk_blocks(blocks))


def split_columns(table: Table, per_table: int) -> list[Table]:
    """*table* as tables of at most *per_table* columns, its first column (the row's key) repeated
    in each: a table too wide for any page or slide is shown whole in parts, never clipped."""
    width = max([len(table.header)] + [len(r) for r in table.rows])
    per_table = max(2, per_table)
    if width <= per_table:
        return [table]

    def pick(row: tuple[Cell, ...], cols: list[int]) -> tuple[Cell, ...]:
        return tuple(row[j] if j < len(row) else Cell(()) for j in cols)
    parts = []
    for start in range(1, width, per_table - 1):
        cols = [0, *range(start, min(start + per_table - 1, width))]
        parts.append(Table(pick(table.header, cols) if table.header else (),
                           tuple(pick(r, cols) for r in table.rows), table.source))
    return parts
