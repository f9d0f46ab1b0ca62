"""The handout's URL sandbox: WeasyPrint may open data: URIs and local files under the note
folder, the build cache, the theme and the font files, and nothing else (never the network)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

from deckgen.cachedir import cache_root
from deckgen.theme.load import BUILTIN_THEMES, Theme

__all__ = ["Roots", "handout_url_fetcher"]


@dataclass(frozen=True)
class Roots:
    """Local files the handout may read: folders (recursively) and single files."""

    base: Path
    """The note folder (relative image paths are read from here)."""
    folders: tuple[Path, ...]
    files: frozenset[Path]

    @classmethod
    def for_theme(cls, theme: Theme, base_dir: Path) -> Roots:
        folders = [Path(base_dir), cache_root(Path(base_dir)), theme.folder, BUILTIN_THEMES / "default"]
        folders += [p.parent for p in theme.css_files]
        faces = [theme.fonts.heading, theme.fonts.body, theme.fonts.mono]
        faces += [face for _, face in theme.fonts.fallback.faces()]
        files = {Path(f.path).resolve() for face in faces for f in (face.regular, face.bold)}
        return cls(Path(base_dir).resolve(), tuple(p.resolve() for p in folders), frozenset(files))

    def allows(self, path: Path) -> bool:
        real = path.resolve()
        return real in self.files or any(real.is_relative_to(f) for f in self.folders)


def handout_url_fetcher(theme: Theme, base_dir: Path) -> Any:
    """A WeasyPrint URL fetcher that opens data: URIs and allowed local files only."""
    from weasyprint.urls import URLFetcher

    roots = Roots.for_theme(theme, base_dir)

    class HandoutURLFetcher(URLFetcher):
        def fetch(self, url: str, headers: dict | None = None) -> Any:
            if url.lower().startswith("data:"):
                return super().fetch(url, headers)
            path = _local_path(url)
            if path is None or not roots.allows(path):
                raise ValueError(f"the handout only reads files under {base_dir} or the theme; "
                                 f"refused {url}")
            return super().fetch(url, headers)

    return HandoutURLFetcher(allowed_protocols=("file", "data"), allow_redirects=False)


def _local_path(url: str) -> Path | None:
    """The file a file: URL names, or None for any other URL."""
    parts = urlsplit(url)
    if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
        return None
    return Path(url2pathname(parts.path))
