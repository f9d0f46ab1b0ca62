"""Document -> Deck: choose the slide level and cut the note into slides.

Pure functions on the semantic model.  pandoc's rule (the highest heading
level directly followed by content) is the start; two common note shapes push
slides one level down: a single top heading that is really the note's title,
and top sections that only introduce the sections below them.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from deckgen.model import (Block, Callout, Deck, Document, Heading, Image, Instructor, Meta, Paragraph, Rule,
                           Slide, SourceSpan, Span, SpeakerNotes, TableOfContents, plain_text)
from deckgen.layout.notes import PRIVATE, lift_private

INTRO_MAX_BLOCKS = 2
"""A section 'only introduces' its subsections when at most this many blocks precede them..."""
INTRO_MAX_CHARS = 280
"""...holding at most this many characters."""
SUBTITLE_MAX_CHARS = 140
BLOCK_CHARS = 200
"""What a code block, table, list or image counts for when measuring an introduction's length."""
SAME_TITLE_SHARE = 0.6
"""A heading is the note's title when one contains the other and the shorter has this share of the longer."""


def _text_len(blocks: list[Block]) -> int:
    n = 0
    for b in blocks:
        if isinstance(b, Paragraph):
            n += len(plain_text(b.spans))
        elif isinstance(b, (*PRIVATE, Rule, TableOfContents)):
            continue
        else:
            n += BLOCK_CHARS   # code, tables, lists, images: substantial content
    return n


def _content(blocks: list[Block]) -> list[Block]:
    return [b for b in blocks if not isinstance(b, (*PRIVATE, Rule, TableOfContents))]


def title_heading(doc: Document) -> int | None:
    """Index of a lone top heading that is the note's title, or None.

    It must be the only heading of its level, come before any content, and be
    shallower than every other heading."""
    heads = [(i, b) for i, b in enumerate(doc.blocks) if isinstance(b, Heading)]
    if not heads:
        return None
    i, first = heads[0]
    if _content(list(doc.blocks[:i])):
        return None
    if any(h.level <= first.level for _, h in heads[1:]):
        return None
    if doc.meta.title and not _same_title(doc.meta.title, plain_text(first.spans)):
        return None         # front matter names another title: the heading is a section
    return i


def _letters(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def _same_title(a: str, b: str) -> bool:
    a, b = _letters(a), _letters(b)
    short, long_ = sorted((a, b), key=len)
    return bool(short) and short in long_ and len(short) >= SAME_TITLE_SHARE * len(long_)


def _sections(blocks: list[Block], level: int) -> list[tuple[Heading, list[Block]]]:
    out: list[tuple[Heading, list[Block]]] = []
    for b in blocks:
        if isinstance(b, Heading) and b.level <= level:
            out.append((b, []))
        elif out:
            out[-1][1].append(b)
    return [(h, body) for h, body in out if h.level == level]


def infer_slide_level(blocks: list[Block]) -> int:
    """pandoc's rule, then step down past levels whose sections only introduce subsections."""
    heads = [b for b in blocks if isinstance(b, Heading)]
    if not heads:
        return 1
    followed = [b.level for i, b in enumerate(blocks) if isinstance(b, Heading)
                and i + 1 < len(blocks) and not isinstance(blocks[i + 1], Heading)]
    level = min(followed) if followed else min(h.level for h in heads)
    while level < 6:
        secs = _sections(blocks, level)
        with_subs = [(h, body) for h, body in secs if any(isinstance(b, Heading) and b.level == level + 1
                                                           for b in body)]
        if not secs or len(with_subs) * 2 < len(secs):
            break
        intros_short = all(_intro_is_short(body, level + 1) for _, body in with_subs)
        if not intros_short:
            break
        level += 1
    return level


def _intro_is_short(body: list[Block], sub_level: int) -> bool:
    intro: list[Block] = []
    for b in body:
        if isinstance(b, Heading) and b.level <= sub_level:
            break
        intro.append(b)
    content = _content(intro)
    return len(content) <= INTRO_MAX_BLOCKS and _text_len(content) <= INTRO_MAX_CHARS


@dataclass
class _Open:
    kind: str
    title: tuple[Span, ...]
    source: SourceSpan
    level: int
    blocks: list[Block] = field(default_factory=list)
    notes: list[Block] = field(default_factory=list)
    untitled: bool = False
    """A deck's slide opened by `---`: its first heading becomes its title."""

    def close(self) -> Slide:
        return Slide(self.kind, self.title, tuple(self.blocks), tuple(self.notes), self.source, self.level)


def split_slides(doc: Document, *, slide_level: int | None = None) -> Deck:
    """Cut a Document into a Deck of logical slides (before layout)."""
    blocks = lift_private(doc.blocks)
    meta = doc.meta
    th = None if doc.dialect else title_heading(doc)
    if th is not None and slide_level is None and meta.slide_level is None:
        head = blocks.pop(th)
        if not meta.title and isinstance(head, Heading):
            meta = replace(meta, title=plain_text(head.spans))
    level = slide_level or meta.slide_level or infer_slide_level(blocks)
    if doc.dialect == "marp" and not (slide_level or meta.slide_level):
        level = _marp_divider(meta)          # 0: only `---` starts a slide
    cutter = _Cutter(level, deck_mode=bool(doc.dialect), title=meta.title)
    if meta.title:
        cutter.slides.append(Slide("title", (Span(meta.title),), (), (), SourceSpan(doc.path, 1), 0))
    for b in blocks:
        cutter.add(b)
    cutter.flush()
    slides = cutter.slides
    if doc.dialect and slides and slides[0].kind == "content" and not meta.title:
        slides[0], meta = _deck_title_slide(slides[0], meta)
    return Deck(meta, tuple(slides), level)


class _Cutter:
    """Walks a note's top-level blocks, opening a slide at each heading up to the slide level."""

    def __init__(self, level: int, *, deck_mode: bool, title: str):
        self.level = level
        self.deck_mode = deck_mode
        """A deck (Marp, pandoc slides): `---` opens an untitled slide that takes its first heading."""
        self.slides: list[Slide] = []
        self.current: _Open | None = None
        self.section_title: tuple[Span, ...] = (Span(title),) if title else ()
        """The title a slide opened by `---` or by loose content takes."""
        self.shown_title: tuple[Span, ...] = ()
        """Title of the last slide flushed (a `---` after it repeats it: nothing lost if dropped)."""

    def flush(self) -> None:
        cur, self.current = self.current, None
        if cur is None:
            return
        if cur.kind == "section":
            _finish_section(cur, self.slides)
        elif _content(cur.blocks) or cur.notes:
            self.slides.append(cur.close())
        elif not cur.untitled and cur.title and cur.title != self.shown_title:
            # a slide heading with nothing under it (`## 실습` before the next one) was dropped
            # from the deck with its words: it is shown as a divider slide instead
            self.slides.append(replace(cur.close(), kind="section"))
        self.shown_title = cur.title

    def add(self, b: Block) -> None:
        if isinstance(b, Heading) and b.level <= self.level:
            self.flush()
            kind = "section" if b.level < self.level else "content"
            self.current = _Open(kind, b.spans, b.source, b.level)
            self.section_title = b.spans
        elif isinstance(b, Rule):
            if self.current is not None and _content(self.current.blocks):
                self.flush()
                self.current = _Open("content", self.section_title, b.source, self.level, untitled=self.deck_mode)
        elif isinstance(b, Callout) and b.kind == "details" and b.blocks:
            # <details>: its own slide, the summary as title; the handout shows it in place
            self.details(b)
        elif self.deck_mode and isinstance(b, Heading) and self._takes_heading():
            if self.current is None:                              # a deck's slide takes its first heading
                self.current = _Open("content", b.spans, b.source, self.level)
            self.current.title, self.current.untitled = b.spans, False
            self.section_title = b.spans
        elif isinstance(b, PRIVATE):        # speaker notes and instructor blocks: the notes pane
            self.notes(b)
        else:
            if self.current is None:
                self.current = _Open("content", self.section_title, b.source, self.level, untitled=self.deck_mode)
            self.current.blocks.append(b)

    def details(self, b: Callout) -> None:
        """A <details> block on a slide of its own.  Right under a slide heading (nothing else on
        that slide yet) the heading stays the title and the summary opens the body in bold: the
        empty heading slide was dropped before, and the heading with it."""
        cur = self.current
        if cur is not None and cur.kind == "content" and not _content(cur.blocks) and not cur.untitled:
            head = [Paragraph(tuple(replace(s, bold=True) for s in b.title), b.source)] if b.title else []
            cur.blocks.extend(head + list(b.blocks))
        else:
            self.flush()
            self.current = _Open("content", b.title or self.section_title, b.source, self.level, list(b.blocks))
        self.flush()

    def _takes_heading(self) -> bool:
        """No slide is open, or an untitled one holding only pictures so far."""
        cur = self.current
        return cur is None or cur.untitled and all(isinstance(x, Image) for x in cur.blocks)

    def notes(self, b: SpeakerNotes | Instructor) -> None:
        """Notes before any slide go to the title slide; elsewhere to the open slide."""
        if self.current is None:
            if self.slides and self.slides[-1].kind == "title":
                self.slides[-1] = replace(self.slides[-1], notes=self.slides[-1].notes + b.blocks)
                return
            self.current = _Open("content", self.section_title, b.source, self.level)
        self.current.notes.extend(b.blocks)


def _deck_title_slide(first: Slide, meta: Meta) -> tuple[Slide, Meta]:
    """A deck's first slide holding a heading and at most a short line is its title slide."""
    content = _content(list(first.blocks))
    line = content[0] if content else None
    if len(content) > 1 or (line is not None and not (isinstance(line, Paragraph)
                                                       and len(plain_text(line.spans)) <= SUBTITLE_MAX_CHARS)):
        return first, meta
    subtitle = plain_text(line.spans) if isinstance(line, Paragraph) else ""
    meta = replace(meta, title=plain_text(first.title), subtitle=meta.subtitle or subtitle)
    return Slide("title", first.title, (), first.notes, first.source, 0), meta


def _marp_divider(meta: Meta) -> int:
    """Marp's `headingDivider: N` (headings up to level N start slides), else 0."""
    value = dict(meta.extra).get("headingDivider", "")
    return int(value) if value.isdigit() and 1 <= int(value) <= 6 else 0


def _finish_section(sec: _Open, slides: list[Slide]) -> None:
    """A section heading: a divider slide; a long intro continues on a content slide."""
    content = _content(sec.blocks)
    short = (len(content) == 1 and isinstance(content[0], Paragraph)
             and len(plain_text(content[0].spans)) <= SUBTITLE_MAX_CHARS)
    if not content or short:
        slides.append(sec.close())
        return
    slides.append(Slide("section", sec.title, (), tuple(sec.notes), sec.source, sec.level))
    slides.append(Slide("content", sec.title, tuple(sec.blocks), (), sec.source, sec.level))


__all__ = ["split_slides", "infer_slide_level", "title_heading"]
