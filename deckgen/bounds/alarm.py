"""A wall-clock limit on code running in this process: SIGALRM raises in the main thread.

The handout is typeset in a forked child that can always be killed (deadline.py); everything
before it (reading, figures, layout, the deck writer) runs in the building process, where one
stuck stage (a formula that made ziamath loop for minutes) hung its note, and in a course build
a pool worker, so the batch never finished.  ``time_limit`` bounds such a stage:

    with time_limit(10.0):
        draw()                  # TimeLimitExceeded out of the with after 10 s

How it works: ``signal.setitimer(ITIMER_REAL)`` and a SIGALRM handler that raises ``_Expired``
(a BaseException, so no ``except Exception`` on the way, in our code or a library's, swallows
it); the ``with`` that owns it turns it into ``TimeLimitExceeded`` (an ordinary Exception) as it
leaves.  ``finally`` blocks and ``except BaseException`` clean-ups run on the way out, so an
atomic write under way removes its temporary file.

What it can and cannot stop:
- Python code (ziamath, markdown-it, our layout loops) is interrupted between two bytecodes.
- A long call into C (a regex, a Pillow decode, cairo) is interrupted only when it returns to
  Python; a wait in a system call (select, waitpid, read) is woken at once (PEP 475 runs the
  handler), so ``subprocess.run(timeout=...)`` stops and kills its child, as on Ctrl-C.
- Code that catches BaseException (or uses a bare ``except:``) and carries on would swallow the
  alarm; none of the libraries on the limited path do (ziamath, latex2mathml, markdown-it,
  python-pptx), and our own clean-ups re-raise.
- Off the main thread, or where SIGALRM does not exist (Windows), signals cannot be used: the
  limit does nothing there and the code simply runs to its end.

Nesting: the limits in force form a stack with one handler; the timer is armed for the earliest
deadline on it, and when it rings the outermost limit whose time is up raises (it passes through
the inner ``with`` statements untouched).  An inner limit never cancels an outer one; leaving the
last one puts back the handler and the timer found before the first (someone else's SIGALRM use,
called when its own time comes).

Processes: a forked child (run_with_deadline, pool workers) inherits the handler but not the
timer (POSIX: itimers are not inherited), so nothing fires in it unless it sets a limit itself.
Threads: only the main thread runs signal handlers; watch mode's watcher and the preview
server's threads never see the alarm, and builds run in the main thread.
"""
from __future__ import annotations

import math
import os
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

__all__ = ["TimeLimitExceeded", "time_limit", "can_limit"]

SOON = 1e-6
"""setitimer(0) disarms the timer: a deadline already passed is armed this far ahead instead."""


class TimeLimitExceeded(Exception):
    """The code under ``time_limit(seconds)`` ran past *seconds* of wall clock and was stopped."""

    def __init__(self, seconds: float):
        super().__init__(f"stopped after {seconds:g} s")
        self.seconds = seconds


class _Expired(BaseException):
    """Raised by the alarm inside the limited code; a BaseException so that no ``except Exception``
    between the alarm and its ``with`` takes it for an ordinary error of the code it stopped."""

    def __init__(self, owner: _Alarm):
        super().__init__("time limit reached")
        self.owner = owner


def can_limit() -> bool:
    """Whether time_limit can stop code here: SIGALRM exists and this is the main thread."""
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


class _Alarm:
    """One limit in force: its deadline, and whether it has rung."""

    def __init__(self, seconds: float):
        self.deadline = time.monotonic() + seconds
        self.fired = False


class _Stack:
    """The limits in force in this process, outermost first, and the SIGALRM use found before them."""

    def __init__(self) -> None:
        self.pid = 0
        self.alarms: list[_Alarm] = []
        self.handler: Any = signal.SIG_DFL
        self.foreign: float | None = None
        """When the timer found armed before the first limit was due; None when none was."""
        self.interval = 0.0

    def push(self, alarm: _Alarm) -> None:
        if self.pid != os.getpid():            # a forked child: the parent's limits are not its own
            self.pid, self.alarms = os.getpid(), []
        if not self.alarms:
            self.handler = signal.getsignal(signal.SIGALRM)
            delay, self.interval = signal.getitimer(signal.ITIMER_REAL)
            self.foreign = time.monotonic() + delay if delay > 0 else None
            signal.signal(signal.SIGALRM, self.ring)
        self.alarms.append(alarm)
        self.arm()

    def pop(self, alarm: _Alarm) -> None:
        signal.setitimer(signal.ITIMER_REAL, 0)
        self.alarms.remove(alarm)
        if self.alarms:
            self.arm()
            return
        signal.signal(signal.SIGALRM, self.handler)
        if self.foreign is not None:
            signal.setitimer(signal.ITIMER_REAL, max(self.foreign - time.monotonic(), SOON), self.interval)

    def arm(self) -> None:
        dues = [a.deadline for a in self.alarms if not a.fired]
        if self.foreign is not None:
            dues.append(self.foreign)
        if dues:
            signal.setitimer(signal.ITIMER_REAL, max(min(dues) - time.monotonic(), SOON))

    def ring(self, signum: int, frame: FrameType | None) -> None:
        """The SIGALRM handler: the outermost limit whose time is up raises; else wait on."""
        now = time.monotonic()
        if self.foreign is not None and now >= self.foreign:
            self.foreign = now + self.interval if self.interval > 0 else None
            if callable(self.handler):
                self.handler(signum, frame)
        for alarm in self.alarms:
            if not alarm.fired and now >= alarm.deadline:
                alarm.fired = True
                self.arm()
                raise _Expired(alarm)
        self.arm()


_STACK = _Stack()


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Run the ``with`` body for at most *seconds* of wall clock, else raise TimeLimitExceeded.

    None, zero, a negative or an infinite limit means none.  Off the main thread or without
    SIGALRM it does nothing (see can_limit): the body runs unbounded.  Limits nest."""
    if seconds is None or seconds <= 0 or math.isinf(seconds) or not can_limit():
        yield
        return
    alarm = _Alarm(seconds)
    try:
        _STACK.push(alarm)
        yield
    except _Expired as e:
        if e.owner is not alarm:
            raise
        raise TimeLimitExceeded(seconds) from None
    finally:
        if alarm in _STACK.alarms:
            _STACK.pop(alarm)
