"""Find the notes in a folder and decide where each one's outputs go.

The walk prunes whole folders (hidden ones, ``_site``, ``node_modules``, the
output folder, anything ``.deckgenignore`` lists) so big vendored trees cost
nothing.  Outputs mirror the source tree; Jekyll posts lose their date prefix.
"""
from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from deckgen.files import resolved
from deckgen.options import INSTRUCTOR_PDF

NOTE_SUFFIXES = {".md", ".markdown"}
SKIP_DIRS = {"_site", "node_modules", "__pycache__"}
IGNORE_FILE = ".deckgenignore"
CACHE_NAME = ".deckgen-cache.json"
"""Per output folder; single notes built beside themselves keep theirs there too."""
POST_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})-(.+)$")
INVISIBLE = re.compile("[\x00-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
"""Bidi controls (U+202E makes `lec\u202egpj.exe` display as `lecexe.gpj`), zero-width and C0 controls."""


@dataclass(frozen=True)
class Job:
    note: Path
    display: str
    outputs: dict
    """format -> output path."""
    out_dir: Path
    """Where the build cache for this note lives."""
    root: Path | None = None
    """The folder this note was found in (None for notes named directly); --prune works per root."""
    renamed: str = ""
    """The note's name shown visibly when its output name had to drop invisible characters."""


@dataclass(frozen=True)
class _Rule:
    regex: re.Pattern
    negate: bool
    dir_only: bool


def _glob_to_regex(pat: str) -> str:
    """gitignore glob -> regex over a '/'-separated relative path."""
    out, i = [], 0
    while i < len(pat):
        c = pat[i]
        if pat.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if pat.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if c == "*":
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[":
            end = pat.find("]", i + 1)
            if end == -1:
                out.append(re.escape(c))
            else:
                body = pat[i + 1:end]
                out.append("[" + ("^" + body[1:] if body.startswith("!") else body) + "]")
                i = end
        else:
            out.append(re.escape(c))
        i += 1
    return "".join(out)


class IgnoreRules:
    """The patterns of one ``.deckgenignore`` (gitignore-like: ``#``, ``!``, trailing ``/``, ``**``)."""

    def __init__(self, lines: list[str]):
        self.rules: list[_Rule] = []
        for raw in lines:
            line = raw.rstrip("\n").rstrip()
            if not line or line.startswith("#"):
                continue
            negate = line.startswith("!")
            line = line[1:] if negate else line
            dir_only = line.endswith("/")
            line = line.rstrip("/")
            anchored = "/" in line
            line = line.lstrip("/")
            if not line:
                continue
            rx = _glob_to_regex(line)
            if not anchored:
                rx = "(?:.*/)?" + rx
            self.rules.append(_Rule(re.compile(rx + r"\Z"), negate, dir_only))

    @classmethod
    def load(cls, folder: Path) -> IgnoreRules:
        f = folder / IGNORE_FILE
        return cls(f.read_text(encoding="utf-8").splitlines() if f.is_file() else [])

    def ignored(self, rel: str, is_dir: bool) -> bool:
        """Last matching rule wins (parents are checked by the walk, which prunes them)."""
        result = False
        for r in self.rules:
            if r.dir_only and not is_dir:
                continue
            if r.regex.match(rel):
                result = not r.negate
        return result


def discover(folder: Path, out_dir: Path) -> list[Path]:
    """Every note below *folder*, in a stable order (Jekyll posts by date)."""
    rules = IgnoreRules.load(folder)
    out_res = out_dir.resolve()
    notes: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(folder):
        here = Path(dirpath)
        rel_here = here.relative_to(folder)
        keep = []
        for d in sorted(dirnames):
            sub = here / d
            rel = (rel_here / d).as_posix()
            if d.startswith(".") or d in SKIP_DIRS or rules.ignored(rel, True):
                continue
            if sub.resolve() == out_res:
                continue  # our own outputs (a nested -o)
            keep.append(d)
        dirnames[:] = keep
        for f in filenames:
            p = here / f
            if f.startswith(".") or p.suffix.lower() not in NOTE_SUFFIXES:
                continue
            if rules.ignored((rel_here / f).as_posix(), False):
                continue
            notes.append(p)   # a broken link, a FIFO or a device named *.md fails with its reason, never skipped
    return sorted(notes, key=lambda p: _sort_key(p.relative_to(folder)))


def _sort_key(rel: Path) -> tuple:
    return tuple(rel.parent.parts) + (rel.name,)


SURROGATE = re.compile("[\ud800-\udfff]")
"""Bytes of a file name that are not UTF-8 reach Python as lone surrogates (surrogateescape)."""


def clean_name(name: str) -> str:
    """A file name in NFC (macOS hands out NFD) without bidi, zero-width or control characters;
    bytes that are not UTF-8 become `_`."""
    return INVISIBLE.sub("", unicodedata.normalize("NFC", SURROGATE.sub("_", name))) or "note"


def visible_name(name: str) -> str:
    """*name* with each invisible character spelled out, safe to print (`lec<U+202E>gpj.exe.md`, `<0xFF>`)."""
    name = SURROGATE.sub(lambda m: f"<0x{ord(m.group(0)) - 0xDC00:02X}>", name)
    return INVISIBLE.sub(lambda m: f"<U+{ord(m.group(0)):04X}>", name)


def cache_key(note: Path) -> str:
    """The build cache's key for a note: its absolute path in NFC (NFC and NFD spellings agree),
    with bytes that are not UTF-8 spelled out so the key can be saved as JSON."""
    return unicodedata.normalize("NFC", visible_name(str(resolved(note))))


def output_stem(rel: Path) -> Path:
    """Mirror *rel* (relative to the input folder) without its suffix; ``_posts/2024-03-01-x.md`` -> ``_posts/x``.
    Every part is a clean name (NFC, no invisible characters)."""
    stem = clean_name(rel.stem)
    if "_posts" in rel.parts[:-1]:
        m = POST_NAME.match(stem)
        if m:
            stem = m.group(2)
    return Path(*[clean_name(p) for p in rel.parent.parts], stem)


def _renamed(rel: Path) -> str:
    """The visible original name when cleaning changed more than the Unicode form, else ''."""
    nfc = unicodedata.normalize("NFC", rel.as_posix())
    return visible_name(nfc) if INVISIBLE.search(nfc) or SURROGATE.search(nfc) else ""


OUTPUT_NAMES = {"slides": "{stem}-slides.pdf", "thumb": "{stem}-thumb.png", INSTRUCTOR_PDF: "{stem}-instructor.pdf"}
"""File names of the outputs that are not simply NOTE.<format>."""
OPTIONAL_OUTPUTS = frozenset({INSTRUCTOR_PDF})
"""Outputs a build may leave unwritten (the instructor edition, NOTE-instructor.pdf, is written only
for notes with instructor content); every other planned output is always written."""


def output_name(stem: str, fmt: str) -> str:
    """NOTE.pptx, NOTE.pdf, NOTE-slides.pdf, NOTE-thumb.png (the course pack's thumbnail),
    NOTE-instructor.pdf."""
    return OUTPUT_NAMES.get(fmt, "{stem}.{fmt}").format(stem=stem, fmt=fmt)


def output_paths(folder: Path, stem: str, formats: tuple[str, ...]) -> dict[str, Path]:
    """format -> path of one note's outputs; with pdf, also the instructor edition's (planned with
    the handout, so its name is checked for collisions)."""
    keys = (*formats, INSTRUCTOR_PDF) if "pdf" in formats else formats
    return {f: folder / output_name(stem, f) for f in keys}


def plan(paths: list[Path], out: Path | None, formats: tuple[str, ...]) -> list[Job]:
    """One job per note: folders are walked and mirrored, files go beside themselves or into *out*."""
    jobs: list[Job] = []
    for path in paths:
        if path.is_dir():
            out_dir = out or Path("out")
            for note in discover(path, out_dir):
                stem = output_stem(note.relative_to(path))
                outputs = output_paths(out_dir / stem.parent, stem.name, formats)
                jobs.append(Job(note, visible_name(str(note)), outputs, out_dir, path,
                                _renamed(note.relative_to(path))))
        else:
            out_dir = out or path.parent
            slug = output_stem(Path(path.parent.name) / path.name).name    # a Jekyll post keeps its slug
            jobs.append(Job(path, visible_name(str(path)), output_paths(out_dir, slug, formats),
                            out_dir, renamed=_renamed(Path(path.name))))
    return jobs


def check_collisions(jobs: list[Job]) -> list[str]:
    """Two notes writing one file would silently overwrite each other: name both."""
    seen: dict[Path, Job] = {}
    errors = []
    for job in jobs:
        for target in job.outputs.values():
            key = resolved(target)
            if key in seen and resolved(seen[key].note) != resolved(job.note):
                errors.append(f"{job.display}: error: writes {target}, which {seen[key].display} also writes")
            seen[key] = job
    return errors
