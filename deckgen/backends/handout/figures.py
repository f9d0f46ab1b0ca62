"""Pictures, diagrams and formulas in the handout: <figure> with the alt text, sized from the
Markdown attributes, rasters prepared for print (render.raster), a placeholder when missing."""
from __future__ import annotations

import html
import re
from pathlib import Path

from deckgen.backends.handout.inline import LONG_WORD, wrap_words
from deckgen.backends.handout.sandbox import Roots
from deckgen.cachedir import cache_root
from deckgen.diagnostics import Diagnostics
from deckgen.bounds.limits import short_text
from deckgen.model import Image, Inline, SourceSpan, plain_text
from deckgen.theme.load import Theme

__all__ = ["FigureWriter", "ALIGNS"]

ALIGNS = {"left", "center", "right", "justify"}
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(px|%|pt|mm|cm|in|em)?\s*$")


class FigureWriter:
    """The image part of the HTML writer (a mixin: HtmlWriter provides the state below)."""

    theme: Theme
    diags: Diagnostics
    roots: Roots
    source: SourceSpan

    def inline(self, spans: Inline, *, links: bool = True, footnotes: bool = False,
               joiners: bool = True, long_word: int = LONG_WORD) -> str:
        raise NotImplementedError

    def image(self, img: Image) -> str:
        style = self._image_style(img)
        align = f" align-{img.align}" if img.align in ALIGNS else ""
        caption = f"<figcaption>{self.inline(img.caption)}</figcaption>" if img.caption else ""
        path = self.roots.base / img.path if img.path else None
        if path is not None and not self.roots.allows(path):
            self.diags.warning("image-outside", f"image {img.src!r} is outside the note folder; "
                               "the handout shows a placeholder", self.source)
            path = None
        if path is None or not path.is_file():
            return f'<figure class="figure missing{align}">{self._placeholder(img, style)}{caption}</figure>'
        path = self._prepared(path, img)
        if path is None:
            return f'<figure class="figure missing{align}">{self._placeholder(img, style)}{caption}</figure>'
        src = html.escape(path.resolve().as_uri())
        return (f'<figure class="figure{align}"><img src="{src}" alt="{html.escape(self._alt(img))}"'
                f'{style}>{caption}</figure>')

    def _alt(self, img: Image) -> str:
        """The picture's alternate description in the tagged PDF: the Markdown alt text; else its
        caption, else its file name, with a note (PDF/UA requires one on every figure)."""
        if img.alt.strip():
            return img.alt.strip()
        fallback = plain_text(img.caption).strip() or Path(img.src).name or "그림"
        self.diags.info("image-alt-missing", f"image {short_text(img.src)!r} has no alt text; screen "
                        f"readers get {short_text(fallback)!r} (write ![what it shows](file))", self.source)
        return fallback

    def _prepared(self, path: Path, img: Image) -> Path | None:
        """A raster picture oriented, converted and downscaled for the page (render.raster);
        SVG files and rendered diagrams are drawn as they are, as vectors.  None (a placeholder
        and a warning) when it cannot be prepared: the file itself is never handed to WeasyPrint
        then, since it would decode it in full (a 108 Mpx PNG is 922 MB)."""
        from deckgen.render.raster import RasterError, handout_file

        if img.kind != "picture":
            return path
        try:
            return Path(handout_file(str(path), cache_root(self.roots.base) / "figures"))
        except (RasterError, OSError) as e:
            self.diags.warning("image-unreadable", f"image {path.name}: {e}; the handout shows a "
                               "placeholder", img.source or self.source)
            return None

    def _image_style(self, img: Image) -> str:
        if img.kind == "math" and img.pixel_size:   # formulas follow the handout's text size
            from deckgen.render import math_em_px
            em = math_em_px(self.theme.sizes.body)
            return f' style="width: {img.pixel_size[0] / em:.3f}em; height: {img.pixel_size[1] / em:.3f}em"'
        rules = []
        for prop, value in (("width", img.width), ("height", img.height)):
            if not value:
                continue
            m = _SIZE.match(value)
            if m:
                rules.append(f"{prop}: {m[1]}{m[2] or 'px'}")
            else:
                self.diags.warning("image-size", f"image {prop} {value!r} is not a size like "
                                   "'300', '300px' or '50%'; ignored in the handout", self.source)
        return f' style="{"; ".join(rules)}"' if rules else ""

    def _placeholder(self, img: Image, style: str) -> str:
        alt = f'<span class="missing-alt">{wrap_words(img.alt)}</span>' if img.alt else ""
        return (f'<div class="image-missing"{style}><span class="missing-label">이미지 없음</span>'
                f'{alt}<span class="missing-src">{wrap_words(short_text(img.src))}</span></div>')

