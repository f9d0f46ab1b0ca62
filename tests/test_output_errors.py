"""Output problems (issue 10 item 13): a full disk, a file given as -o, a folder in the way,
an unwritable build cache and Ctrl-C each end in clean messages, never a traceback."""
from __future__ import annotations

import resource
import signal
import subprocess
import sys
import time
from pathlib import Path



def _note(folder: Path, sections: int = 2) -> Path:
    (folder / "deckgen.toml").write_text("", encoding="utf-8")
    body = "".join(f"## 절 {i}\n\n- 항목 {i} 하나\n- 항목 {i} 둘\n\n" for i in range(sections))
    note = folder / "n.md"
    note.write_text(f"# 출력\n\n{body}", encoding="utf-8")
    return note


def _deckgen(args: list[str], cwd: Path, preexec=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "deckgen", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120, preexec_fn=preexec)


def _clean(stderr: str) -> None:
    assert "Traceback" not in stderr and "internal error" not in stderr, stderr


def test_a_full_disk_is_an_error_naming_the_output(tmp_path) -> None:
    def small_files() -> None:                  # every write past 200 bytes fails with EFBIG
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (200, 200))

    _note(tmp_path)
    r = _deckgen(["build", "n.md", "-o", "out"], tmp_path, small_files)
    assert r.returncode == 1
    assert "n.md: error: cannot write out/n.pptx: File too large [output-unwritable]" in r.stderr
    _clean(r.stderr)
    assert list((tmp_path / "out").iterdir()) == []                  # no half-written file


def test_o_naming_a_file_is_a_usage_error(tmp_path) -> None:
    _note(tmp_path)
    (tmp_path / "file.txt").write_text("x", encoding="utf-8")
    for target in ("file.txt", "file.txt/sub"):
        r = _deckgen(["build", "n.md", "-o", target], tmp_path)
        assert r.returncode == 2 and "deckgen: error: -o " in r.stderr and "is a file, not a folder" in r.stderr
        _clean(r.stderr)


def test_a_folder_where_an_output_goes_fails_that_output_only(tmp_path) -> None:
    _note(tmp_path)
    (tmp_path / "out" / "n.pptx").mkdir(parents=True)
    r = _deckgen(["build", "n.md", "-o", "out"], tmp_path)
    assert r.returncode == 1
    assert "cannot write out/n.pptx: a folder of that name is in the way [output-unwritable]" in r.stderr
    assert (tmp_path / "out" / "n.pdf").is_file()
    _clean(r.stderr)


def test_an_unwritable_build_cache_is_one_error_line(tmp_path) -> None:
    _note(tmp_path)
    (tmp_path / "out" / ".deckgen-cache.json").mkdir(parents=True)
    r = _deckgen(["build", "n.md", "-o", "out"], tmp_path)
    assert r.returncode == 1 and r.stderr.count("cannot write the build cache") == 1, r.stderr
    assert (tmp_path / "out" / "n.pptx").is_file()
    _clean(r.stderr)


def _interrupt(args: list[str], cwd: Path, after: float = 3.0) -> subprocess.CompletedProcess:
    """Start a build (of a minute or more), send SIGINT after *after* seconds, return how it ended."""
    p = subprocess.Popen([sys.executable, "-m", "deckgen", *args], cwd=cwd, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    time.sleep(after)
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=60)
    return subprocess.CompletedProcess(p.args, p.returncode, out, err)


def test_ctrl_c_is_one_line_and_exit_130(tmp_path) -> None:
    _note(tmp_path, sections=400)
    r = _interrupt(["build", "n.md", "-o", "out"], tmp_path)
    assert r.returncode == 130, r.stderr
    assert r.stderr.strip().splitlines()[-1] == "deckgen: interrupted" and "Traceback" not in r.stderr
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").glob(".*.tmp"))


def test_ctrl_c_in_a_batch_stops_the_workers(tmp_path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    for i in range(4):
        (content / f"{i}.md").write_text(_note(tmp_path, 150).read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "n.md").unlink()
    r = _interrupt(["build", "content", "-o", "out", "-j", "2"], tmp_path, after=5.0)
    assert r.returncode == 130, r.stderr
    assert r.stderr.strip().splitlines()[-1] == "deckgen: interrupted" and "Traceback" not in r.stderr
    assert not list((tmp_path / "out").glob(".*.tmp"))


def test_temp_files_of_a_killed_build_are_removed_next_time(tmp_path) -> None:
    import os
    _note(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    old = time.time() - 3600
    names = {".n.pptx.k3x_9ab2.tmp": False, ".n.pdf.zz00yy11.tmp": False,
             "..deckgen-cache.json.a1b2c3d4.tmp": False,
             ".n.pptx.k3x_9ab2.tmp.keep": True,     # not our exact name
             ".n.pptx.SHOUTING.tmp": True,          # not what mkstemp makes
             ".other.pptx.k3x_9ab2.tmp": True,      # not an output of this build
             "n.pptx.k3x_9ab2.tmp": True}
    for name in names:
        (out / name).write_bytes(b"x" * 4096)
        os.utime(out / name, (old, old))
    fresh = out / ".n.pptx.fresh123.tmp"             # written during this run: another build's
    fresh.write_bytes(b"x")
    os.utime(fresh, (time.time() + 600, time.time() + 600))
    r = _deckgen(["build", "n.md", "-o", "out"], tmp_path)
    assert r.returncode == 0 and "removed 3 temporary file(s)" in r.stderr, r.stderr
    assert {n for n in names if (out / n).exists()} == {n for n, kept in names.items() if kept}
    assert fresh.exists()


def test_a_single_note_shows_its_stages_on_a_terminal_only(tmp_path) -> None:
    import os
    import pty
    _note(tmp_path, sections=30)
    master, slave = pty.openpty()
    p = subprocess.Popen([sys.executable, "-m", "deckgen", "build", "n.md", "-o", "out"], cwd=tmp_path,
                         stdout=subprocess.PIPE, stderr=slave, text=True)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:                        # the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    p.wait(timeout=120)
    os.close(master)
    tty = b"".join(chunks).decode("utf-8", "replace")
    assert p.returncode == 0
    assert "\rn.md: reading" in tty or "n.md: reading" in tty
    assert "n.md: laying out slides" in tty and "n.md: writing the deck, 31 slides" in tty
    assert "n.md: typesetting the handout, 31 slides" in tty
    assert "n.md: typesetting the handout, page 1, 31 slides" in tty      # the child's page count
    assert "n.md: typesetting the handout, writing the PDF, 31 slides" in tty
    assert tty.endswith("\r\x1b[K")                                   # the line is cleared at the end
    plain = _deckgen(["build", "n.md", "-o", "out2"], tmp_path)
    assert "laying out" not in plain.stderr and "\r" not in plain.stderr
