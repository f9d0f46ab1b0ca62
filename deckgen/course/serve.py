"""``deckgen watch --serve``: the output folder on 127.0.0.1 only, with a page listing its
decks and handouts (the lecturer opens the fresh deck from a browser)."""
from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

__all__ = ["serve"]


class _Handler(http.server.SimpleHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        if self.path.split("?")[0] in ("/", "/__deckgen__"):
            from deckgen.course.pack import listing_html
            body = listing_html(Path(self.directory)).encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()

    def log_message(self, format: str, *args) -> None:  # quiet: the build lines matter more
        pass


def serve(out_dir: Path, port: int) -> http.server.ThreadingHTTPServer:
    """Serve *out_dir* on 127.0.0.1 (never other interfaces) in a daemon thread."""
    out_dir.mkdir(parents=True, exist_ok=True)
    handler = functools.partial(_Handler, directory=str(out_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True, name="deckgen-serve").start()
    return server
