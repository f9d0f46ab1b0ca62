"""--fetch-images bounds (issue 10 item 15): one deadline for the whole download, a size cap,
every redirect hop checked again, private/loopback/link-local/multicast/reserved refused."""
from __future__ import annotations

import ipaddress
import socket
import threading
import time
from pathlib import Path

import pytest

from bounded import bounded_build
from deckgen.bounds.limits import Limits
from deckgen.read.download import ALLOW_LOOPBACK_ENV, DownloadError, _refused, download

IMAGE = {"image/png"}


@pytest.mark.parametrize("address, refused", [
    ("10.0.0.1", True), ("172.16.5.4", True), ("192.168.1.1", True), ("127.0.0.1", True),
    ("169.254.169.254", True), ("100.64.0.1", True), ("224.0.0.1", True), ("240.0.0.1", True),
    ("0.0.0.0", True), ("::1", True), ("fe80::1", True), ("fc00::1", True), ("ff02::1", True),
    ("::ffff:127.0.0.1", True), ("::ffff:10.1.2.3", True),
    ("93.184.216.34", False), ("2606:2800:220:1:248:1893:25c8:1946", False),
])
def test_addresses_that_are_not_public_are_refused(address, refused, monkeypatch) -> None:
    monkeypatch.delenv(ALLOW_LOOPBACK_ENV, raising=False)
    assert _refused(ipaddress.ip_address(address)) is refused


class RawServer:
    """A loopback server answering every connection with *respond(conn, path)*."""

    def __init__(self, respond):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.respond = respond
        self.paths: list[str] = []
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self.handle, args=(conn,), daemon=True).start()

    def handle(self, conn: socket.socket) -> None:
        try:
            path = conn.recv(4096).split(b" ")[1].decode()
            self.paths.append(path)
            self.respond(conn, path)
        except OSError:
            pass
        finally:
            conn.close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def _drip_body(conn, path) -> None:
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n")
    for _ in range(1000):
        conn.sendall(b"x")
        time.sleep(0.3)


def _drip_headers(conn, path) -> None:
    conn.sendall(b"HTTP/1.1 200 OK\r\n")
    for _ in range(1000):
        conn.sendall(b"X")
        time.sleep(0.3)


@pytest.mark.parametrize("respond", [_drip_body, _drip_headers])
def test_a_dripping_server_is_cut_off_at_the_deadline(respond, monkeypatch) -> None:
    monkeypatch.setenv(ALLOW_LOOPBACK_ENV, "1")
    server = RawServer(respond)
    start = time.perf_counter()
    with pytest.raises(DownloadError, match="time limit"):
        download(f"{server.url}/slow.png", Limits(fetch_seconds=1.5), IMAGE)
    assert time.perf_counter() - start < 4


def test_the_size_cap_counts_the_whole_body(monkeypatch) -> None:
    monkeypatch.setenv(ALLOW_LOOPBACK_ENV, "1")

    def big(conn, path) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n" + b"\0" * (3 * 1024 * 1024))

    with pytest.raises(DownloadError, match="larger than 1 MB"):
        download(f"{RawServer(big).url}/big.png", Limits(fetch_bytes=1024 * 1024), IMAGE)


@pytest.mark.parametrize("location, reason", [
    ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a private"),
    ("http://10.0.0.7/x.png", "10.0.0.7 is a private"),
    ("file:///etc/passwd", "only http and https"),
    ("ftp://example.com/x.png", "only http and https"),
])
def test_every_redirect_hop_is_checked_again(location, reason, monkeypatch) -> None:
    monkeypatch.setenv(ALLOW_LOOPBACK_ENV, "1")          # the first hop (the test server) only

    def redirect(conn, path) -> None:
        conn.sendall(f"HTTP/1.1 302 Found\r\nLocation: {location}\r\nContent-Length: 0\r\n\r\n".encode())

    with pytest.raises(DownloadError, match=reason):
        download(f"{RawServer(redirect).url}/r.png", Limits(fetch_seconds=5), IMAGE)


def test_redirect_loops_end(monkeypatch) -> None:
    monkeypatch.setenv(ALLOW_LOOPBACK_ENV, "1")

    def loop(conn, path) -> None:
        conn.sendall(b"HTTP/1.1 302 Found\r\nLocation: /again.png\r\nContent-Length: 0\r\n\r\n")

    server = RawServer(loop)
    with pytest.raises(DownloadError, match="more than 5 redirects"):
        download(f"{server.url}/r.png", Limits(fetch_seconds=5), IMAGE)
    assert len(server.paths) == 6


def test_a_build_with_a_dripping_server_ends_within_its_budget(tmp_path: Path) -> None:
    server = RawServer(_drip_body)
    (tmp_path / "deckgen.toml").write_text("[limits]\nfetch_timeout = 2\n", encoding="utf-8")
    (tmp_path / "n.md").write_text(f"# 원격\n\n## 그림\n\n![느린 그림]({server.url}/slow.png)\n\n끝.\n",
                                   encoding="utf-8")
    r = bounded_build(["build", "n.md", "-o", "out", "--fetch-images"], tmp_path, timeout=60,
                      env={ALLOW_LOOPBACK_ENV: "1"})
    assert r.returncode == 0, r.stderr
    assert "n.md:5: warning: cannot fetch" in r.stderr and "time limit" in r.stderr
    assert r.seconds < 30 and (tmp_path / "out" / "n.pdf").is_file()
