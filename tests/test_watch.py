"""deckgen watch: the change -> rebuild mapping (pure), and one short real run in a subprocess."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from deckgen.course.watch import WatchState, affected

ROOT = Path(__file__).resolve().parent.parent


def state(tmp: Path) -> WatchState:
    src = tmp / "course"
    a, b, c = src / "w1" / "a.md", src / "w2" / "b.md", src / "w3" / "c.md"
    return WatchState(
        folder=src, out_dir=src / "out", notes=frozenset({a, b, c}),
        deps={a: frozenset({src / "img" / "shared.png", src / "img" / "a.png"}),
              b: frozenset({src / "img" / "shared.png"}), c: frozenset()},
        unsettled=frozenset({c}),
        theme_files=frozenset({tmp / "themes" / "t" / "theme.toml", tmp / "themes" / "t" / "handout.css"}),
        config_files=frozenset({tmp / "deckgen.toml"}))


def test_a_changed_note_rebuilds_only_that_note(tmp_path: Path):
    s = state(tmp_path)
    a = s.folder / "w1" / "a.md"
    r = affected([("modified", a)], s)
    assert r.notes == {a} and not r.everything


def test_a_changed_asset_rebuilds_the_notes_that_used_it(tmp_path: Path):
    s = state(tmp_path)
    img = s.folder / "img"
    assert affected([("modified", img / "a.png")], s).notes == {s.folder / "w1" / "a.md"}
    assert affected([("modified", img / "shared.png")], s).notes == {s.folder / "w1" / "a.md",
                                                                   s.folder / "w2" / "b.md"}
    # an image nobody used yet may be the one a note was missing
    assert affected([("added", img / "new.png")], s).notes == {s.folder / "w3" / "c.md"}
    assert not affected([("modified", s.folder / "notes.txt")], s)


def test_theme_config_and_ignore_changes_rebuild_everything(tmp_path: Path):
    s = state(tmp_path)
    for path, config, theme in [(tmp_path / "deckgen.toml", True, False),
                                (tmp_path / "themes" / "t" / "handout.css", False, True),
                                (s.folder / ".deckgenignore", False, False)]:
        r = affected([("modified", path)], s)
        assert r.everything and r.reload_config == config and r.reload_theme == theme, path


def test_outputs_are_ignored_and_new_or_deleted_notes_are_seen(tmp_path: Path):
    s = state(tmp_path)
    assert not affected([("modified", s.out_dir / "w1" / "a.pptx")], s)
    new = s.folder / "w4" / "d.md"
    gone = s.folder / "w2" / "b.md"
    r = affected([("added", new), ("deleted", gone), ("modified", s.folder / "w1" / "a.md")], s)
    assert r.notes == {new, s.folder / "w1" / "a.md"} and r.removed == {gone}


def _read_until(proc: subprocess.Popen, lines: list[str], needle: str, timeout: float, start: int = 0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(needle in line for line in lines[start:]):
            return True
        if proc.poll() is not None:
            return any(needle in line for line in lines[start:])
        time.sleep(0.1)
    return False


def test_watch_rebuilds_a_changed_note_and_serves_a_listing(tmp_path: Path):
    src = tmp_path / "course"
    (src / "w1").mkdir(parents=True)
    (src / "w2").mkdir(parents=True)
    (tmp_path / "deckgen.toml").write_text("", encoding="utf-8")  # the project root: assets/ is inside
    from PIL import Image
    (tmp_path / "assets").mkdir()
    Image.new("RGB", (200, 150), "red").save(tmp_path / "assets" / "pic.png")
    (src / "w1" / "a.md").write_text("# 하나\n\n## 슬라이드\n\n- 첫째\n", encoding="utf-8")
    (src / "w2" / "b.md").write_text("# 둘\n\n## 그림\n\n![그림](../../assets/pic.png)\n", encoding="utf-8")
    out = tmp_path / "out"
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1")
    proc = subprocess.Popen([sys.executable, "-m", "deckgen", "watch", str(src), "-o", str(out), "--format", "pptx",
                             "--jobs", "1", "--serve", "0"], cwd=tmp_path, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(iter(proc.stdout.readline, "")), daemon=True)
    reader.start()
    try:
        assert _read_until(proc, lines, "watching", 60), "".join(lines)
        assert (out / "w1" / "a.pptx").is_file() and (out / "w2" / "b.pptx").is_file()
        url = next(line.split(" at ")[1].strip() for line in lines if line.startswith("serving"))
        assert url.startswith("http://127.0.0.1:")
        page = urllib.request.urlopen(url, timeout=10).read().decode("utf-8")
        assert "w1/a.pptx" in page and "w2/b.pptx" in page
        before = len(lines)
        time.sleep(0.5)
        (src / "w1" / "a.md").write_text("# 하나\n\n## 바뀐 슬라이드\n\n- 첫째\n- 셋째\n", encoding="utf-8")
        assert _read_until(proc, lines, "1 built", 60, start=before), "".join(lines)
        rebuilt = "".join(lines[before:])
        assert "rebuilding 1 note(s)" in rebuilt and "a.md: ok" in rebuilt and "b.md" not in rebuilt
        # an image outside the watched folder, used by b.md only
        before = len(lines)
        time.sleep(0.5)
        Image.new("RGB", (200, 150), "blue").save(tmp_path / "assets" / "pic.png")
        assert _read_until(proc, lines, "built", 60, start=before), "".join(lines)
        rebuilt = "".join(lines[before:])
        assert "rebuilding 1 note(s)" in rebuilt and "b.md" in rebuilt and "a.md" not in rebuilt
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    reader.join(timeout=5)


def test_filter_drops_outputs_and_hidden_paths(tmp_path: Path):
    from deckgen.course.watch import _filter

    class S:  # the part of a session the filter reads
        out_dir = tmp_path / "out"
    keep = _filter(S(), [tmp_path])
    assert keep(None, str(tmp_path / "w1" / "a.md"))
    assert keep(None, str(tmp_path / ".deckgenignore"))
    for p in ["out/w1/a.pptx", ".deckgen-cache/figures/x.png", ".git/index", "w1/.a.md.swp", "w1/a.md~"]:
        assert not keep(None, str(tmp_path / p)), p


def test_serve_binds_loopback_only_and_lists_outputs(tmp_path: Path):
    from deckgen.course.watch import serve

    (tmp_path / "w1").mkdir()
    (tmp_path / "w1" / "강의 1.pdf").write_bytes(b"%PDF-1.7\n")
    server = serve(tmp_path, 0)
    try:
        host, port = server.server_address[:2]
        assert host == "127.0.0.1"
        page = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10).read().decode("utf-8")
        assert "w1/%EA%B0%95%EC%9D%98%201.pdf" in page
        data = urllib.request.urlopen(f"http://127.0.0.1:{port}/w1/%EA%B0%95%EC%9D%98%201.pdf", timeout=10).read()
        assert data.startswith(b"%PDF")
    finally:
        server.shutdown()
        server.server_close()


def test_a_rename_save_is_a_modification(tmp_path: Path):
    from deckgen.course.watch import merge_saves
    s = state(tmp_path)
    a = s.folder / "w1" / "a.md"
    assert merge_saves([("deleted", a), ("added", a)]) == [("modified", a)]
    assert merge_saves([("added", a), ("deleted", a)]) == [("modified", a)]
    assert merge_saves([("deleted", a)]) == [("deleted", a)]            # really gone (a.md does not exist)
    assert affected(merge_saves([("deleted", a), ("added", a)]), s).notes == {a}


def test_watch_sees_a_save_by_rename(tmp_path: Path):
    """vim's default save: rename the note to note.md~, write a new note.md, delete the backup."""
    src = tmp_path / "course"
    src.mkdir()
    (tmp_path / "deckgen.toml").write_text("", encoding="utf-8")
    note = src / "a.md"
    note.write_text("# 하나\n\n## 슬라이드\n\n- 첫째\n", encoding="utf-8")
    out = tmp_path / "out"
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1")
    proc = subprocess.Popen([sys.executable, "-m", "deckgen", "watch", str(src), "-o", str(out), "--format", "pptx",
                             "--jobs", "1"], cwd=tmp_path, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(iter(proc.stdout.readline, "")), daemon=True)
    reader.start()
    try:
        assert _read_until(proc, lines, "watching", 60), "".join(lines)
        before = len(lines)
        time.sleep(0.5)
        backup = src / "a.md~"
        os.rename(note, backup)
        note.write_text("# 하나\n\n## 이름 바꿔 저장\n\n- 둘째\n", encoding="utf-8")
        backup.unlink()
        assert _read_until(proc, lines, "1 built", 60, start=before), "".join(lines)
        after = "".join(lines[before:])
        assert "a.md: ok" in after and "removed" not in after
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    reader.join(timeout=5)
