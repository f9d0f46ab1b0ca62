"""Hostile builds in a subprocess with resource limits (address space and wall clock).

A bound that holds in-process could still be blown by a library the build calls;
only a child with RLIMIT_AS set shows that the whole command stays within budget.
"""
from __future__ import annotations

import os
import resource
import struct
import subprocess
import sys
import time
import zlib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MEMORY_BUDGET = 700 * 1024 * 1024
"""Address space of a hostile build: a normal note builds in ~400 MB of it; a decoded
108 Mpx RGBA picture alone needs 432 MB more."""


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str
    seconds: float


def bounded_build(args: list[str], cwd: Path, *, memory: int = MEMORY_BUDGET, timeout: float = 90,
                  env: dict[str, str] | None = None) -> Run:
    """`deckgen ARGS` in a child limited to *memory* bytes of address space and *timeout* seconds."""
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    start = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "deckgen", *args], cwd=cwd, capture_output=True, text=True,
                       timeout=timeout, preexec_fn=limit,
                       env={**os.environ, **(env or {})})
    return Run(r.returncode, r.stdout, r.stderr, time.perf_counter() - start)


def huge_png(path: Path, width: int, height: int) -> None:
    """An RGBA PNG of width x height white pixels written row by row (never held in memory):
    108 Mpx compress to a few hundred KB."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    z = zlib.compressobj(9)
    row = b"\x00" + b"\xff" * (width * 4)
    body = b"".join(z.compress(row) for _ in range(height)) + z.flush()
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", body) + chunk(b"IEND", b""))
