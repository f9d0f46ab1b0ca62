"""Embedded OpenType (EOT) containers, the only font format PowerPoint reads from a deck.

PowerPoint stores every embedded face as ``/ppt/fonts/fontN.fntdata`` holding an
EOT (W3C member submission, 2008) around a TrueType font; a bare TTF in that part
makes PowerPoint refuse the file.  We write version 0x00020001 (the version
PowerPoint writes), uncompressed (no MicroType Express) and not XOR-obfuscated,
so libeot's ``eot2ttf`` and any EOT reader get the TrueType bytes back as they are.

Every number in the header is little-endian; the OS/2 and head fields are copied
from the wrapped font.  The family name is null-terminated as PowerPoint writes it.
"""
from __future__ import annotations

import io
import struct
from dataclasses import dataclass

VERSION = 0x00020001
MAGIC = 0x504C
TTEMBED_SUBSET = 0x00000001
"""Flags bit: the font data is a subset of the original face."""
DEFAULT_CHARSET = 1

_FIXED = struct.Struct("<LLLL10sBBLHH4L2LL4LH")
"""EOTSize .. Padding1: the fixed-size part of the header (82 bytes)."""


@dataclass(frozen=True, slots=True)
class EotHeader:
    """The header fields a reader (PowerPoint, eot2ttf) looks at; read back for tests and goldens."""

    version: int
    flags: int
    font_data_size: int
    panose: bytes
    charset: int
    italic: bool
    weight: int
    fs_type: int
    family_name: str
    """As stored, with PowerPoint's trailing NUL."""
    style_name: str
    version_name: str
    full_name: str
    data_offset: int
    """Where the font data starts in the container."""


def _name(font, name_id: int) -> str:
    return font["name"].getDebugName(name_id) or ""


def _utf16(text: str) -> bytes:
    return text.encode("utf-16-le")


def _strings(*texts: str) -> bytes:
    """Size in bytes (USHORT) and UTF-16LE bytes of each string, a USHORT 0 padding between."""
    parts = []
    for text in texts:
        data = _utf16(text)
        parts.append(struct.pack("<H", len(data)) + data)
    return b"\0\0".join(parts)


def panose_bytes(font) -> bytes:
    """OS/2's ten PANOSE classification bytes."""
    from fontTools.misc import sstruct
    from fontTools.ttLib.tables.O_S_2f_2 import panoseFormat

    return sstruct.pack(panoseFormat, font["OS/2"].panose)


def wrap_eot(ttf: bytes, family: str, style: str, *, subset: bool) -> bytes:
    """An EOT container around TrueType bytes *ttf*, named *family* (the name runs use) and
    *style* ("Regular", "Bold": the slot it fills, whatever the file's own style name)."""
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(ttf), lazy=True)
    os2, head = font["OS/2"], font["head"]
    panose = panose_bytes(font)
    code_pages = (getattr(os2, "ulCodePageRange1", 0), getattr(os2, "ulCodePageRange2", 0))
    # FamilyName (after Padding1, in the fixed part), Style, Version, Full name, then
    # version 0x00020001's RootString: empty (any site may use the font).
    names = _strings(family + "\0", style, _name(font, 5), _name(font, 4), "")
    fixed_size = _FIXED.size
    total = fixed_size + len(names) + len(ttf)
    fixed = _FIXED.pack(
        total, len(ttf), VERSION, TTEMBED_SUBSET if subset else 0,
        panose, DEFAULT_CHARSET, os2.fsSelection & 1, os2.usWeightClass, os2.fsType, MAGIC,
        os2.ulUnicodeRange1, os2.ulUnicodeRange2, os2.ulUnicodeRange3, os2.ulUnicodeRange4,
        *code_pages, head.checkSumAdjustment, 0, 0, 0, 0, 0)
    return fixed + names + ttf


def read_eot_header(data: bytes) -> EotHeader:
    """Parse the header written by :func:`wrap_eot` (versions 0x00020001 and later)."""
    if len(data) < _FIXED.size:
        raise ValueError("EOT: shorter than its fixed header")
    f = _FIXED.unpack_from(data, 0)
    if f[9] != MAGIC:
        raise ValueError(f"EOT: magic number {f[9]:#06x}, expected {MAGIC:#06x}")
    pos = _FIXED.size
    strings = []
    for n in range(4 if f[2] < VERSION else 5):
        if n:                                            # Padding2..5 precede every later string
            pos += 2
        (size,) = struct.unpack_from("<H", data, pos)
        strings.append(data[pos + 2:pos + 2 + size].decode("utf-16-le"))
        pos += 2 + size
    return EotHeader(version=f[2], flags=f[3], font_data_size=f[1], panose=f[4], charset=f[5],
                     italic=bool(f[6]), weight=f[7], fs_type=f[8], family_name=strings[0],
                     style_name=strings[1], version_name=strings[2], full_name=strings[3],
                     data_offset=pos)
