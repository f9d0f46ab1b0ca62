"""Resource bounds (issue 10): each hostile build runs in a child with RLIMIT_AS and a timeout,
and must end with a placeholder and a warning naming its line, never by blowing the budget."""
from __future__ import annotations

import base64
import io
import zipfile
from pathlib import Path

import pytest
from PIL import Image as PILImage

from bounded import bounded_build, huge_png
from conftest import run


def _project(tmp_path: Path, body: str, config: str = "") -> Path:
    (tmp_path / "deckgen.toml").write_text(config, encoding="utf-8")
    note = tmp_path / "n.md"
    note.write_text(f"# 경계\n\n## 그림\n\n{body}\n\n마지막 문장은 남는다.\n", encoding="utf-8")
    return note


def _media_sizes(deck: Path) -> list[int]:
    with zipfile.ZipFile(deck) as z:
        return [i.file_size for i in z.infolist() if i.filename.startswith("ppt/media/")]


def _pdf_text(pdf: Path) -> str:
    return run(["pdftotext", str(pdf), "-"]).stdout


def test_a_108_megapixel_png_is_refused_before_decoding(tmp_path) -> None:
    huge_png(tmp_path / "big.png", 12000, 9000)
    _project(tmp_path, "![큰 그림](big.png)")
    r = bounded_build(["build", "n.md", "-o", "out"], tmp_path)
    assert r.returncode == 0, r.stderr
    assert "n.md:5: warning: image big.png is too large to decode safely (12,000 x 9,000" in r.stderr
    assert "[image-bomb]" in r.stderr and "Traceback" not in r.stderr
    assert _media_sizes(tmp_path / "out" / "n.pptx") == []           # a placeholder, not a picture
    text = _pdf_text(tmp_path / "out" / "n.pdf")
    assert "이미지 없음" in text and "마지막 문장은 남는다" in text
    strict = bounded_build(["build", "n.md", "-o", "out2", "--strict"], tmp_path)
    assert strict.returncode == 1 and "[image-bomb]" in strict.stderr


def test_the_pixel_limit_is_a_project_setting(tmp_path) -> None:
    PILImage.new("RGB", (300, 200), "navy").save(tmp_path / "p.png")
    _project(tmp_path, "![작은 그림](p.png)", "[limits]\nmax_image_pixels = 50000\n")
    r = bounded_build(["build", "n.md", "-o", "out"], tmp_path)
    assert "60,000 Mpx" not in r.stderr and "over the 0.05 Mpx limit" in r.stderr, r.stderr


def test_a_file_over_the_size_cap_is_not_read(tmp_path) -> None:
    png = tmp_path / "tail.png"
    PILImage.new("RGB", (64, 64), "teal").save(png)
    with open(png, "r+b") as f:                  # a 60 MB tail, sparse on disk
        f.truncate(60 * 1024 * 1024)
    _project(tmp_path, "![꼬리 달린 그림](tail.png)")
    r = bounded_build(["build", "n.md", "-o", "out"], tmp_path, memory=500 * 1024 * 1024)
    assert r.returncode == 0, r.stderr
    assert "n.md:5: warning: image tail.png is 60.0 MB, over the 50 MB limit" in r.stderr
    assert _media_sizes(tmp_path / "out" / "n.pptx") == []


def test_a_tail_under_the_cap_is_never_embedded(tmp_path) -> None:
    png = tmp_path / "tail.png"
    PILImage.new("RGB", (64, 64), "teal").save(png)
    with open(png, "ab") as f:
        f.write(b"\x00" * (3 * 1024 * 1024))
    _project(tmp_path, "![꼬리 달린 그림](tail.png)")
    r = bounded_build(["build", "n.md", "-o", "out"], tmp_path)
    assert r.returncode == 0 and "warning" not in r.stderr, r.stderr
    sizes = _media_sizes(tmp_path / "out" / "n.pptx")
    assert len(sizes) == 1 and sizes[0] < 64 * 1024          # re-encoded: the 3 MB tail is gone
    assert (tmp_path / "out" / "n.pdf").stat().st_size < 512 * 1024


def test_a_6_mb_data_uri_is_refused_from_its_text(tmp_path) -> None:
    payload = base64.b64encode(b"\x89PNG\r\n\x1a\n" + bytes(6 * 1024 * 1024)).decode()
    _project(tmp_path, f"![붙여 넣은 화면](data:image/png;base64,{payload})")
    r = bounded_build(["build", "n.md", "-o", "out"], tmp_path, timeout=60)
    assert r.returncode == 0, r.stderr
    assert "n.md:5: warning: data: URI of 8.0 MB of text, over the 5 MB limit" in r.stderr
    assert len(r.stderr) < 2000                                   # the URI is never printed
    text = _pdf_text(tmp_path / "out" / "n.pdf")
    assert "이미지 없음" in text and "마지막 문장은 남는다" in text and len(text) < 5000


def test_raster_prepare_refuses_over_the_limits(tmp_path) -> None:
    from deckgen.bounds.limits import Limits
    from deckgen.render.raster import RasterError, prepare

    p = tmp_path / "p.png"
    PILImage.new("RGB", (400, 300), "navy").save(p)
    with pytest.raises(RasterError, match="too large to decode safely"):
        prepare(str(p), (100, 100), Limits(max_image_pixels=100_000))
    with pytest.raises(RasterError, match=r"MB limit \(limits.max_image_mb\)"):
        prepare(str(p), (100, 100), Limits(max_image_bytes=1024 * 1024 // 1000))
    data, ext = prepare(str(p), (100, 100), Limits())
    assert ext == "png" and PILImage.open(io.BytesIO(data)).size == (100, 75)


def test_a_stage_past_its_deadline_is_killed() -> None:
    import time
    from deckgen.bounds.deadline import DeadlineExceeded, run_with_deadline

    assert run_with_deadline(lambda: ("pdf", [1, 2]), 10) == ("pdf", [1, 2])
    with pytest.raises(ZeroDivisionError):
        run_with_deadline(lambda: 1 / 0, 10)
    start = time.perf_counter()
    with pytest.raises(DeadlineExceeded):
        run_with_deadline(lambda: time.sleep(60), 0.5)
    assert time.perf_counter() - start < 5


def test_the_child_reports_how_far_it_got() -> None:
    """Numbers the child passes to report_progress reach on_progress in the parent, in order;
    outside a child report_progress does nothing."""
    from deckgen.bounds.deadline import report_progress, run_with_deadline

    def work() -> str:
        for n in (3, 7, 250_000):
            report_progress(n)
        return "pdf"

    heard: list[int] = []
    assert run_with_deadline(work, 30, on_progress=heard.append) == "pdf"
    assert heard and heard[-1] == 250_000 and heard == sorted(heard)
    assert set(heard) <= {3, 7, 250_000}
    report_progress(5)                       # in the parent: no pipe, nothing happens


def test_the_handout_time_limit_stops_it_and_keeps_the_deck(tmp_path) -> None:
    _project(tmp_path, "본문만 있다.", "[limits]\nhandout_timeout = 0.001\n")
    r = bounded_build(["build", "n.md", "-o", "out"], tmp_path)
    assert r.returncode == 1
    assert "n.md: error: the handout took longer than 0.001 s and was stopped (limits.handout_timeout" in r.stderr
    assert "Traceback" not in r.stderr and "internal error" not in r.stderr
    assert (tmp_path / "out" / "n.pptx").is_file() and not (tmp_path / "out" / "n.pdf").exists()


FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><dir>/usr/share/fonts/truetype/dejavu</dir><cachedir>{cache}</cachedir>
<include ignore_missing="yes">/etc/fonts/conf.d</include></fontconfig>
"""


def test_no_korean_font_is_a_warning_unless_strict(tmp_path) -> None:
    """A fresh container with DejaVu only: outputs in the fallback font, the message kept."""
    conf = tmp_path / "fonts.conf"
    conf.write_text(FONTS_CONF.format(cache=tmp_path / "fc-cache"), encoding="utf-8")
    _project(tmp_path, "한국어 본문.")
    env = {"FONTCONFIG_FILE": str(conf), "XDG_CACHE_HOME": str(tmp_path / "xdg")}
    r = bounded_build(["build", "n.md", "-o", "out"], tmp_path, env=env)
    assert r.returncode == 0, r.stderr
    assert "n.md: warning: no font found for the theme's body text: tried 'NanumBarunGothic'" in r.stderr
    assert "using 'DejaVu Sans'" in r.stderr and "fonts-nanum" in r.stderr and "[font-missing]" in r.stderr
    assert r.stderr.count("[handout-render]") <= 1              # one line, not one per syllable
    assert (tmp_path / "out" / "n.pptx").is_file() and (tmp_path / "out" / "n.pdf").is_file()
    strict = bounded_build(["build", "n.md", "-o", "out2", "--strict"], tmp_path, env=env)
    assert strict.returncode == 1 and "[font-missing]" in strict.stderr


def test_the_handout_child_dies_with_its_parent(tmp_path) -> None:
    """A batch worker killed on Ctrl-C must not leave its handout child running."""
    import os
    import signal
    import subprocess
    import sys
    import time
    code = ("import os, time\nfrom deckgen.bounds.deadline import run_with_deadline\n"
            "def work():\n    open(os.environ['MARK'], 'w').write(str(os.getpid()))\n    time.sleep(120)\n"
            "run_with_deadline(work, 300)\n")
    mark = tmp_path / "child.pid"
    parent = subprocess.Popen([sys.executable, "-c", code], env={**os.environ, "MARK": str(mark)})
    deadline = time.monotonic() + 30
    while not (mark.exists() and mark.read_text()) and time.monotonic() < deadline:
        time.sleep(0.05)
    child = int(mark.read_text())
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    for _ in range(100):
        try:
            state = Path(f"/proc/{child}/stat").read_text().split(")")[-1].split()[0]
        except OSError:
            return                                                  # gone
        if state in ("Z", "X"):                                     # dead, not yet reaped
            return
        time.sleep(0.05)
    os.kill(child, signal.SIGKILL)
    pytest.fail("the handout child outlived its parent")
