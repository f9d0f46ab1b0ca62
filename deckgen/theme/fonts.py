"""Find font files for theme font families: theme folder first, then fontconfig.

python-pptx's own font lookup raises on Linux, and a name that fontconfig does
not know silently falls back to another face, so every family is resolved to
a file here and checked: a missing family is an error naming how to install it.
"""
from __future__ import annotations

import functools
import hashlib
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from deckgen.cachedir import user_cache
from deckgen.files import atomic_write

FONT_SUFFIXES = {".ttf", ".otf", ".ttc", ".otc"}
INSTALL_HINT = ("install a Korean font, e.g. 'sudo apt-get install fonts-nanum', "
                "or copy the font files into the theme's fonts/ folder")


class FontError(Exception):
    pass


@dataclass(frozen=True, slots=True)
class FontFile:
    path: str
    index: int = 0
    """Face index inside a .ttc collection."""


@dataclass(frozen=True, slots=True)
class FontFace:
    """One family with the files used to measure and embed it."""

    family: str
    """The family name written into the deck (a:latin / a:ea / a:cs) and CSS."""
    regular: FontFile
    bold: FontFile
    """Same as regular when the family has no bold file (viewers embolden)."""
    has_hangul: bool = True
    fallback_note: str = ""
    """Set when none of the theme's families is installed and fontconfig's fallback face is
    used instead: the warning each build prints (an error only with --strict)."""


def _family_names(path: Path, index: int = 0) -> tuple[set[str], str]:
    from fontTools.ttLib import TTFont
    font = TTFont(str(path), fontNumber=index, lazy=True)
    names = font["name"]
    fams = {str(r.toUnicode()) for r in names.names if r.nameID in (1, 16)}
    style = names.getDebugName(17) or names.getDebugName(2) or "Regular"
    return fams, style


@functools.cache
def _scan_folder(folder: str) -> tuple[tuple[str, str, str, int], ...]:
    """(family, style, path, index) of every font file in *folder*."""
    out = []
    root = Path(folder)
    if not root.is_dir():
        return ()
    for p in sorted(root.rglob("*")):
        if p.suffix.lower() not in FONT_SUFFIXES:
            continue
        try:
            fams, style = _family_names(p)
        except Exception:
            continue
        for fam in fams:
            out.append((fam, style, str(p), 0))
    return tuple(out)


FC_FORMAT = "%{family}\t%{file}\t%{index}"


def _fc_match_text(pattern: str) -> str | None:
    """fontconfig's answer for *pattern*: in-process when libfontconfig loads, else from fc-match."""
    from deckgen.theme import fontconfig

    if fontconfig.available():
        return fontconfig.match(pattern, FC_FORMAT)
    if not shutil.which("fc-match"):
        return None
    try:
        r = subprocess.run(["fc-match", "-f", FC_FORMAT, pattern], capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return r.stdout if r.returncode == 0 else None


@functools.cache
def _fc_match(pattern: str) -> tuple[set[str], FontFile] | None:
    parts = (_fc_match_text(pattern) or "").split("\t")
    if len(parts) < 3 or not parts[1]:
        return None
    families = {f.strip() for f in parts[0].split(",")}
    return families, FontFile(parts[1], int(parts[2] or 0))


def _is_bold(style: str) -> bool:
    s = style.lower()
    return "bold" in s or "black" in s or "heavy" in s


def _from_folders(family: str, folders: list[Path]) -> tuple[FontFile, FontFile] | None:
    for folder in folders:
        rows = [r for r in _scan_folder(str(folder)) if r[0].lower() == family.lower()]
        if not rows:
            continue
        regular = next((r for r in rows if not _is_bold(r[1])), rows[0])
        bold = next((r for r in rows if _is_bold(r[1])), regular)
        return FontFile(regular[2], regular[3]), FontFile(bold[2], bold[3])
    return None


def _from_fontconfig(family: str) -> tuple[FontFile, FontFile] | None:
    reg = _fc_match(f"{family}:style=Regular")
    if not reg or family.lower() not in {f.lower() for f in reg[0]}:
        return None
    bold = _fc_match(f"{family}:weight=bold")
    bold_file = bold[1] if bold and family.lower() in {f.lower() for f in bold[0]} else reg[1]
    return reg[1], bold_file


@functools.cache
def _cmap(path: str, index: int = 0) -> frozenset[int]:
    """The code points the face maps (empty when the file cannot be read)."""
    from fontTools.ttLib import TTFont
    try:
        return frozenset((TTFont(path, fontNumber=index, lazy=True).getBestCmap() or {}).keys())
    except Exception:
        return frozenset()


@functools.cache
def has_hangul(path: str, index: int = 0) -> bool:
    """True when the font maps the common Hangul syllables.

    Reading a CJK font's cmap costs about 0.1 s of CPU per face, more than a whole up-to-date
    course check, so the answer is kept in the user cache under the file's path, size and
    mtime (a replaced font file has other stats and is read again)."""
    marker = _hangul_marker(path, index)
    if marker is not None and marker.is_file():
        return marker.read_bytes() == b"1"
    found = _read_has_hangul(path, index)
    if marker is not None:
        try:
            atomic_write(marker, b"1" if found else b"0", sync=False)
        except OSError:
            pass  # a read-only cache only costs the next run the same read
    return found


def _hangul_marker(path: str, index: int) -> Path | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    digest = hashlib.sha256(f"{path}\0{index}\0{st.st_size}\0{st.st_mtime_ns}".encode()).hexdigest()
    return user_cache("fontinfo") / f"hangul-{digest[:32]}"


def _read_has_hangul(path: str, index: int) -> bool:
    cmap = _cmap(path, index)
    return all(ord(c) in cmap for c in "가나다한글")


def covers(font: FontFile, text: str) -> bool:
    """True when *font* has a glyph for every character of *text* but variation selectors,
    joiners and other format characters (which shape to nothing)."""
    cmap = _cmap(font.path, font.index)
    return all(ord(c) in cmap for c in text if not ("\ufe00" <= c <= "\ufe0f" or c in "\u200d\u20e3"))


def find_family(families: list[str], font_dirs: list[Path]) -> FontFace | None:
    """The first of *families* that exists, as files; None if none does."""
    for family in families:
        found = _from_folders(family, font_dirs) or _from_fontconfig(family)
        if found:
            regular, bold = found
            return FontFace(family, regular, bold, has_hangul(regular.path, regular.index))
    return None


def resolve_family(families: list[str], font_dirs: list[Path], *, role: str = "body") -> FontFace:
    """The first of *families* that exists, as files; else fontconfig's fallback face with a
    note saying so; FontError naming them all if there is not even that."""
    face = find_family(families, font_dirs)
    if face is not None:
        return face
    tried = f"no font found for the theme's {role} text: tried {', '.join(repr(f) for f in families)}"
    fallback = _fallback_face(families)
    if fallback is None:                            # not even a fallback face: nothing to measure with
        raise FontError(f"{tried}; {INSTALL_HINT}")
    names, file = fallback
    family = sorted(names)[0]
    hangul = has_hangul(file.path, file.index)
    effect = "" if hangul else ", which has no Hangul: Korean text may show as empty boxes"
    note = f"{tried}; using {family!r} ({file.path}) instead{effect}; {INSTALL_HINT}"
    return FontFace(family, file, file, hangul, note)


def _fallback_face(families: list[str]) -> tuple[set[str], FontFile] | None:
    """What fontconfig offers instead: a face covering Korean if any, else its sans-serif."""
    korean = _fc_match(":lang=ko")
    if korean and has_hangul(korean[1].path, korean[1].index):
        return korean
    return _fc_match("sans-serif") or korean or _fc_match(families[0])
