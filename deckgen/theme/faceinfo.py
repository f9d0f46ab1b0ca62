"""What a font file allows and covers: its embedding permission and the scripts it draws.

The OS/2 ``fsType`` field is the font vendor's licence in four bits: 0 installable
and 8 editable may travel inside a document; 4 (preview & print, NanumSquare)
makes PowerPoint open the deck read-only; 2 (restricted) must never be embedded.
The pptx backend embeds by these rules and ``deckgen doctor`` reports them.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

INSTALLABLE, RESTRICTED, PREVIEW_PRINT, EDITABLE = 0x0, 0x2, 0x4, 0x8
NO_SUBSETTING, BITMAP_ONLY = 0x0100, 0x0200

SCRIPT_SAMPLES: tuple[tuple[str, str], ...] = (
    ("Hangul", "가나다한글힣"),
    ("Latin", "AZaz09"),
    ("Han", "漢字中國日本"),
    ("Kana", "あいうアイウ"),
    ("Greek", "αβγΩ"),
    ("Cyrillic", "АБВЖ"),
    ("emoji", "\U0001F600\U0001F44D"),
)
"""Each script and a few common characters it must map to count as covered."""


@dataclass(frozen=True, slots=True)
class Permission:
    """How a face may be embedded, from its OS/2 fsType."""

    fs_type: int
    embeddable: bool
    label: str
    """'installable', 'editable', 'preview & print', 'restricted' or 'bitmap only'."""
    subsettable: bool = True
    """False when fsType forbids subsetting (bit 8): embed the whole face."""


def permission(fs_type: int) -> Permission:
    """Read the licence bits; the least restrictive usage bit set wins (OpenType spec)."""
    usage = fs_type & 0x000F
    subsettable = not fs_type & NO_SUBSETTING
    if fs_type & BITMAP_ONLY:
        return Permission(fs_type, False, "bitmap only", subsettable)
    if usage == INSTALLABLE:
        return Permission(fs_type, True, "installable", subsettable)
    if usage & EDITABLE:
        return Permission(fs_type, True, "editable", subsettable)
    if usage & PREVIEW_PRINT:
        return Permission(fs_type, False, "preview & print", subsettable)
    return Permission(fs_type, False, "restricted", subsettable)


@functools.cache
def face_permission(path: str, index: int = 0) -> Permission:
    """The embedding permission of one font file (a face of a .ttc by *index*)."""
    from fontTools.ttLib import TTFont

    font = TTFont(path, fontNumber=index, lazy=True)
    fs_type = int(font["OS/2"].fsType) if "OS/2" in font else INSTALLABLE
    return permission(fs_type)


@functools.cache
def scripts_covered(path: str, index: int = 0) -> tuple[str, ...]:
    """The scripts of SCRIPT_SAMPLES whose sample characters the face maps, in that order."""
    from fontTools.ttLib import TTFont

    cmap = TTFont(path, fontNumber=index, lazy=True).getBestCmap() or {}
    return tuple(name for name, sample in SCRIPT_SAMPLES if all(ord(c) in cmap for c in sample))
