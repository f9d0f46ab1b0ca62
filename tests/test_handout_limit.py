"""The handout's time limit follows its progress: a child that keeps reporting pages runs past
handout_seconds (up to a ceiling that grows with the note's size), one that stalls is stopped;
time the parent spends away (watch mode building another note's deck) counts for neither."""
from __future__ import annotations

import time
from pathlib import Path

import pytest

from deckgen.bounds.deadline import DeadlineExceeded, report_progress, run_with_deadline
from deckgen.bounds.limits import HANDOUT_BYTES_PER_TIMEOUT, Limits, handout_ceiling


def pages(count: int, pause: float, then_sleep: float = 0.0):
    """A child that lays out *count* pages, one every *pause* seconds, then sleeps."""
    def work() -> str:
        for page in range(1, count + 1):
            time.sleep(pause)
            report_progress(page)
        time.sleep(then_sleep)
        return "pdf"
    return work


def test_a_child_that_keeps_reporting_progress_runs_past_the_limit() -> None:
    heard: list[int] = []
    # 80 pages of 0.05 s: four seconds in all, well past the 1.5 s between two pages it is allowed
    assert run_with_deadline(pages(80, 0.05), 1.5, on_progress=heard.append, ceiling=600) == "pdf"
    assert heard[-1] == 80


def test_a_child_that_stalls_is_stopped_and_says_after_which_page() -> None:
    with pytest.raises(DeadlineExceeded) as stopped:
        run_with_deadline(pages(3, 0.01, then_sleep=120), 1.0, ceiling=600)
    assert stopped.value.stalled and stopped.value.progress == 3


def test_a_child_that_reports_forever_is_stopped_at_the_ceiling() -> None:
    with pytest.raises(DeadlineExceeded) as stopped:
        run_with_deadline(pages(10**9, 0.02), 1.5, ceiling=3.0)
    assert not stopped.value.stalled and stopped.value.progress


def test_without_a_ceiling_the_limit_is_the_old_one() -> None:
    with pytest.raises(DeadlineExceeded) as stopped:
        run_with_deadline(pages(10**9, 0.02), 1.0)
    assert not stopped.value.stalled


def test_time_spent_in_the_stop_test_does_not_count() -> None:
    """Watch mode builds another note inside the stop test: the child's result waits in its
    pipe meanwhile, and is taken afterwards instead of being declared late."""
    asked: list[int] = []

    def busy_elsewhere() -> bool:
        asked.append(1)
        if len(asked) == 1:
            time.sleep(2.5)
        return False

    assert run_with_deadline(pages(1, 0.1), 1.0, busy_elsewhere) == "pdf"
    assert len(asked) >= 1


def test_the_ceiling_grows_with_the_note() -> None:
    limits = Limits(handout_seconds=120)
    assert handout_ceiling(limits, 0) == 120
    assert handout_ceiling(limits, HANDOUT_BYTES_PER_TIMEOUT) == 240
    big = handout_ceiling(limits, 860_154)              # bench/notegen.make_note(1000, seed=7)
    assert 1100 < big < 1200 and handout_ceiling(limits, 34_400) < 200


def test_the_last_silent_stage_is_bounded_by_the_ceiling_alone() -> None:
    """After LAST_STAGE (the handout writing its PDF) a long silence is no stall, but the
    ceiling still holds."""
    from deckgen.bounds.deadline import LAST_STAGE

    def write_pdf(seconds: float):
        def work() -> str:
            report_progress(1)
            report_progress(LAST_STAGE)
            time.sleep(seconds)
            return "pdf"
        return work

    assert run_with_deadline(write_pdf(2.5), 1.0, ceiling=600) == "pdf"
    with pytest.raises(DeadlineExceeded) as stopped:
        run_with_deadline(write_pdf(120), 1.0, ceiling=3.0)
    assert not stopped.value.stalled


def test_a_killed_child_leaves_no_temporary_files(tmp_path, monkeypatch) -> None:
    """A child stopped at its limit cannot clean up: the font copies WeasyPrint had made for it
    (18 MB a render) stayed in $TMPDIR.  Its temporary folder is the parent's to remove."""
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))

    def stuck() -> None:
        folder = tempfile.mkdtemp(prefix="weasyprint-")
        (Path(folder) / "font.ttf").write_bytes(b"\0" * 1024)
        time.sleep(30)

    with pytest.raises(DeadlineExceeded):
        run_with_deadline(stuck, 0.5)
    assert list(tmp_path.iterdir()) == []
