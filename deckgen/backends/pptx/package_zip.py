"""The deck's zip: written once, its entries dated once, big parts deflated once per process.

python-pptx dates every entry with the clock, so a reproducible build (SOURCE_DATE_EPOCH)
used to unzip the saved deck and deflate every part a second time only to change the
dates.  And every deck of a course carries the same embedded font subsets (4-5 MB for
the default theme), deflated again for each note: the two deflates were 60 % of a warm
worker's deck CPU.  Here the package is zipped once with the wanted date, and the deflate
stream of a part of at least MEMO_MIN bytes is kept by the part's digest (a font's on disk
too) and replayed into zipfile the next time the same bytes come.  The zip is byte for byte
what zipfile writes for ``writestr`` (level 6, raw deflate, mode 0600) either way.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import time
import zipfile
import zlib
from collections import OrderedDict
from pathlib import Path

from pptx.opc.serialized import PackageWriter

from deckgen.cachedir import user_cache
from deckgen.files import atomic_write

MEMO_MIN = 64 * 1024
"""Smaller parts (slide XML) are deflated each time: their digest would cost about as much."""
MEMO_BYTES = 48 * 1024 * 1024
"""Deflated bytes kept per process, least recently used out first: a few themes' font faces."""
ZIP_EPOCH = dt.datetime(1980, 1, 1)
"""Zip dates start in 1980."""

DISK_PARTS = ("/ppt/fonts/",)
"""Parts whose streams are kept on disk too (user cache `deflated/`): the embedded faces, the
same in every build of a course, so a fresh worker or a one-note build skips their deflate."""
DISK_FILES = 24
"""Streams kept on disk (about 0.5 MB each), newest first."""

_memo: OrderedDict[bytes, bytes] = OrderedDict()


def deflated(blob: bytes, *, on_disk: bool = False) -> bytes:
    """*blob* as zipfile deflates it (zlib's default level, raw stream), remembered by digest
    in memory and, *on_disk*, in the user cache."""
    key = hashlib.blake2b(blob, digest_size=20).digest() + len(blob).to_bytes(8, "little")
    hit = _memo.get(key)
    if hit is not None:
        _memo.move_to_end(key)
        return hit
    data = _read_disk(key) if on_disk else None
    if data is None:
        compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
        data = compressor.compress(blob) + compressor.flush()
        if on_disk:
            _write_disk(key, data)
    _memo[key] = data
    while sum(map(len, _memo.values())) > MEMO_BYTES and len(_memo) > 1:
        _memo.popitem(last=False)
    return data


def _disk_path(key: bytes) -> Path:
    """Named by the part's digest and zlib's version (another zlib may deflate differently)."""
    name = hashlib.blake2b(key + zlib.ZLIB_RUNTIME_VERSION.encode(), digest_size=16).hexdigest()
    return user_cache("deflated") / f"{name}.z"


def _read_disk(key: bytes) -> bytes | None:
    """A stored stream, checked against the CRC stored before it; None when absent or damaged."""
    try:
        data = _disk_path(key).read_bytes()
    except OSError:
        return None
    stream = data[4:]
    return stream if len(data) > 4 and zlib.crc32(stream) == int.from_bytes(data[:4], "big") else None


def _write_disk(key: bytes, stream: bytes) -> None:
    path = _disk_path(key)
    try:
        atomic_write(path, zlib.crc32(stream).to_bytes(4, "big") + stream, sync=False)
        old = sorted(path.parent.glob("*.z"), key=lambda p: p.stat().st_mtime, reverse=True)[DISK_FILES:]
        for p in old:
            p.unlink(missing_ok=True)
    except OSError:
        pass                                       # a read-only home: deflated again next time


class _Replay:
    """A compressor for one zip entry that hands back a stream deflated earlier: zipfile calls
    compress() with the entry's bytes (it still counts their size and CRC), then flush()."""

    def __init__(self, stream: bytes):
        self._stream = stream

    def compress(self, _data: bytes) -> bytes:
        out, self._stream = self._stream, b""
        return out

    def flush(self) -> bytes:
        return b""


class DatedZip:
    """python-pptx's physical package writer, with every entry dated *when*."""

    def __init__(self, stream: io.BytesIO, when: tuple[int, int, int, int, int, int]):
        self._zip = zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED)
        self._when = when

    def write(self, pack_uri, blob: bytes) -> None:
        info = zipfile.ZipInfo(pack_uri.membername, date_time=self._when)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o600 << 16          # what writestr gives a file named by a string
        if len(blob) < MEMO_MIN:
            self._zip.writestr(info, blob)
            return
        info.file_size = len(blob)                # as writestr sets it before opening the entry
        with self._zip.open(info, "w") as dest:
            if hasattr(dest, "_compressor"):      # CPython's _ZipWriteFile: replay the stream
                keep = pack_uri.startswith(DISK_PARTS)
                dest._compressor = _Replay(deflated(blob, on_disk=keep))
            dest.write(blob)

    def close(self) -> None:
        self._zip.close()


class _Writer(PackageWriter):
    """PackageWriter's order (content types, package relationships, then each part and its
    relationships) into a DatedZip."""

    def _write(self) -> None:
        target = self._pkg_file
        assert isinstance(target, DatedZip)
        self._write_content_types_stream(target)  # type: ignore[arg-type]
        self._write_pkg_rels(target)              # type: ignore[arg-type]
        self._write_parts(target)                 # type: ignore[arg-type]


def zip_package(package, when: dt.datetime | None = None) -> bytes:
    """The package as .pptx bytes, its entries dated *when* (None: the local clock, as
    python-pptx dates them)."""
    stamp = max(when, ZIP_EPOCH).timetuple()[:6] if when else time.localtime()[:6]
    buf = io.BytesIO()
    target = DatedZip(buf, stamp)
    try:
        _Writer.write(target, package._rels, tuple(package.iter_parts()))  # type: ignore[arg-type]
    finally:
        target.close()
    return buf.getvalue()


__all__ = ["deflated", "zip_package"]
