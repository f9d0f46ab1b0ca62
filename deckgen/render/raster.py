"""Pictures for the backends, through Pillow: what the slide shows, at ~220 dpi.

EXIF orientation is applied; CMYK, palette and 16-bit images are converted;
WebP/AVIF/BMP/TIFF become PNG or JPEG (what every PowerPoint opens); a picture
larger than its frame needs is downscaled, so decks stay small.  Only a list of
known formats is decoded (never EPS, which would run Ghostscript), and
Pillow's decompression-bomb warning is an error.  SVG files are rasterised with
CairoSVG (see :mod:`deckgen.render.svg`).
"""
from __future__ import annotations

import io
from pathlib import Path

from deckgen.bounds.images import ImageRefused, check_file_size, current_limits, open_bounded
from deckgen.bounds.limits import Limits
from deckgen.render import svg as svgmod

DPI = 220
EMU_PER_INCH = 914400
FORMATS = ("PNG", "JPEG", "GIF", "BMP", "WEBP", "TIFF", "AVIF")
PASS_THROUGH = ("PNG", "JPEG", "GIF")
"""Formats every PowerPoint opens; a file in one of them that needs no change is embedded as is."""


class RasterError(Exception):
    pass


def target_px(w_emu: int, h_emu: int, dpi: int = DPI) -> tuple[int, int]:
    return (max(1, round(w_emu / EMU_PER_INCH * dpi)), max(1, round(h_emu / EMU_PER_INCH * dpi)))


def svg_picture(path: str, w_emu: int, h_emu: int) -> bytes:
    """PNG of an SVG file at ~220 dpi for a frame of w x h EMU."""
    data = Path(path).read_bytes()
    return svgmod.to_png(data, target_px(w_emu, h_emu)[0])


def _convert_mode(im):
    from PIL import Image

    if im.mode in ("I;16", "I;16B", "I;16L", "I"):
        im = im.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    elif im.mode == "CMYK":
        im = im.convert("RGB")
    elif im.mode in ("P", "PA"):
        im = im.convert("RGBA")
    elif im.mode in ("1", "F"):
        im = im.convert("L")
    elif im.mode == "LA":
        im = im.convert("RGBA")
    elif im.mode not in ("RGB", "RGBA", "L"):
        im = im.convert("RGB")
    if im.mode == "RGBA" and im.getchannel("A").getextrema()[0] == 255:
        im = im.convert("RGB")                        # an opaque alpha channel is dropped
    return im if isinstance(im, Image.Image) else im


def _plausible_length(size: int, im) -> bool:
    """A file no longer than its pixels stored raw (plus room for metadata): anything longer
    carries a tail (data appended after the image) that must not be embedded byte for byte."""
    return size <= im.width * im.height * 4 + 256 * 1024


def prepare(path: str, max_px: tuple[int, int], limits: Limits | None = None) -> tuple[bytes, str]:
    """(bytes, extension) of the picture at *path*, fit for embedding at no more than *max_px*.

    Raises RasterError for a file over the size or pixel limit (checked before reading
    or decoding), not a known format, or corrupt."""
    from PIL import Image, ImageOps

    limits = limits or current_limits()
    try:
        check_file_size(path, limits)
        raw = Path(path).read_bytes()
        im: Image.Image = open_bounded(io.BytesIO(raw), limits, Path(path).name, FORMATS)
        fmt = im.format
        orientation = im.getexif().get(0x0112, 1)
        too_big = im.width > max_px[0] * 1.15 or im.height > max_px[1] * 1.15
        if (fmt in PASS_THROUGH and orientation == 1 and not too_big and _plausible_length(len(raw), im)
                and im.mode in ("RGB", "RGBA", "L", "LA", "P", "1")):
            return raw, fmt.lower().replace("jpeg", "jpg")
        if fmt == "JPEG":
            im.draft("RGB", max_px)          # decode a 6000 px photo at 1/2..1/8 of its size
        im.load()
        im = ImageOps.exif_transpose(im)
        im = _convert_mode(im)
        im.thumbnail(max_px, Image.Resampling.LANCZOS)
    except ImageRefused as e:
        raise RasterError(str(e)) from None
    except Exception as e:
        raise RasterError(f"cannot be decoded ({type(e).__name__}: {e})") from None
    out = io.BytesIO()
    if im.mode == "RGBA" or fmt in ("PNG", "GIF", "BMP") and im.mode != "RGB" or fmt in ("PNG", "GIF"):
        im.save(out, "PNG", optimize=True)
        return out.getvalue(), "png"
    im.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
    return out.getvalue(), "jpg"


def picture_for_frame(path: str, w_emu: int, h_emu: int) -> tuple[bytes, str]:
    """The picture to embed in a w x h EMU frame: raster via :func:`prepare`, SVG via CairoSVG.

    Converted pictures are kept in the project's render cache (keyed by the file's
    path, size, mtime and the target size), so a rebuild does not decode a big photo again."""
    from deckgen.cachedir import find_project_root
    from deckgen.cachedir import cache_root
    from deckgen.render.cache import FigureCache, figure_key

    px = target_px(w_emu, h_emu)
    p = Path(path)
    st = p.stat()
    cache = FigureCache(cache_root(find_project_root(p)) / "figures")
    key = figure_key("pptx-picture", str(p.resolve()), str(st.st_mtime_ns), str(st.st_size), f"{px}")
    for ext in ("png", "jpg"):
        hit = cache.get(key, ext)
        if hit is not None:
            return hit.read_bytes(), ext
    if path.lower().endswith(".svg"):
        data, ext = svg_picture(path, w_emu, h_emu), "png"
    else:
        data, ext = prepare(path, px)
        if ext in ("gif",) or len(data) == st.st_size:
            return data, ext                     # passed through unchanged: nothing to keep
    try:
        cache.put(key, ext, data)
    except OSError:
        pass                                     # a read-only project still builds
    return data, ext


HANDOUT_MAX_PX = (2000, 2000)
"""A handout page is ~7 inches wide: 2000 px is ~280 dpi across it."""


def handout_file(path: str, cache_dir: Path) -> str:
    """The file the handout should embed for the raster image at *path*: the file itself when
    it needs no change, else an oriented, converted, downscaled copy in *cache_dir*.
    SVG files are returned as they are (WeasyPrint draws them as vectors)."""
    from deckgen.render.cache import FigureCache, figure_key

    if path.lower().endswith(".svg"):
        return path
    st = Path(path).stat()
    key = figure_key("handout-raster", str(Path(path).resolve()), str(st.st_mtime_ns), str(st.st_size))
    cache = FigureCache(cache_dir)
    for ext in ("png", "jpg", "same"):
        hit = cache.get(key, ext)
        if hit is not None:
            return path if ext == "same" else str(hit)
    data, ext = prepare(path, HANDOUT_MAX_PX)
    if data is not None and len(data) == st.st_size and data == Path(path).read_bytes():
        cache.put(key, "same", b"1")
        return path
    return str(cache.put(key, ext, data))
