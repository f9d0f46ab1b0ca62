"""Set-up steps of tests/hostile rows whose files cannot live in git as they are."""
from __future__ import annotations

import os
import unicodedata
from pathlib import Path


def bidi_name(row: Path) -> None:
    """lec.md -> a name holding U+202E RIGHT-TO-LEFT OVERRIDE (displays as 'lecexe.gpj')."""
    (row / "lec.md").rename(row / "lec\u202egpj.exe.md")


def nfd_name(row: Path) -> None:
    """note.md -> '강의.md' spelled in NFD, as macOS file systems hand names over."""
    (row / "note.md").rename(row / unicodedata.normalize("NFD", "강의.md"))


def symlink_out(row: Path) -> None:
    """escape.png -> /etc/hostname: a link inside the project pointing outside it."""
    (row / "escape.png").symlink_to("/etc/hostname")


def non_utf8_name(row: Path) -> Path:
    """note.md -> 'lec\\xff\\xfe.md': a name whose bytes are not UTF-8 (surrogates in Python)."""
    target = Path(os.fsdecode(os.fsencode(str(row)) + b"/lec\xff\xfe.md"))
    (row / "note.md").rename(target)
    return target


def huge_png(row: Path) -> None:
    """big.png: 12,000 x 9,000 RGBA (108 Mpx) written row by row, 436 KB on disk."""
    from bounded import huge_png as write
    write(row / "big.png", 12000, 9000)


def data_uri_6mb(row: Path) -> None:
    """note.md with a 6 MB PNG pasted as a data: URI (8 MB of base64: too big for the repository)."""
    import base64
    payload = base64.b64encode(b"\x89PNG\r\n\x1a\n" + bytes(6 * 1024 * 1024)).decode()
    (row / "note.md").write_text(f"# 붙여 넣기\n\n## 화면\n\n![붙여 넣은 화면](data:image/png;base64,{payload})\n\n"
                                 "붙여 넣은 화면 뒤의 문장.\n", encoding="utf-8")


def image_tail(row: Path) -> None:
    """tail.png: a 64 x 64 PNG followed by a 60 MB tail (sparse on disk)."""
    from PIL import Image
    Image.new("RGB", (64, 64), "teal").save(row / "tail.png")
    with open(row / "tail.png", "r+b") as f:
        f.truncate(60 * 1024 * 1024)


def template_dtd(row: Path) -> None:
    """themes/hostile/: extends the default theme; its template.pptx declares a DTD in presentation.xml."""
    import io
    import zipfile
    from pptx import Presentation
    theme = row / "themes" / "hostile"
    theme.mkdir(parents=True)
    (theme / "theme.toml").write_text('extends = "default"\n', encoding="utf-8")
    plain = io.BytesIO()
    Presentation().save(plain)
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(theme / "template.pptx", "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "ppt/presentation.xml":
                body = body.replace(b"?>", b'?><!DOCTYPE p [<!ENTITY a "aaaaaaaaaa">]>', 1)
            dst.writestr(info.filename, body)


def theme_outside(row: Path) -> None:
    """../outside-theme/theme.toml beside the row's copy: a theme folder outside the project."""
    outside = row.parent / "outside-theme"
    outside.mkdir(exist_ok=True)
    (outside / "theme.toml").write_text('extends = "default"\n', encoding="utf-8")


def note_fifo(row: Path) -> Path:
    """note.md is a FIFO nobody writes to (reading it waited forever)."""
    os.mkfifo(row / "fifo.md")
    return row / "fifo.md"


def note_dev_zero(row: Path) -> Path:
    """note.md -> /dev/zero (reading it filled memory)."""
    (row / "zero.md").symlink_to("/dev/zero")
    return row / "zero.md"


def note_too_large(row: Path) -> Path:
    """big.md: a heading and 21 MB of NUL bytes (sparse on disk): over limits.max_note_mb (20)."""
    big = row / "big.md"
    big.write_bytes(b"# big\n\n")
    with open(big, "r+b") as f:
        f.truncate(21 * 1024 * 1024)
    return big


def image_symlink_loop(row: Path) -> None:
    """loop.png -> loop.png (a symlink loop) and pipe.png, a FIFO."""
    (row / "loop.png").symlink_to("loop.png")
    os.mkfifo(row / "pipe.png")


def folder_hostile_entries(row: Path) -> Path:
    """lectures/: a good note, a CP949 note, and *.md entries that are a symlink loop, a dangling
    link, a FIFO and a link to /dev/zero (the loop stopped the whole run with a traceback; the
    others were skipped without a word)."""
    folder = row / "lectures"
    folder.mkdir()
    (folder / "good.md").write_text("# 좋은 강의\n\n## 첫 슬라이드\n\n정상 문장입니다.\n", encoding="utf-8")
    (folder / "windows.md").write_bytes("# 윈도 강의\n\n## 첫 슬라이드\n\n완성형 문장입니다.\n".encode("cp949"))
    (folder / "loop.md").symlink_to("loop.md")
    (folder / "moved.md").symlink_to("../elsewhere/moved.md")
    os.mkfifo(folder / "fifo.md")
    (folder / "zero.md").symlink_to("/dev/zero")
    return folder
