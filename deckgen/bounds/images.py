"""Opening raster image files within bounds, before anything is decoded.

Shared by the read stage (which checks every picture once and turns a refusal
into a placeholder with a warning) and by the picture preparation of both
backends (a second line of defence).  Pillow's decompression-bomb check reads
only the header; its warning is made an error at our own pixel limit, so a
108 Mpx PNG of 300 KB is refused without a pixel being decoded.
"""
from __future__ import annotations

import os
import warnings
from pathlib import Path
from typing import IO, Any

from deckgen.bounds.limits import MB, Limits

RASTER_FORMATS = ("PNG", "JPEG", "GIF", "BMP", "WEBP", "TIFF", "AVIF")
"""The only formats decoded (never EPS, which would run Ghostscript)."""


class ImageRefused(Exception):
    """An image over a limit, or not a known format: the message says which and why."""

    def __init__(self, message: str, code: str = "image-too-large"):
        super().__init__(message)
        self.code = code


_current = Limits()


def use_limits(limits: Limits) -> None:
    """The limits of the build running in this process (one build at a time per process):
    the backends' picture preparation reads them, and Pillow's process-wide bomb threshold
    is set to ours, since WeasyPrint decodes with Pillow too."""
    global _current
    _current = limits
    set_pixel_limit(limits)


def current_limits() -> Limits:
    return _current


def set_pixel_limit(limits: Limits) -> None:
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = limits.max_image_pixels


def check_file_size(path: str | os.PathLike, limits: Limits) -> int:
    """The file's size in bytes; ImageRefused when it is over the limit (checked before reading)."""
    size = os.stat(path).st_size
    if size > limits.max_image_bytes:
        raise ImageRefused(f"image {Path(path).name} is {size / MB:,.1f} MB, over the "
                           f"{limits.max_image_bytes / MB:g} MB limit (limits.max_image_mb)")
    return size


def open_bounded(fp: str | os.PathLike | IO[bytes], limits: Limits, name: str = "",
                 formats: tuple[str, ...] = RASTER_FORMATS) -> Any:
    """A lazily decoded PIL image (header read only); ImageRefused over the pixel limit."""
    from PIL import Image

    name = name or Path(str(getattr(fp, "name", fp))).name
    saved = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = limits.max_image_pixels
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            im = Image.open(fp, formats=formats)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        Image.MAX_IMAGE_PIXELS = saved
        raise ImageRefused(_pixels_message(name, _header_size(fp), limits), "image-bomb") from None
    finally:
        Image.MAX_IMAGE_PIXELS = saved
    if im.width * im.height > limits.max_image_pixels:   # formats Pillow does not check on open
        im.close()
        raise ImageRefused(_pixels_message(name, im.size, limits), "image-bomb")
    return im


def _header_size(fp: Any) -> tuple[int, int] | None:
    """Width and height from the header alone, with the bomb check off (for the message)."""
    from PIL import Image

    saved = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = None
    try:
        if hasattr(fp, "seek"):
            fp.seek(0)
        with Image.open(fp, formats=RASTER_FORMATS) as im:
            return im.size
    except Exception:
        return None
    finally:
        Image.MAX_IMAGE_PIXELS = saved


def _pixels_message(name: str, size: tuple[int, int] | None, limits: Limits) -> str:
    dims = f"{size[0]:,} x {size[1]:,} = {size[0] * size[1] / 1e6:,.1f} Mpx, " if size else ""
    return (f"image {name} is too large to decode safely ({dims}over the "
            f"{limits.max_image_pixels / 1e6:g} Mpx limit, limits.max_image_pixels)")
