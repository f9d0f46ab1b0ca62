"""Checking a theme's ``template.pptx`` before python-pptx opens it.

A template is a zip that every deck copies: a 1 MB zip holding a 1 GiB part
(a zip bomb) would cost gigabytes per deck, and an XML part with a DTD can
declare entities that expand without end or name outside files.  The zip's
directory is checked (entry count, total uncompressed size, compression ratio)
and every XML part is scanned for a DTD, without expanding anything.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

MAX_ENTRIES = 2000
"""PowerPoint's own templates hold 50 to 300 parts."""
MAX_TOTAL_BYTES = 200 * 1024 * 1024
"""Uncompressed: a template with pictures is a few MB to a few tens of MB."""
MAX_RATIO = 100
"""Uncompressed / compressed size of one large part; XML compresses 5 to 20 times."""
RATIO_FROM_BYTES = 1024 * 1024
"""Parts smaller than this are not held to the ratio (a tiny part can compress very well)."""
DTD_MARKERS = (b"<!DOCTYPE", b"<!ENTITY")
XML_SUFFIXES = (".xml", ".rels", ".vml")


class TemplateError(Exception):
    """The template is refused; the message names the file and the reason."""


def check_pptx_zip(path: Path) -> None:
    """Raise TemplateError when *path* is not a zip within the bounds or has an XML part with a DTD."""
    path = Path(path)
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            _check_directory(path, infos)
            for info in infos:
                if info.filename.lower().endswith(XML_SUFFIXES) and _has_dtd(z, info):
                    raise TemplateError(f"{path}: part {info.filename} declares a DTD (<!DOCTYPE or "
                                        "<!ENTITY); templates with DTDs are refused")
    except zipfile.BadZipFile as e:
        raise TemplateError(f"{path}: not a valid .pptx (zip) file: {e}") from None
    except OSError as e:
        raise TemplateError(f"{path}: cannot read: {e.strerror or e}") from None


def _check_directory(path: Path, infos: list[zipfile.ZipInfo]) -> None:
    if len(infos) > MAX_ENTRIES:
        raise TemplateError(f"{path}: {len(infos):,} parts, over the limit of {MAX_ENTRIES:,}")
    total = sum(i.file_size for i in infos)
    if total > MAX_TOTAL_BYTES:
        raise TemplateError(f"{path}: {total / 2**20:,.0f} MB uncompressed, over the limit of "
                            f"{MAX_TOTAL_BYTES / 2**20:,.0f} MB")
    for i in infos:
        if i.file_size >= RATIO_FROM_BYTES and i.file_size > MAX_RATIO * max(i.compress_size, 1):
            raise TemplateError(f"{path}: part {i.filename} expands {i.file_size / max(i.compress_size, 1):,.0f}"
                                f" times (limit {MAX_RATIO}): a zip bomb")


def _has_dtd(z: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """Scan the part in chunks (bounded by its checked size) for a DTD marker."""
    tail = b""
    with z.open(info) as f:
        while chunk := f.read(256 * 1024):
            window = (tail + chunk).upper()
            if any(m in window for m in DTD_MARKERS):
                return True
            tail = chunk[-16:]
    return False
