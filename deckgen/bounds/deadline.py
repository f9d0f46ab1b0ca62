"""Run one stage in a forked child that is killed at a wall-clock limit.

WeasyPrint's layout is long-running Python and C (Pango) code that cannot be
interrupted from a thread; a child process can always be stopped.  Forking
shares everything already loaded (theme, fonts, imported WeasyPrint), so the
child starts at once; only the result travels back, pickled through a pipe.
Where fork does not exist the stage simply runs in-process, without the limit.

`deckgen watch` can also stop a child early, when the note it typesets is saved
again (`stop_when`): the child gets SIGTERM, which unwinds it as an exception
(so a cache file it was writing atomically is removed, not left half-written),
and SIGKILL if it has not ended a second later.

The child may also report how far it got (report_progress: a number, such as the pages laid
out so far) through a second pipe; the parent hands the latest to its *on_progress* callback.
The limit counts from the last report: a child that keeps reporting may run past it, up to an
absolute *ceiling*, so a long note's handout is not lost while a stalled one is still stopped.
A report of LAST_STAGE says the child entered a last stage that reports nothing (writing the
PDF of every page laid out, which takes longer the more pages there are): from then only the
ceiling applies.
Time the parent spends inside *stop* (watch mode builds another note's deck there) counts for
neither: the child was not being watched meanwhile.
"""
from __future__ import annotations

import gc
import os
import pickle
import select
import shutil
import signal
import struct
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

POLL_SECONDS = 0.05
"""How often a stoppable stage asks whether its input was superseded."""
WATCH_NICENESS = 10
"""How much lower a stoppable (watch-mode) child's CPU priority is than its parent's."""
TERM_GRACE_SECONDS = 1.0
"""How long a stopped child may take to unwind after SIGTERM before it is killed."""

LAST_STAGE = 0
"""The report that starts the child's last, silent stage (see above)."""
_PROGRESS = struct.Struct("!i")
_progress_fd: int | None = None
"""In a child started by run_with_deadline: where report_progress writes."""


class DeadlineExceeded(Exception):
    """The stage ran past its limit and was stopped: *stalled* when no report came for the
    limit's seconds (*progress* is the last one heard, None if none), else past the ceiling."""

    def __init__(self, stalled: bool = True, progress: int | None = None):
        super().__init__("stalled" if stalled else "past the ceiling")
        self.stalled, self.progress = stalled, progress


class ChildFailed(Exception):
    """The child died without a result (killed by the system, out of memory...)."""


class Superseded(Exception):
    """The stage's input changed while it ran (a new save under watch): it was stopped on purpose."""


class _Terminated(BaseException):
    """Raised in a child by SIGTERM, so that `finally` and `except BaseException` clean-ups run."""


_stop_check: tuple[int, Callable[[Path], bool]] | None = None


def stop_when(check: Callable[[Path], bool] | None) -> None:
    """Install *check* (None removes it): stoppable stages of this process ask it, with their
    note's resolved path, whether a newer version of the note is waiting.  Processes forked
    later (build workers) ignore it: its state lives in this process's threads."""
    global _stop_check
    _stop_check = None if check is None else (os.getpid(), check)


def stop_test(note: Path) -> Callable[[], bool] | None:
    """The test a stage working on *note* polls, or None when nothing can supersede it."""
    if _stop_check is None or _stop_check[0] != os.getpid():
        return None
    check = _stop_check[1]
    return lambda: check(note)


def run_with_deadline(fn: Callable[[], T], seconds: float, stop: Callable[[], bool] | None = None,
                      on_progress: Callable[[int], None] | None = None, ceiling: float | None = None) -> T:
    """``fn()`` run in a forked child; its result, or its exception re-raised here.

    DeadlineExceeded when it has reported no progress for *seconds* (from its start or its last
    report_progress) or is still running after *ceiling* seconds (default: *seconds*; the child
    is killed);
    Superseded when *stop* () turned true meanwhile (the child is terminated, then reaped).
    *on_progress* hears each number the child passes to report_progress, in the parent."""
    if not hasattr(os, "fork"):
        return fn()
    read_fd, write_fd = os.pipe()
    progress_read, progress_write = os.pipe()
    parent = os.getpid()
    # the child's temporary files (WeasyPrint copies a render's fonts, 18 MB, into one) go in a
    # folder this process removes once the child has ended: a killed child cannot clean up
    scratch = tempfile.mkdtemp(prefix="deckgen-child-")
    pid = os.fork()
    if pid == 0:                                    # the child: never returns
        global _progress_fd
        os.close(read_fd)
        os.close(progress_read)
        tempfile.tempdir = scratch
        _progress_fd = progress_write
        _die_with(parent)
        if stop is not None:                        # under watch: the next save's deck comes first
            _lower_priority()
        _child(fn, write_fd)
    os.close(write_fd)
    os.close(progress_write)
    try:
        clock = _Clock(seconds, max(seconds, ceiling or seconds))
        data = _read_until(read_fd, clock, stop, (progress_read, on_progress))
    except Superseded:
        _terminate(pid)
        raise
    except BaseException:                           # the limit, or Ctrl-C: the child goes too
        os.kill(pid, signal.SIGKILL)
        raise
    finally:
        os.close(read_fd)
        os.close(progress_read)
        _reap(pid)
        shutil.rmtree(scratch, ignore_errors=True)
    if not data:
        raise ChildFailed("the handout process ended without a result")
    ok, value = pickle.loads(data)
    if ok:
        return value
    raise value


def report_progress(value: int) -> None:
    """From inside run_with_deadline's child: tell the parent how far the work got (a few bytes
    through a pipe); does nothing anywhere else."""
    if _progress_fd is not None:
        try:
            os.write(_progress_fd, _PROGRESS.pack(value))
        except OSError:                             # the parent stopped listening: carry on
            pass


def _child(fn: Callable[[], object], write_fd: int) -> None:
    code = 0
    try:
        signal.signal(signal.SIGTERM, _raise_terminated)
    except ValueError:                              # not the main thread: SIGTERM simply ends it
        pass
    # fresh stream objects: a parent thread (the progress line) may have held the old ones' locks
    # at the moment of the fork; the child reports through its result, never by printing
    sys.stdout = sys.stderr = open(os.devnull, "w")  # noqa: SIM115 (lives until os._exit)
    # what the parent holds stays alive in it: the child's full collections need not walk it (a
    # handout child's one full collection took 0.07 s of CPU over a worker's 90,000 objects, 0.01 s
    # frozen) nor write into its pages, which copy-on-write would then copy
    gc.freeze()
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


def _raise_terminated(signum: int, frame: object) -> None:
    raise _Terminated()


def _terminate(pid: int) -> None:
    """SIGTERM, a moment to unwind, then SIGKILL; the child is reaped either way."""
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    end = time.monotonic() + TERM_GRACE_SECONDS
    while time.monotonic() < end:
        try:
            done, _ = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            return
        if done:
            return
        time.sleep(0.01)
    os.kill(pid, signal.SIGKILL)


def _lower_priority() -> None:
    """A stoppable child (a handout under `deckgen watch`) runs at a lower CPU priority, so that
    a deck the watch builds meanwhile (another note saved) is not slowed by it."""
    try:
        os.nice(WATCH_NICENESS)
    except (OSError, AttributeError):
        pass


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


class _Clock:
    """The two limits of a child: *stall* seconds without a report, *ceiling* seconds in all."""

    def __init__(self, stall: float, ceiling: float):
        now = time.monotonic()
        self.stall, self.last, self.end = stall, now, now + ceiling
        self.progress: int | None = None

    def left(self) -> float:
        """Seconds until a limit is reached; DeadlineExceeded once one is."""
        now = time.monotonic()
        if now >= self.last + self.stall:
            raise DeadlineExceeded(True, self.progress)
        if now >= self.end:
            raise DeadlineExceeded(False, self.progress)
        return min(self.end, self.last + self.stall) - now

    def heard(self, value: int) -> None:
        self.last = time.monotonic()
        if value == LAST_STAGE:
            self.stall = float("inf")          # the ceiling alone from now on
        else:
            self.progress = value

    def pause(self, since: float) -> None:
        """The parent was busy elsewhere since *since*: that time counts for neither limit."""
        away = time.monotonic() - since
        self.last += away
        self.end += away


def _read_until(fd: int, clock: _Clock, stop: Callable[[], bool] | None = None,
                progress: tuple[int, Callable[[int], None] | None] | None = None) -> bytes:
    """The child's result from *fd*; meanwhile the latest of its reports on *progress*'s pipe
    goes to its callback (and restarts the stall limit of *clock*)."""
    chunks: list[bytes] = []
    waiting = [fd] if progress is None else [fd, progress[0]]
    pending = b""

    def hear(value: int) -> None:
        clock.heard(value)
        if progress is not None and progress[1] is not None:
            progress[1](value)

    while True:
        left = clock.left()
        if stop is not None:
            asked = time.monotonic()
            stopped = stop()
            clock.pause(asked)
            if stopped:
                raise Superseded()
        ready, _, _ = select.select(waiting, [], [], left if stop is None else min(left, POLL_SECONDS))
        if progress is not None and progress[0] in ready:
            pending = _hear(progress[0], pending, hear, waiting)
        if fd not in ready:
            continue
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _hear(fd: int, pending: bytes, on_progress: Callable[[int], None] | None, waiting: list[int]) -> bytes:
    """Read the child's reports; hand on the latest whole one, keep a partial one for later."""
    news = os.read(fd, 4096)
    if not news:                                    # the child closed it (it is ending)
        waiting.remove(fd)
    pending += news
    whole = len(pending) - len(pending) % _PROGRESS.size
    if whole and on_progress is not None:
        on_progress(_PROGRESS.unpack_from(pending, whole - _PROGRESS.size)[0])
    return pending[whole:]


def _reap(pid: int) -> None:
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass
