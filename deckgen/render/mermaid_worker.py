"""A worker process that renders mermaid diagrams with mermaidx (mermaid.js in QuickJS).

Runs as `python -m deckgen.render.mermaid_worker`: one JSON request per line on
stdin ({"source", "config", "font", "font_bold"}), one JSON reply per line on
stdout ({"svg"} or {"error"}).  A separate process so that a hung render can be
killed at its timeout without taking the build with it.

mermaidx measures labels with its bundled DejaVu Sans, which has no Hangul:
Korean labels would be sized with the .notdef width and cut or misplaced.
Here the measurer is replaced by one that reads the theme's Korean font file,
the same font the SVG names and the handout/PowerPoint draw with.
The network is switched off inside this process: mermaid has nothing to fetch.
"""
from __future__ import annotations

import json
import socket
import sys
from functools import lru_cache


def _no_network(*args, **kwargs):
    raise OSError("deckgen: the mermaid renderer has no network access")


class FontMeasurer:
    """mermaidx's TextMeasurer interface, backed by the theme's font files (Pillow/FreeType)."""

    def __init__(self, regular: str, bold: str):
        self.files = {False: regular, True: bold or regular}

    @staticmethod
    def _bold(weight) -> bool:
        try:
            return int(weight or 0) >= 600
        except (TypeError, ValueError):
            return str(weight).strip().lower() in ("bold", "bolder")

    @lru_cache(maxsize=64)      # noqa: B019 -- one Metrics lives as long as the worker process
    def _font(self, bold: bool, size: float):
        from PIL import ImageFont
        return ImageFont.truetype(self.files[bold], 1000)

    def _scale(self, size) -> float:
        return float(size or 16) / 1000

    def width(self, text, size, family, weight, style) -> float:
        return self._font(self._bold(weight), 0).getlength(text or "") * self._scale(size)

    def full(self, text, size, family, weight, style) -> dict:
        f, k = self._font(self._bold(weight), 0), self._scale(size)
        ascent, descent = f.getmetrics()
        x = f.getbbox("x", anchor="ls")
        return {"width": f.getlength(text or "") * k, "ascent": ascent * k, "descent": descent * k,
                "xHeight": -x[1] * k}

    def glyphs(self, text, size, family, weight, style) -> list:
        f, k = self._font(self._bold(weight), 0), self._scale(size)
        out, pen = [], 0.0
        for ch in text or "":
            if not ch.isspace():
                x0, y0, x1, y1 = f.getbbox(ch, anchor="ls")
                out.append([pen * k, x0 * k, x1 * k, y0 * k, y1 * k])
            pen += f.getlength(ch)
        return out

    def foreign_object(self, html, size, family, weight, style) -> dict:
        from mermaidx.engines._common import TextMeasurer
        return TextMeasurer().foreign_object(html, size, family, weight, style)


def main() -> int:
    socket.socket.connect = _no_network          # type: ignore[method-assign]
    socket.create_connection = _no_network
    from mermaidx.engines.quickjs_engine import Engine

    engines: dict[tuple[str, str], Engine] = {}
    for line in sys.stdin:
        req = json.loads(line)
        key = (req.get("font") or "", req.get("font_bold") or "")
        try:
            eng = engines.get(key)
            if eng is None:
                eng = Engine()
                eng.start()
                if key[0]:
                    measurer = FontMeasurer(*key)
                    eng._executor.submit(setattr, eng, "_measurer", measurer).result()
                engines[key] = eng
            svg = eng.render_svg(req["source"], req.get("theme") or "default", req.get("config"), None)
            reply = {"svg": svg}
        except Exception as e:
            reply = {"error": f"{type(e).__name__}: {e}"}
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
