"""Images that are not files: `data:` URIs, and http(s) images when the user asks.

Both end up as content-addressed files in the project's cache, so the
backends only ever read files.  Remote images are fetched only with
`--fetch-images`, with a timeout, a size cap and image types only.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
from pathlib import Path
from urllib.parse import unquote_to_bytes

from deckgen.files import atomic_write
from deckgen.bounds.limits import MB, Limits
from deckgen.read.download import DownloadError, download, short
DEFAULT_LIMITS = Limits()
EXTENSIONS = {"image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif", "image/webp": ".webp",
              "image/svg+xml": ".svg", "image/bmp": ".bmp", "image/tiff": ".tiff"}


class FetchError(Exception):
    pass


def _store(data: bytes, mime: str, folder: Path) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (hashlib.sha256(data).hexdigest()[:32] + EXTENSIONS.get(mime, ".bin"))
    if not path.exists():
        atomic_write(path, data, sync=False)
    return str(path)


def data_uri_file(uri: str, folder: Path, limits: Limits = DEFAULT_LIMITS) -> str:
    """Decode a `data:image/...;base64,...` URI into a file; FetchError says why not.

    The size is checked on the text before anything is decoded."""
    head, sep, payload = uri.partition(",")
    if not sep:
        raise FetchError("malformed data: URI")
    params = head[5:].split(";")
    mime = params[0].lower() or "text/plain"
    if mime not in EXTENSIONS:
        raise FetchError(f"data: URI of type {mime} is not an image type deckgen draws")
    cap = limits.max_data_uri_bytes
    too_big = f"data: URI of {len(payload) / MB:,.1f} MB of text, over the {cap / MB:g} MB limit " \
              "(limits.max_data_uri_mb)"
    if len(payload) > cap * 4 // 3 + 8:
        raise FetchError(too_big)
    try:
        data = base64.b64decode(payload, validate=False) if "base64" in params[1:] else unquote_to_bytes(payload)
    except (binascii.Error, ValueError):
        raise FetchError("data: URI is not valid base64") from None
    if len(data) > cap:
        raise FetchError(too_big)
    return _store(data, mime, folder)


def fetch_image(url: str, folder: Path, limits: Limits = DEFAULT_LIMITS) -> str:
    """Download an http(s) image (opt-in) into a file; FetchError says why not."""
    try:
        mime, data = download(url, limits, set(EXTENSIONS))
    except DownloadError as e:
        raise FetchError(f"cannot fetch {short(url)}: {e}") from None
    return _store(data, mime, folder)
