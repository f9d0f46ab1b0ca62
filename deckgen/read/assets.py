"""Resolve image references to files inside the project, safely.

Nothing outside the project root is read and nothing is fetched: a reference
that leaves the project, a URL, or a file that is missing or unreadable is a
warning, and the backends draw a placeholder showing the alt text.
"""
from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from deckgen.diagnostics import Diagnostics
from deckgen.cachedir import cache_root
from deckgen.bounds.images import ImageRefused, check_file_size, open_bounded
from deckgen.bounds.limits import Limits, short_text
from deckgen.read.fetch import FetchError, data_uri_file, fetch_image
from deckgen.model import SourceSpan

RASTER_FORMATS = {"PNG", "JPEG", "GIF", "BMP", "WEBP", "TIFF"}
VAULT_SKIP = {"node_modules", "_site", "__pycache__", ".git", ".venv", "venv"}
NAME_MAX = 255
"""Bytes in one file name on Linux, macOS and Windows file systems."""
VAULT_MAX_FILES = 50_000
"""Stop indexing a huge tree: the by-name search is a convenience, not a crawl."""


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
        return True
    except (ValueError, OSError, RuntimeError):    # RuntimeError: a symlink loop (`a.png -> a.png`)
        return False


def _find_nfc_nfd(path: Path) -> Path | None:
    """*path* itself, or a sibling whose name is the same text in another Unicode form."""
    if path.exists():
        return path
    parent = path.parent
    if not parent.is_dir():
        return None
    want = unicodedata.normalize("NFC", path.name)
    for child in parent.iterdir():
        if unicodedata.normalize("NFC", child.name) == want:
            return child
    return None


@dataclass
class AssetResolver:
    note: Path
    root: Path
    asset_dirs: list[Path] = field(default_factory=list)
    used: set[str] = field(default_factory=set)
    """Every file resolved (for build caches)."""
    fetch_remote: bool = False
    """Download http(s) images (opt-in: nothing is fetched unless the user asks)."""
    limits: Limits = field(default_factory=Limits)
    """Bounds on image files, data URIs and downloads."""
    _by_name: dict[str, list[Path]] | None = field(default=None, repr=False)

    def by_name(self, ref: str) -> Path | None:
        """A file named like *ref* anywhere under the root, as Obsidian finds `![[x.png]]`.

        Names compare in NFC and case-insensitively; the match nearest the note wins."""
        if self._by_name is None:
            self._by_name = {}
            count = 0
            for folder, dirs, files in os.walk(self.root):
                dirs[:] = sorted(d for d in dirs if d not in VAULT_SKIP and not d.startswith("."))
                for name in files:
                    key = unicodedata.normalize("NFC", name).casefold()
                    self._by_name.setdefault(key, []).append(Path(folder) / name)
                    count += 1
                if count > VAULT_MAX_FILES:
                    break
        name = unicodedata.normalize("NFC", Path(ref).name).casefold()
        found = self._by_name.get(name, [])
        near = [p for p in found if _inside(p, self.note.parent)]
        return min(near or found, key=lambda p: (len(p.parts), str(p)), default=None)

    def candidates(self, ref: str) -> list[Path]:
        if ref.startswith("/"):
            rel = ref.lstrip("/")
            roots = [self.root, *[p for p in [self.root.parent] if (p / "_config.yml").exists()]]
            return [r / rel for r in roots] + [d / Path(rel).name for d in self.asset_dirs]
        out = [self.note.parent / ref, self.root / ref]
        out += [d / ref for d in self.asset_dirs]
        return out

    @staticmethod
    def _special(make, where: SourceSpan, diags: Diagnostics) -> str | None:
        try:
            return make()
        except FetchError as e:
            diags.warning("image-unavailable", f"{e}; drawing a placeholder", where)
            return None

    def resolve(self, src: str, where: SourceSpan, diags: Diagnostics, *, alt: str = "") -> str | None:
        """A file path for *src*, or None with a warning."""
        label = f" ('{short_text(alt)}')" if alt else ""
        shown = short_text(src)
        if not src.strip():
            diags.warning("image-missing", f"image{label} has no source; drawing a placeholder", where)
            return None
        parts = urlsplit(src)
        if parts.scheme in ("http", "https", "ftp") or src.startswith("//"):
            if self.fetch_remote and parts.scheme in ("http", "https"):
                return self._special(lambda: fetch_image(src, cache_root(self.root) / "images", self.limits),
                                     where, diags)
            diags.warning("image-remote", f"remote image {shown} is not fetched (use --fetch-images); "
                          "drawing a placeholder", where)
            return None
        if parts.scheme == "data":
            return self._special(lambda: data_uri_file(src, cache_root(self.root) / "images", self.limits),
                                 where, diags)
        if len(parts.scheme) > 1:          # file:, javascript:, ... (a one-letter scheme is a Windows drive)
            diags.warning("image-refused", f"image{label} uses the '{parts.scheme}:' scheme, which is never "
                          "read; drawing a placeholder", where)
            return None
        ref = unquote(parts.path)
        too_long = next((p for p in Path(ref).parts if len(p.encode("utf-8", "surrogatepass")) > NAME_MAX), None)
        if too_long is not None:
            diags.warning("image-missing", f"image not found: the name {too_long[:40]}... is longer than "
                          f"{NAME_MAX} bytes, which no file system allows{label}; drawing a placeholder", where)
            return None
        try:
            return self._find(src, ref, label, where, diags)
        except OSError as e:             # ENAMETOOLONG from a long joined path, EACCES, ELOOP...
            diags.warning("image-unreadable", f"image {short_text(src)} cannot be looked up ({e.strerror}); "
                          "drawing a placeholder", where)
            return None

    def _find(self, src: str, ref: str, label: str, where: SourceSpan, diags: Diagnostics) -> str | None:
        shown = short_text(src)
        for cand in self.candidates(ref):
            found = _find_nfc_nfd(cand)
            if found is None or not found.is_file():
                continue
            if not _inside(found, self.root):
                diags.warning("image-outside", f"image {shown} is outside the project folder "
                              f"{self.root}; not read", where)
                return None
            return self._accept(found, where, diags)
        found = self.by_name(ref) if Path(ref).name else None
        if found is not None and found.is_file() and _inside(found, self.root):
            return self._accept(found, where, diags)
        diags.warning("image-missing", f"image not found: {shown}{label}; drawing a placeholder", where)
        return None

    def _accept(self, found: Path, where: SourceSpan, diags: Diagnostics) -> str | None:
        """The resolved file, unless it is over the size limit (checked before any byte is read)."""
        real = found.resolve()
        self.used.add(str(real))           # a file that shrinks below the limit must rebuild the note
        try:
            check_file_size(real, self.limits)
        except ImageRefused as e:
            diags.warning(e.code, f"{e}; drawing a placeholder", where)
            return None
        except OSError as e:
            diags.warning("image-unreadable", f"image {found.name} cannot be read ({e.strerror}); "
                          "drawing a placeholder", where)
            return None
        return str(real)


def image_size(path: str, where: SourceSpan, diags: Diagnostics,
               limits: Limits | None = None) -> tuple[int, int] | None:
    """Pixel size of a raster image, checking its bounds (before decoding) and that it decodes;
    None (with a warning) if not."""
    limits = limits or Limits()
    try:
        check_file_size(path, limits)
        with open_bounded(path, limits, formats=tuple(sorted(RASTER_FORMATS))) as im:
            size = im.size
            im.verify()
        with open_bounded(path, limits, formats=tuple(sorted(RASTER_FORMATS))) as im:
            if im.getexif().get(0x0112, 1) in (5, 6, 7, 8):   # EXIF-rotated: drawn upright (render.raster)
                size = (size[1], size[0])
        return size
    except ImageRefused as e:
        diags.warning(e.code, f"{e}; drawing a placeholder", where)
    except Exception as e:
        diags.warning("image-unreadable", f"image {Path(path).name} cannot be read ({type(e).__name__}); "
                      "drawing a placeholder", where)
    return None
