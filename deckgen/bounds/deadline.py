"""Run one stage in a forked child that is killed at a wall-clock limit.

WeasyPrint's layout is long-running Python and C (Pango) code that cannot be
interrupted from a thread; a child process can always be stopped.  Forking
shares everything already loaded (theme, fonts, imported WeasyPrint), so the
child starts at once; only the result travels back, pickled through a pipe.
Where fork does not exist the stage simply runs in-process, without the limit.
"""
from __future__ import annotations

import os
import pickle
import select
import signal
import sys
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


class DeadlineExceeded(Exception):
    """The stage ran past its limit and was stopped."""


class ChildFailed(Exception):
    """The child died without a result (killed by the system, out of memory...)."""


def run_with_deadline(fn: Callable[[], T], seconds: float) -> T:
    """``fn()`` run in a forked child; its result, or its exception re-raised here.

    DeadlineExceeded when it is still running after *seconds* (the child is killed)."""
    if not hasattr(os, "fork"):
        return fn()
    read_fd, write_fd = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:                                    # the child: never returns
        os.close(read_fd)
        _die_with(parent)
        _child(fn, write_fd)
    os.close(write_fd)
    try:
        data = _read_until(read_fd, time.monotonic() + seconds)
    except BaseException:                           # the limit, or Ctrl-C: the child goes too
        os.kill(pid, signal.SIGKILL)
        raise
    finally:
        os.close(read_fd)
        _reap(pid)
    if not data:
        raise ChildFailed("the handout process ended without a result")
    ok, value = pickle.loads(data)
    if ok:
        return value
    raise value


def _child(fn: Callable[[], object], write_fd: int) -> None:
    code = 0
    # fresh stream objects: a parent thread (the progress line) may have held the old ones' locks
    # at the moment of the fork; the child reports through its result, never by printing
    sys.stdout = sys.stderr = open(os.devnull, "w")  # noqa: SIM115 (lives until os._exit)
    try:
        try:
            payload = pickle.dumps((True, fn()), protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException as e:                 # handed to the parent, which decides
            payload = pickle.dumps((False, _picklable(e)), protocol=pickle.HIGHEST_PROTOCOL)
        view = memoryview(payload)
        while view:
            view = view[os.write(write_fd, view):]
    except BaseException:
        code = 1
    finally:
        os._exit(code)                              # no atexit handlers, no flushing of shared buffers


def _die_with(parent: int) -> None:
    """Have the kernel kill this child when its parent dies (a batch worker killed on Ctrl-C
    must not leave a handout typesetting on its own); Linux only, elsewhere a no-op."""
    try:
        import ctypes
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)   # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:                      # it died before prctl took effect
        os._exit(1)


def _picklable(e: BaseException) -> BaseException:
    try:
        pickle.dumps(e)
        return e
    except Exception:
        return RuntimeError(f"{type(e).__name__}: {e}")


def _read_until(fd: int, deadline: float) -> bytes:
    chunks: list[bytes] = []
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise DeadlineExceeded()
        ready, _, _ = select.select([fd], [], [], left)
        if not ready:
            continue
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _reap(pid: int) -> None:
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass
