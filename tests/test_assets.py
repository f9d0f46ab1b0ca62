"""Image references: data: URIs, opt-in remote images, NFC/NFD names, the project boundary."""
from __future__ import annotations

import base64
import http.server
import io
import threading
import unicodedata
from pathlib import Path

import pytest
from PIL import Image as PILImage

from deckgen.read.assets import AssetResolver
from deckgen.diagnostics import Diagnostics
from deckgen.bounds.limits import Limits
from deckgen.read.download import ALLOW_LOOPBACK_ENV
from deckgen.model import SourceSpan

WHERE = SourceSpan("n.md", 3)


def png_bytes(w: int = 40, h: int = 20) -> bytes:
    buf = io.BytesIO()
    PILImage.new("RGB", (w, h), "navy").save(buf, "PNG")
    return buf.getvalue()


def resolver(tmp_path: Path, **kw) -> AssetResolver:
    return AssetResolver(tmp_path / "n.md", tmp_path, **kw)


def test_data_uri_becomes_a_file(tmp_path) -> None:
    uri = "data:image/png;base64," + base64.b64encode(png_bytes()).decode()
    diags = Diagnostics()
    path = resolver(tmp_path).resolve(uri, WHERE, diags)
    assert path and PILImage.open(path).size == (40, 20) and not diags.items


@pytest.mark.parametrize("uri, reason", [
    ("data:text/html;base64,PHNjcmlwdD4=", "not an image type"),
    ("data:image/png;base64," + "A" * (Limits().max_data_uri_bytes * 2), "over the 5 MB limit"),
    ("data:image/png;base64", "malformed"),
])
def test_bad_data_uris_warn(tmp_path, uri, reason) -> None:
    diags = Diagnostics()
    assert resolver(tmp_path).resolve(uri, WHERE, diags) is None
    assert [d.code for d in diags.items] == ["image-unavailable"] and reason in diags.items[0].message
    assert diags.items[0].format().startswith("n.md:3: warning:")


@pytest.fixture()
def server():
    body = png_bytes(30, 30)
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            if self.path == "/pic.png":
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.end_headers()
                self.wfile.write(body)
            else:
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.end_headers()
                self.wfile.write(b"<html></html>")

        def log_message(self, *a):
            pass

    httpd = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    t = threading.Thread(target=httpd.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", hits
    httpd.shutdown()


def test_remote_images_are_not_fetched_by_default(tmp_path, server) -> None:
    base, hits = server
    diags = Diagnostics()
    assert resolver(tmp_path).resolve(f"{base}/pic.png", WHERE, diags) is None
    assert hits == [] and diags.items[0].code == "image-remote" and "--fetch-images" in diags.items[0].message


def test_remote_images_when_asked(tmp_path, server, monkeypatch) -> None:
    base, hits = server
    diags = Diagnostics()
    r = resolver(tmp_path, fetch_remote=True)
    assert r.resolve(f"{base}/pic.png", WHERE, diags) is None and hits == []    # loopback: refused
    assert "127.0.0.1 is a private, loopback" in diags.items[-1].message
    monkeypatch.setenv(ALLOW_LOOPBACK_ENV, "1")                                # the test-only override
    path = r.resolve(f"{base}/pic.png", WHERE, diags)
    assert path and PILImage.open(path).size == (30, 30)
    assert r.resolve(f"{base}/page.html", WHERE, diags) is None
    assert "not an image type" in diags.items[-1].message


def test_nfd_file_names_match_nfc_references(tmp_path) -> None:
    name = unicodedata.normalize("NFD", "가상화.png")
    (tmp_path / name).write_bytes(png_bytes())
    diags = Diagnostics()
    assert resolver(tmp_path).resolve("가상화.png", WHERE, diags) and not diags.items


def test_nothing_outside_the_root_is_read(tmp_path) -> None:
    (tmp_path / "outside.png").write_bytes(png_bytes())
    root = tmp_path / "project"
    root.mkdir()
    diags = Diagnostics()
    assert AssetResolver(root / "n.md", root).resolve("../outside.png", WHERE, diags) is None
    assert diags.items[0].code == "image-outside"


def test_data_uri_images_reach_both_outputs(tmp_path) -> None:
    from conftest import build
    uri = "data:image/png;base64," + base64.b64encode(png_bytes(120, 60)).decode()
    note = tmp_path / "d.md"
    note.write_text(f"# 데이터\n\n## 그림\n\n![인라인 그림]({uri})\n", encoding="utf-8")
    r = build(note, tmp_path / "out")
    assert r.returncode == 0 and "warning" not in r.stderr, r.stderr
    import zipfile
    with zipfile.ZipFile(tmp_path / "out" / "d.pptx") as z:
        assert [n for n in z.namelist() if n.startswith("ppt/media/")]
    from conftest import run
    images = run(["pdfimages", "-list", str(tmp_path / "out" / "d.pdf")]).stdout.splitlines()[2:]
    assert images, "the handout should draw the data: image"


def test_unwritable_projects_cache_elsewhere(tmp_path, monkeypatch) -> None:
    from deckgen.cachedir import cache_root
    project = tmp_path / "course"
    project.mkdir()
    (project / ".deckgen-cache").write_text("not a folder", encoding="utf-8")   # cannot hold a cache
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    cache_root.cache_clear()
    try:
        folder = cache_root(project)
        assert folder.is_relative_to(tmp_path / "xdg" / "deckgen")
    finally:
        cache_root.cache_clear()


def test_fetch_images_flag_reaches_the_build(tmp_path, server, monkeypatch) -> None:
    from conftest import build
    base, hits = server
    note = tmp_path / "r.md"
    note.write_text(f"# 원격\n\n## 그림\n\n![원격 그림]({base}/pic.png)\n", encoding="utf-8")
    r = build(note, tmp_path / "a", "--format", "pptx")
    assert r.returncode == 0 and "r.md:5: warning: remote image" in r.stderr and hits == []
    r = build(note, tmp_path / "b", "--format", "pptx", "--fetch-images")
    assert r.returncode == 0 and "loopback" in r.stderr and hits == []
    monkeypatch.setenv(ALLOW_LOOPBACK_ENV, "1")
    r = build(note, tmp_path / "c", "--format", "pptx", "--fetch-images")
    assert r.returncode == 0 and "warning" not in r.stderr and hits == ["/pic.png"]
