"""Resource bounds for one build: every input deckgen reads or fetches has a ceiling.

The defaults are set so that real lecture material never meets them while a
hostile file is refused before it costs memory or time; a project changes them
in the ``[limits]`` table of ``deckgen.toml`` (key names below, sizes in MB).

The handout's limit follows its progress rather than a fixed wall clock: the child that
typesets it is stopped when it lays out no new page for ``handout_timeout`` seconds, or when
it runs past a ceiling that grows with the note's size (``handout_timeout`` once, plus once
more per HANDOUT_BYTES_PER_TIMEOUT bytes of note: see handout_ceiling).  Once every page is
laid out, writing the PDF reports nothing and takes longer the more pages there are (over
30 s for the 1,000-section note on a loaded machine): only the ceiling applies then.  A long
lecture that keeps producing pages on a loaded machine keeps its handout; a stalled or
hostile one is still stopped, a small note within about ``handout_timeout``.
"""
from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any

MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Limits:
    max_image_pixels: int = 50_000_000
    """Declared width x height of a raster image, checked before decoding.  50 Mpx is above every
    camera's default output (12 to 50 Mpx) and decodes to at most 200 MB (RGBA); Pillow's own
    default only warns up to 179 Mpx (a 108 Mpx PNG decoded into 922 MB)."""
    max_image_bytes: int = 50 * MB
    """A local image file larger than this is not read (a photo is a few MB; a PNG with a
    1.5 GB tail would otherwise be read, and embedded, in full)."""
    max_data_uri_bytes: int = 5 * MB
    """Decoded size of a ``data:`` image; checked on the text before decoding."""
    handout_seconds: float = 120.0
    """Longest wall-clock wait for the next page of one note's handout (the deck is written
    first and kept); the whole handout may take up to handout_ceiling()."""
    math_seconds: float = 10.0
    """Wall-clock limit of drawing one formula (its picture and its slide runs).  ziamath is pure
    Python: a real formula takes milliseconds, while a bug once made one `cases` formula run for
    more than ten CPU minutes; past the limit the formula is shown as its TeX source."""
    note_seconds: float = 300.0
    """Wall-clock limit of everything one note's build runs in the building process: reading,
    figures, layout and the deck written (the handout's child has handout_seconds of its own).
    Generous on purpose: it is wall clock, so a loaded machine stretches it, and a limit met by
    real work would fail a good note; the in-process part of the largest note we know (1,000
    sections, 1,194 slides) takes about 10 CPU seconds (bench/PROFILE.md).  What it stops is a
    stage that never ends, which would otherwise hold a batch's worker (and the batch) forever."""
    fetch_seconds: float = 20.0
    """Wall-clock limit of one ``--fetch-images`` download, redirects included."""
    fetch_bytes: int = 10 * MB
    """Largest download accepted with ``--fetch-images``."""
    max_note_bytes: int = 20 * MB
    """Size of one note file: a long lecture is well under 1 MB, and a note of text costs about
    a second of CPU per 10 KB in the handout; a link to /dev/zero or a FIFO is refused by kind."""


HANDOUT_BYTES_PER_TIMEOUT = 100_000
"""Each this many bytes of note allow the handout one more handout_timeout in all: the
1,000-section benchmark note (860 KB, about 60 s of CPU per edition) gets 9.6 of them."""


def handout_ceiling(limits: Limits, note_bytes: int) -> float:
    """Seconds the handout of a note of *note_bytes* may take in all while it makes progress."""
    return limits.handout_seconds * (1 + max(0, note_bytes) / HANDOUT_BYTES_PER_TIMEOUT)


KEYS: dict[str, tuple[str, float]] = {
    # config key: (Limits field, scale from the config's unit)
    "max_image_pixels": ("max_image_pixels", 1),
    "max_image_mb": ("max_image_bytes", MB),
    "max_data_uri_mb": ("max_data_uri_bytes", MB),
    "handout_timeout": ("handout_seconds", 1),
    "math_timeout": ("math_seconds", 1),
    "note_timeout": ("note_seconds", 1),
    "fetch_timeout": ("fetch_seconds", 1),
    "fetch_max_mb": ("fetch_bytes", MB),
    "max_note_mb": ("max_note_bytes", MB),
}
"""The ``[limits]`` keys of deckgen.toml: pixels, megabytes and seconds."""


def parse_limits(table: Any, label: str) -> tuple[Limits, list[str]]:
    """Check a ``[limits]`` table; raise ValueError naming the key, return (limits, warnings)."""
    if not isinstance(table, dict):
        raise ValueError(f"{label}: limits: expected a table, got {table!r}")
    limits, warnings = Limits(), []
    types = {f.name: f.type for f in fields(Limits)}
    for key, value in table.items():
        if key not in KEYS:
            warnings.append(f"{label}: unknown key 'limits.{key}' is ignored; known keys: {', '.join(KEYS)}")
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            raise ValueError(f"{label}: limits.{key}: expected a positive number, got {value!r}")
        name, scale = KEYS[key]
        scaled = value * scale
        cast: Any = int(scaled) if types[name] == "int" else float(scaled)
        limits = replace(limits, **{name: cast})
    return limits, warnings


def short_text(text: str, limit: int = 80) -> str:
    """*text* cut to *limit* characters with an ellipsis and the full length: a 6 MB data URI in a
    placeholder or a message would otherwise be typeset (and hang the line breaker)."""
    if len(text) <= limit:
        return text
    return f"{text[:limit - 1]}…({len(text):,} chars)"
