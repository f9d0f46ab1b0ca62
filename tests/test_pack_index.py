"""The course pack's index.html: every output of every lecture, the first slide as a thumbnail,
checked as a browser draws it (headless Chromium screenshot)."""
from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from PIL import Image

from deckgen.cli import main

TITLE_BAND = (0x17, 0x32, 0x4D)
"""The default theme's title-slide band: drawn on every lecture's first slide."""


def note(path: Path, title: str, headings: list[str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    body = "".join(f"## {h}\n\n- {h} 내용\n\n::: notes\n{h} 발표 메모\n:::\n\n" for h in headings)
    path.write_text(f"---\ntitle: {title}\n---\n\n{body}", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("site")
    note(tmp / "src" / "week01" / "intro.md", "1주차 소개", ["개요", "일정"])
    note(tmp / "src" / "week02" / "shell.md", "2주차 셸", ["명령어", "파이프"])
    (tmp / "src" / "deckgen.toml").write_text('[handout]\nlayout = "notes"\n', encoding="utf-8")
    out = tmp / "out"
    assert main(["build", str(tmp / "src"), "-o", str(out), "--format", "pptx,pdf,slides", "--pack", "-q",
                 "--jobs", "1"]) == 0
    return out


def test_index_links_every_output_and_shows_the_first_slide(site: Path):
    page = (site / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'href="([^"]+)"', page)
    for stem in ("week01/intro", "week02/shell"):
        for name in (f"{stem}.pptx", f"{stem}-slides.pdf", f"{stem}.pdf", f"{stem}-instructor.pdf"):
            assert name in links, name
    assert all((site / link).is_file() for link in links)
    thumbs = re.findall(r'<img src="([^"]+)"', page)
    assert thumbs == ["week01/intro-thumb.png", "week02/shell-thumb.png"]
    with Image.open(site / thumbs[0]) as im:
        assert im.size == (480, 270)
        assert _count(im.convert("RGB"), TITLE_BAND) > 1000           # the band of the title slide


def _count(im: Image.Image, rgb: tuple[int, int, int], tol: int = 12) -> int:
    return sum(n for n, px in im.getcolors(im.width * im.height) or []
               if all(abs(a - b) <= tol for a, b in zip(px, rgb)))


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


@pytest.mark.skipif(_chromium() is None, reason="chromium is not installed (scripts/setup.sh --test installs it "
                                                 "where Debian packages it)")
def test_chromium_draws_the_index_with_its_thumbnails(site: Path, tmp_path: Path):
    shot = tmp_path / "index.png"
    with tempfile.TemporaryDirectory() as profile:
        r = subprocess.run([_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                            "--disable-background-networking", "--disable-component-update", "--disable-sync",
                            f"--user-data-dir={profile}", "--hide-scrollbars", "--window-size=1000,700",
                            f"--screenshot={shot}", (site / "index.html").as_uri()],
                           capture_output=True, text=True, timeout=120)
    assert shot.is_file(), r.stderr[-2000:]
    with Image.open(shot) as im:
        assert im.size == (1000, 700)
        rgb = im.convert("RGB")
        band = _count(rgb, TITLE_BAND)
    # two thumbnails of 240 CSS px: each title band is about 4 x 135 px; no thumbnail, no band
    assert band > 2 * 300, band


def test_watch_listing_groups_every_output_of_a_note(tmp_path: Path):
    from deckgen.course.pack import listing_html

    for name in ("a.pptx", "a.pdf", "a-slides.pdf", "a-instructor.pdf", "b.pdf", "a-thumb.png"):
        (tmp_path / name).write_bytes(b"x")
    rows = re.findall(r"<li><strong>(.+?)</strong> — (.+?)</li>", listing_html(tmp_path))
    assert [r[0] for r in rows] == ["a", "b"]
    assert re.findall(r'href="([^"]+)"', rows[0][1]) == ["a-instructor.pdf", "a-slides.pdf", "a.pdf", "a.pptx"]
