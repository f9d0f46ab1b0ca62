"""One bounded HTTP(S) download for `--fetch-images`.

Every hop of a redirect chain is checked again (http/https only, a host whose
every address is public); the connection goes to the address that was checked,
so a second DNS answer cannot point it inside the network (DNS rebinding).  The
whole download, redirects included, has one wall-clock deadline and one size
cap: a server dripping a byte every few seconds is cut off at the deadline.
"""
from __future__ import annotations

import http.client
import ipaddress
import os
import socket
import ssl
import threading
import time
from urllib.parse import urljoin, urlsplit

from deckgen.bounds.limits import MB, Limits

MAX_REDIRECTS = 5
CHUNK = 64 * 1024
ALLOW_LOOPBACK_ENV = "DECKGEN_TEST_ALLOW_LOOPBACK"
"""Test-only: set to 1 to let the test suite's loopback servers through (never in real use)."""


class DownloadError(Exception):
    pass


def _refused(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if ip.is_loopback and os.environ.get(ALLOW_LOOPBACK_ENV) == "1":
        return False
    mapped = getattr(ip, "ipv4_mapped", None)
    if mapped is not None:
        return _refused(mapped)
    return (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast or ip.is_reserved
            or ip.is_unspecified or not ip.is_global)


def public_address(host: str, port: int, deadline: float) -> str:
    """The first address of *host*, after checking that every address it resolves to is public."""
    if time.monotonic() >= deadline:
        raise DownloadError("time limit reached")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as e:
        raise DownloadError(f"cannot resolve {host}: {e}") from None
    addresses = [str(info[4][0]) for info in infos]
    for a in addresses:
        ip = ipaddress.ip_address(a.split("%", 1)[0])
        if _refused(ip):
            raise DownloadError(f"{host} is a private, loopback, link-local or reserved address ({ip}); "
                                "not fetched")
    if not addresses:
        raise DownloadError(f"cannot resolve {host}")
    return addresses[0]


class _PinnedHTTP(http.client.HTTPConnection):
    """An HTTP connection to an address checked beforehand (the Host header keeps the name)."""

    def __init__(self, host: str, port: int, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPS(_PinnedHTTP):
    def connect(self) -> None:
        super().connect()
        context = ssl.create_default_context()
        self.sock = context.wrap_socket(self.sock, server_hostname=self.host)


def _read_body(resp: http.client.HTTPResponse, conn: _PinnedHTTP, deadline: float, cap: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise DownloadError("time limit reached while downloading")
        if conn.sock is not None:
            conn.sock.settimeout(left)
        chunk = resp.read1(CHUNK) if hasattr(resp, "read1") else resp.read(CHUNK)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > cap:
            raise DownloadError(f"larger than {cap / MB:g} MB (limits.fetch_max_mb)")
        chunks.append(chunk)


def _hop(url: str, deadline: float, cap: int) -> tuple[int, str, str, bytes]:
    """(status, Location, Content-Type, body) of one request; the body only for a 200."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise DownloadError(f"only http and https URLs are fetched, not {short(url)}")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    address = public_address(parts.hostname, port, deadline)
    cls = _PinnedHTTPS if parts.scheme == "https" else _PinnedHTTP
    conn = cls(parts.hostname, port, address, timeout=max(0.1, deadline - time.monotonic()))
    # a server dripping its headers a byte at a time defeats per-read timeouts: at the deadline
    # the socket is shut down from a timer, and whatever read is waiting fails at once
    timer = threading.Timer(max(0.0, deadline - time.monotonic()), _abort, (conn,))
    timer.daemon = True
    timer.start()
    try:
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        conn.request("GET", path, headers={"User-Agent": "deckgen", "Accept": "image/*"})
        resp = conn.getresponse()
        mime = (resp.headers.get_content_type() or "").lower()
        body = _read_body(resp, conn, deadline, cap) if resp.status == 200 else b""
        return resp.status, resp.headers.get("Location", ""), mime, body
    finally:
        timer.cancel()
        conn.close()


def _abort(conn: _PinnedHTTP) -> None:
    sock = conn.sock
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def download(url: str, limits: Limits, accept: set[str]) -> tuple[str, bytes]:
    """(content type, body) of *url*, within limits.fetch_seconds and limits.fetch_bytes in total.

    DownloadError says why not (a refused address, a bad redirect, a type not in *accept*)."""
    deadline = time.monotonic() + limits.fetch_seconds
    for _ in range(MAX_REDIRECTS + 1):
        try:
            status, location, mime, body = _hop(url, deadline, limits.fetch_bytes)
        except DownloadError:
            raise
        except (OSError, http.client.HTTPException, ValueError) as e:
            if time.monotonic() >= deadline:
                raise DownloadError(f"time limit of {limits.fetch_seconds:g} s reached "
                                    "(limits.fetch_timeout)") from None
            raise DownloadError(f"{type(e).__name__}: {e}") from None
        if status in (301, 302, 303, 307, 308) and location:
            url = urljoin(url, location)            # checked again, like the first hop
            continue
        if status != 200:
            raise DownloadError(f"the server answered {status}")
        if mime not in accept:
            raise DownloadError(f"{mime or 'no type'}, not an image type deckgen draws")
        return mime, body
    raise DownloadError(f"more than {MAX_REDIRECTS} redirects")


def short(url: str, limit: int = 100) -> str:
    return url if len(url) <= limit else url[:limit - 1] + "…"
