"""TrueType bytes to embed: a subset that keeps the deck small but still editable.

PowerPoint's own "embed only the characters used" leaves a Korean deck that
cannot take one more word.  We keep what the deck uses plus what a Korean
lecturer is likely to type while fixing a slide: ASCII, Latin-1, common
punctuation, Hangul jamo and the 2,350 KS X 1001 syllables (every EUC-KR code
B0A1..C8FE).  A subset is made once per face and character set: kept in memory
for the process and on disk (``~/.cache/deckgen/fonts``) for the next build, so a
batch of notes that use no rare character subsets each face once.
"""
from __future__ import annotations

import functools
import hashlib
import io
import os
from collections.abc import Iterable

from deckgen.backends.pptx.truetype import can_convert, cff_to_truetype, has_truetype_outlines
from deckgen.cachedir import user_cache
from deckgen.files import atomic_write

KS_X_1001_LEAD = range(0xB0, 0xC9)
KS_X_1001_TRAIL = range(0xA1, 0xFF)


def ks_x_1001_syllables() -> frozenset[int]:
    """The 2,350 precomposed syllables of KS X 1001, decoded from EUC-KR B0A1..C8FE."""
    out = set()
    for lead in KS_X_1001_LEAD:
        for trail in KS_X_1001_TRAIL:
            try:
                out.add(ord(bytes((lead, trail)).decode("euc-kr")))
            except UnicodeDecodeError:
                continue
    return frozenset(out)


def _ranges(*spans: tuple[int, int]) -> frozenset[int]:
    return frozenset(cp for lo, hi in spans for cp in range(lo, hi + 1))


BASE_CHARACTERS: frozenset[int] = _ranges(
    (0x0020, 0x007E),   # ASCII
    (0x00A0, 0x00FF),   # Latin-1 (·, ×, °, ©)
    (0x1100, 0x11FF),   # Hangul jamo
    (0x2010, 0x2027),   # dashes, quotes, bullets, ellipsis
    (0x2030, 0x203B),   # per mille, primes, reference mark
    (0x2190, 0x2199),   # arrows
    (0x3000, 0x3003),   # ideographic space and punctuation
    (0x3008, 0x3011),   # angle and corner brackets
    (0x3131, 0x318E),   # Hangul compatibility jamo (what a keyboard types)
) | ks_x_1001_syllables()
"""Kept in every subset (when the face has them), whatever the deck uses."""


class NotTrueType(Exception):
    """The face has neither TrueType nor convertible CFF outlines (bitmap glyphs, CFF2):
    PowerPoint embeds TrueType only."""


@functools.cache
def face_cmap(path: str, index: int = 0) -> frozenset[int]:
    """Every code point the face maps."""
    from fontTools.ttLib import TTFont

    return frozenset((TTFont(path, fontNumber=index, lazy=True).getBestCmap() or {}).keys())


ASCII = frozenset(range(0x20, 0x7F))
"""What a per-script fallback face keeps besides its used characters: nobody types Korean in it,
and its Hangul (Noto Sans CJK has all 11,172 syllables) would triple its subset and subset time."""


def truetype_bytes(path: str, index: int, used: Iterable[str], *, subset: bool,
                   base: frozenset[int] = BASE_CHARACTERS) -> bytes:
    """The face as TrueType bytes: a subset for *used* + *base*, or the whole face."""
    if not subset:
        return _whole(path, index)
    return _subset(path, index, frozenset(base | {ord(c) for c in used}))


@functools.lru_cache(maxsize=16)
def _whole(path: str, index: int) -> bytes:
    from fontTools.ttLib import TTFont

    font = TTFont(path, fontNumber=index, recalcTimestamp=False)   # reproducible bytes
    if "glyf" in font and not path.lower().endswith((".ttc", ".otc")):
        with open(path, "rb") as f:
            return f.read()
    return _truetype_save(font, path)


def _truetype_save(font, path: str) -> bytes:
    """Save *font* with TrueType outlines, converting CFF ones; NotTrueType for the rest."""
    if can_convert(font):
        cff_to_truetype(font)
    if not has_truetype_outlines(font):
        raise NotTrueType(path)
    buf = io.BytesIO()
    font.save(buf)
    return buf.getvalue()


def _disk_key(path: str, index: int, unicodes: frozenset[int]) -> str:
    """Changes with the font file (size, mtime), the face, the characters and fontTools."""
    import fontTools

    st = os.stat(path)
    h = hashlib.sha256(f"{os.path.realpath(path)}\0{st.st_size}\0{st.st_mtime_ns}\0{index}\0"
                       f"{fontTools.version}\0{SUBSET_RECIPE}\0".encode())
    h.update(",".join(map(str, sorted(unicodes))).encode())
    return h.hexdigest()[:32]


SUBSET_RECIPE = 3
"""Bump when _make_subset's options change, so cached subsets are remade."""


@functools.lru_cache(maxsize=32)
def _subset(path: str, index: int, requested: frozenset[int]) -> bytes:
    """Subset once per (face, requested characters): memory first, then the disk cache.  The
    key is the request, not its part the face maps, so a hit never reads the face's cmap
    (0.06 s of CPU per CJK face, a tenth of writing a 50-slide deck)."""
    cached = user_cache("fonts") / f"{_disk_key(path, index, requested)}.ttf"
    try:
        return cached.read_bytes()
    except OSError:
        pass
    data = _make_subset(path, index, requested & face_cmap(path, index))
    try:
        atomic_write(cached, data, sync=False)
        _prune(cached.parent)
    except OSError:
        pass                                   # a read-only home: no disk cache, same bytes
    return data


DISK_CACHE_FILES = 48
"""Subsets kept on disk (~1 MB each), newest first: a few character sets of every face."""


def _prune(folder) -> None:
    """Drop the least recently written subsets beyond DISK_CACHE_FILES."""
    files = sorted(folder.glob("*.ttf"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in files[DISK_CACHE_FILES:]:
        old.unlink(missing_ok=True)


def _make_subset(path: str, index: int, unicodes: frozenset[int]) -> bytes:
    """fontTools subset keeping layout features (Hangul jamo shaping), hinting and every name."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(path, fontNumber=index, recalcTimestamp=False)   # reproducible bytes
    if not (has_truetype_outlines(font) or can_convert(font)):
        raise NotTrueType(path)
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.name_legacy = True
    options.notdef_outline = True
    options.drop_tables = [*options.drop_tables, "FFTM"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(unicodes))
    subsetter.subset(font)
    return _truetype_save(font, path)
