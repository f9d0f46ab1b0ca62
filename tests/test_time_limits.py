"""In-process time limits (bounds/alarm.py): a stage that never ends is stopped, per formula
(limits.math_timeout) and per note (limits.note_timeout), with a message and a visible fallback.

The rows of tests/timebound/ are data (see its README.md): a project, a function made to hang,
what must come out.  The alarm itself is tested below them: nesting, restoring what it found,
threads, forks, subprocesses and atomic writes.  No assertion measures time.
"""
from __future__ import annotations

import importlib
import json
import os
import shutil
import signal
import subprocess
import threading
import time
import tomllib
from pathlib import Path
from typing import Any

import pytest

from conftest import run
from deckgen.bounds.alarm import TimeLimitExceeded, can_limit, time_limit
from test_end_to_end import deck_text

ROWS_DIR = Path(__file__).resolve().parent / "timebound"
ROWS = sorted(p for p in ROWS_DIR.iterdir() if (p / "expect.toml").is_file())
CASES = [(row, variant) for row in ROWS
         for variant in tomllib.loads((row / "expect.toml").read_text(encoding="utf-8")).get("variants", [[]])]


def _spin() -> None:
    while True:
        pass


def _hang(monkeypatch: pytest.MonkeyPatch, target: str, when: str) -> None:
    """Make *target* ("module:Class.function") loop forever when *when* is in its arguments."""
    module, _, qualname = target.partition(":")
    owner: Any = importlib.import_module(module)
    *path, name = qualname.split(".")
    for part in path:
        owner = getattr(owner, part)
    real = getattr(owner, name)

    def stuck(*args: Any, **kwargs: Any) -> Any:
        if when in repr(args) + repr(kwargs):
            while True:           # a loop that never ends, asleep so as not to burn a shared CPU
                time.sleep(0.05)
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, stuck)


def _build(project: Path, paths: list[str], extra: list[str], capsys: pytest.CaptureFixture) -> tuple[int, dict]:
    from deckgen.cli import main

    code = main(["build", *paths, "-o", "out", "--json", *extra])
    return code, json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("row, variant", CASES, ids=[f"{r.name}{'-' + '-'.join(v) if v else ''}" for r, v in CASES])
def test_a_stage_that_never_ends_is_stopped(row: Path, variant: list[str], tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    from deckgen.backends.pptx import writer  # noqa: F401  (imported outside the note's limit, like a worker's preload)
    from deckgen.pipeline import cached_theme

    cached_theme("default")
    exp = tomllib.loads((row / "expect.toml").read_text(encoding="utf-8"))
    project = tmp_path / "p"
    shutil.copytree(row, project, ignore=shutil.ignore_patterns("expect.toml"))
    monkeypatch.chdir(project)
    with monkeypatch.context() as hung:
        _hang(hung, exp["hang"], exp["when"])
        code, report = _build(project, exp["build"], variant, capsys)
    assert code == exp["exit"], report
    diags = [d for note in report["notes"] for d in note["diagnostics"] if d["severity"] != "info"]
    for want in exp["diagnostics"]:
        assert any(d["path"].endswith(want["path"]) and d["line"] == want["line"] and d["severity"] == want["severity"]
                   and d["code"] == want["code"] and d["message"] == want["message"] for d in diags), diags
    assert "internal" not in {d["code"] for d in diags}, diags
    out = project / "out"
    for name in exp.get("present", []):
        assert (out / name).is_file(), name
    for name in exp.get("absent", []):
        assert not (out / name).exists(), name
    assert not list(project.rglob("*.tmp")), "a temporary file was left"
    if exp.get("deck_text") or exp.get("deck_not_text"):
        text = deck_text(out / "note.pptx")
        assert all(t in text for t in exp.get("deck_text", [])), text
        assert not any(t in text for t in exp.get("deck_not_text", [])), text
    if exp.get("pdf_text"):
        text = " ".join(run(["pdftotext", str(out / "note.pdf"), "-"]).stdout.split())
        assert all(t in text for t in exp["pdf_text"]), text
    _built_again(project, exp, variant, capsys)


def _built_again(project: Path, exp: dict, variant: list[str], capsys: pytest.CaptureFixture) -> None:
    """Without the hang, a second build builds exactly the notes the first could not finish: a
    stopped note or formula is never recorded as built (nor its picture as drawn)."""
    code, report = _build(project, exp["build"], variant, capsys)
    assert code == 0, report
    built = sorted(Path(n["path"]).name for n in report["notes"] if n["status"] == "built")
    assert built == sorted(exp["rebuilt"]), report
    if exp.get("rebuilt_clean"):
        codes = {d["code"] for n in report["notes"] for d in n["diagnostics"]}
        assert not codes & {"math-timeout", "note-timeout", "math-failed"}, report


# ------------------------------------------------------------------ the alarm itself
def test_a_python_loop_is_stopped_and_everything_is_put_back() -> None:
    before = signal.getsignal(signal.SIGALRM)
    with pytest.raises(TimeLimitExceeded, match="stopped after 0.2 s"), time_limit(0.2):
        _spin()
    assert signal.getsignal(signal.SIGALRM) is before
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_an_inner_limit_never_cancels_an_outer_one() -> None:
    reached = []
    with pytest.raises(TimeLimitExceeded, match="after 0.3 s"), time_limit(0.3):    # the outer one, sooner
        try:
            with time_limit(60):
                _spin()
        except TimeLimitExceeded:
            reached.append("inner")                                        # never: it is the outer's
    assert reached == []
    with pytest.raises(TimeLimitExceeded, match="after 0.6 s"), time_limit(0.6):    # the outer one, still armed
        with pytest.raises(TimeLimitExceeded, match="after 0.1 s"), time_limit(0.1):
            _spin()
        reached.append("after the inner")
        _spin()
    assert reached == ["after the inner"]
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_the_timer_and_handler_found_before_are_restored_and_still_ring() -> None:
    rang: list[int] = []
    previous = signal.signal(signal.SIGALRM, lambda signum, frame: rang.append(signum))
    try:
        signal.setitimer(signal.ITIMER_REAL, 30.0)
        with time_limit(5):
            pass
        left, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 0 < left <= 30.0                                    # re-armed for what it had left
        signal.setitimer(signal.ITIMER_REAL, 0.2)                  # someone else's alarm, due first
        with pytest.raises(TimeLimitExceeded), time_limit(1.0):
            _spin()
        assert rang == [signal.SIGALRM]                            # it was called when its time came
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_off_the_main_thread_it_does_nothing() -> None:
    seen: list[object] = []

    def body() -> None:
        seen.append(can_limit())
        with time_limit(0.05):
            time.sleep(0.3)                  # not stopped: no signal reaches this thread
        seen.append("ran to its end")

    worker = threading.Thread(target=body)
    worker.start()
    worker.join()
    assert seen == [False, "ran to its end"]
    assert can_limit()


def test_no_limit_means_none() -> None:
    for seconds in (None, 0, -1, float("inf")):
        with time_limit(seconds):
            assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_a_forked_child_inherits_no_timer_and_the_limit_stops_the_wait_for_it() -> None:
    from deckgen.bounds.deadline import run_with_deadline

    with time_limit(30):
        assert run_with_deadline(lambda: signal.getitimer(signal.ITIMER_REAL), 30) == (0.0, 0.0)
    forked: list[int] = []
    real_fork = os.fork

    def fork() -> int:
        pid = real_fork()
        if pid:
            forked.append(pid)
        return pid

    def sleeper() -> None:
        time.sleep(60)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(os, "fork", fork)
        with pytest.raises(TimeLimitExceeded), time_limit(0.3):
            run_with_deadline(sleeper, 60)
    assert len(forked) == 1
    with pytest.raises(ChildProcessError):            # the child was killed and reaped: no zombie
        os.waitpid(forked[0], os.WNOHANG)


def test_a_subprocess_with_its_own_timeout_is_stopped_and_killed() -> None:
    started: list[subprocess.Popen] = []
    real_popen = subprocess.Popen

    def popen(*args: Any, **kwargs: Any) -> subprocess.Popen:
        started.append(real_popen(*args, **kwargs))
        return started[-1]

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(subprocess, "Popen", popen)
        with pytest.raises(TimeLimitExceeded), time_limit(0.3):
            subprocess.run(["sleep", "60"], capture_output=True, timeout=60)
    assert started and started[0].returncode is not None          # killed and waited for by run()


def test_an_atomic_write_stopped_midway_leaves_no_temporary_file(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from deckgen import files

    monkeypatch.setattr(files.os, "fsync", lambda fd: _spin())
    with pytest.raises(TimeLimitExceeded), time_limit(0.2):
        files.atomic_write(tmp_path / "deck.pptx", b"x" * 1000)
    assert list(tmp_path.iterdir()) == []


def test_a_mermaid_render_stopped_midway_stops_its_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    from deckgen.render import diagrams

    worker = diagrams._MermaidWorker()
    monkeypatch.setattr(worker, "_reply", lambda proc, timeout: _spin())
    with pytest.raises(TimeLimitExceeded), time_limit(0.2):
        worker.render({"source": "graph TD; A-->B"}, 30)
    assert worker.proc is None               # its late reply can never answer the next request


def test_a_warm_up_past_its_limit_is_given_up_and_the_handout_still_made(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from deckgen.backends.handout import fontshare, warmup
    from deckgen.pipeline import BuildOptions, build_one, cached_theme, paper_theme

    theme = paper_theme(cached_theme("default")[0])
    monkeypatch.setattr(warmup, "WARM_UP_SECONDS", 0.2)
    monkeypatch.setattr(warmup, "_typeset_sample", lambda theme, config: _spin())
    monkeypatch.setattr(fontshare, "_SHARED", {})
    monkeypatch.setattr(warmup, "_GAVE_UP", set())
    assert warmup.warm_up(theme) is False
    assert not fontshare.is_registered(theme) and {fontshare.fonts_key(theme)} == warmup._GAVE_UP
    note = tmp_path / "n.md"
    note.write_text("# 예열 없이\n\n## 본문\n\n손풀기 없이도 유인물은 만들어진다.\n", encoding="utf-8")
    result = build_one(note, {"pdf": tmp_path / "n.pdf"}, BuildOptions(formats=("pdf",)))
    assert not result.failed, result.diags.items
    assert "손풀기 없이도" in run(["pdftotext", str(tmp_path / "n.pdf"), "-"]).stdout


def test_under_watch_a_note_past_its_limit_fails_and_watching_goes_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                      capsys: pytest.CaptureFixture) -> None:
    """The first build and a rebuild after a save run in the main thread while the watcher's thread
    runs: the stuck note fails both times, the others are built, and watch mode goes on."""
    from deckgen.cli import make_parser
    from deckgen.course import watch as watching

    row = ROWS_DIR / "note-in-a-course"
    exp = tomllib.loads((row / "expect.toml").read_text(encoding="utf-8"))
    project = tmp_path / "p"
    shutil.copytree(row, project, ignore=shutil.ignore_patterns("expect.toml"))
    monkeypatch.chdir(project)
    _hang(monkeypatch, exp["hang"], exp["when"])
    stop, started, rebuilt = threading.Event(), threading.Event(), threading.Event()
    real_changes, real_rebuild = watching.Changes, watching._rebuild

    def changes(*args: Any, **kwargs: Any) -> Any:
        started.set()
        return real_changes(*args, **kwargs)

    def rebuild(session: Any, batch: list) -> Any:
        what = real_rebuild(session, batch)
        if what and any(Path(p).name == "b.md" for p in what.notes):
            rebuilt.set()
            stop.set()
        return what

    def save_until_rebuilt() -> None:          # watchfiles may start after the first save: save again
        started.wait(300)
        for _ in range(120):
            if rebuilt.wait(1.0):
                return
            (project / "b.md").write_text((row / "b.md").read_text(encoding="utf-8") + "\n- 고침\n", encoding="utf-8")
        stop.set()

    monkeypatch.setattr(watching, "Changes", changes)
    monkeypatch.setattr(watching, "_rebuild", rebuild)
    saver = threading.Thread(target=save_until_rebuilt, daemon=True)
    saver.start()
    args = make_parser().parse_args(["watch", ".", "-o", "out", "--jobs", "1"])
    assert watching.watch(Path("."), args, stop=stop) == 0
    saver.join()
    err = capsys.readouterr().err
    assert rebuilt.is_set(), err
    assert err.count(f"b.md:1: error: {exp['diagnostics'][0]['message']} [note-timeout]") == 2, err
    assert all((project / "out" / name).is_file() for name in exp["present"])
    assert not (project / "out" / "b.pptx").exists() and not list(project.rglob("*.tmp"))
