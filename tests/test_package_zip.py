"""The deck's zip is zipfile's own, however its big parts were deflated: replayed from the
per-process memo (a second deck with the same fonts) or deflated on the spot."""
from __future__ import annotations

import io
import time
import zipfile
import zlib
from pathlib import Path

import pytest

from conftest import FIXTURES
from deckgen.backends.pptx import package_zip
from deckgen.pipeline import BuildOptions, build_one

EPOCH = 1767225600   # 2026-01-01T00:00:00Z
NOTE = FIXTURES / "notes" / "jekyll-virtualization.md"


def _zipfiles_own(data: bytes) -> bytes:
    """Every entry of *data* written again by zipfile.writestr (its own deflate), same dates."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            entry.compress_type, entry.external_attr = zipfile.ZIP_DEFLATED, 0o600 << 16
            dst.writestr(entry, src.read(info))
    return out.getvalue()


def _build(out: Path) -> bytes:
    assert not build_one(NOTE, {"pptx": out}, BuildOptions(embed_fonts="subset")).failed
    return out.read_bytes()


def test_replayed_font_parts_zip_as_zipfile_deflates_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    package_zip._memo.clear()
    first = _build(tmp_path / "a.pptx")            # fonts deflated here, then kept
    kept = len(package_zip._memo)
    second = _build(tmp_path / "b.pptx")           # the same fonts: streams replayed
    with zipfile.ZipFile(io.BytesIO(first)) as z:
        big = [i for i in z.infolist() if i.file_size >= package_zip.MEMO_MIN]
        assert {i.date_time for i in z.infolist()} == {(2026, 1, 1, 0, 0, 0)}
        assert z.testzip() is None
    assert [i.filename for i in big if i.filename.startswith("ppt/fonts/")]    # the fonts went through the memo
    assert kept == len(package_zip._memo) >= len(big)
    assert first == second == _zipfiles_own(first)


def test_memo_returns_the_same_stream_and_stays_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    package_zip._memo.clear()
    blobs = [bytes(range(256)) * (40 + i) for i in range(4)]     # ~10 KB each, a few hundred bytes deflated
    first = package_zip.deflated(blobs[0])
    assert package_zip.deflated(blobs[0]) is first               # a hit: nothing deflated again
    monkeypatch.setattr(package_zip, "MEMO_BYTES", 2 * len(first) + 16)
    for blob in blobs[1:]:
        package_zip.deflated(blob)
    assert len(package_zip._memo) == 2 and package_zip.deflated(blobs[0]) is not first   # the oldest went
    assert zlib.decompress(package_zip.deflated(blobs[3]), -15) == blobs[3]


def test_without_source_date_epoch_entries_carry_the_clock(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    now = time.localtime()[:3]
    with zipfile.ZipFile(io.BytesIO(_build(tmp_path / "c.pptx"))) as z:
        assert {i.date_time[:3] for i in z.infolist()} <= {now, time.localtime()[:3]}


def test_font_streams_kept_on_disk_for_the_next_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    package_zip._memo.clear()
    first = _build(tmp_path / "a.pptx")
    stored = sorted((tmp_path / "cache" / "deckgen" / "deflated").glob("*.z"))
    with zipfile.ZipFile(io.BytesIO(first)) as z:
        assert len(stored) == sum(1 for n in z.namelist() if n.startswith("ppt/fonts/")) > 0
    package_zip._memo.clear()                                  # a new worker: the disk answers
    intact = [(p, p.stat().st_mtime_ns) for p in stored[1:]]
    stored[0].write_bytes(stored[0].read_bytes()[:-7])          # one stream damaged: deflated again
    assert _build(tmp_path / "b.pptx") == first == _zipfiles_own(first)
    assert [(p, p.stat().st_mtime_ns) for p in stored[1:]] == intact   # read, not written again
    repaired = stored[0].read_bytes()                            # the damaged one written again, whole
    assert zlib.crc32(repaired[4:]) == int.from_bytes(repaired[:4], "big")
