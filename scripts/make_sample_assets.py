#!/usr/bin/env python3
"""Draw the sample images used by the notes in content/ into assets/.

    .venv/bin/python scripts/make_sample_assets.py

The images are committed; run this only to change them.  Output is
deterministic for a given Pillow version (fixed random seed).  Needs the
Nanum fonts (`apt-get install fonts-nanum`).
"""
from __future__ import annotations

import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

ROOT = Path(__file__).resolve().parent.parent
ASSETS = ROOT / "assets"
NANUM = Path("/usr/share/fonts/truetype/nanum")
SANS = NANUM / "NanumBarunGothic.ttf"
SANS_BOLD = NANUM / "NanumBarunGothicBold.ttf"
MONO = NANUM / "NanumGothicCoding.ttf"
MONO_BOLD = NANUM / "NanumGothicCodingBold.ttf"
MAX_BYTES = 200 * 1024


def font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(path), size)


def centered(draw: ImageDraw.ImageDraw, box, text: str, fnt, fill) -> None:
    x0, y0, x1, y1 = box
    draw.text(((x0 + x1) / 2, (y0 + y1) / 2), text, font=fnt, fill=fill, anchor="mm")


def layer(draw, box, label: str, sub: str | None, fill: str, text: str = "#FFFFFF") -> None:
    draw.rounded_rectangle(box, radius=14, fill=fill)
    x0, y0, x1, y1 = box
    if sub:
        centered(draw, (x0, y0, x1, (y0 + y1) / 2 + 8), label, font(SANS_BOLD, 30), text)
        centered(draw, (x0, (y0 + y1) / 2, x1, y1 - 6), sub, font(SANS, 22), text)
    else:
        centered(draw, box, label, font(SANS_BOLD, 30), text)


def hypervisor_layers() -> Image.Image:
    """Type 1 vs type 2 hypervisor stacks: Hardware / (Host OS) / Hypervisor / Guest OS."""
    w, h = 1600, 900
    img = Image.new("RGB", (w, h), "#F7F9FC")
    d = ImageDraw.Draw(img)
    centered(d, (0, 20, w, 90), "하이퍼바이저 유형 비교: Host OS / Hypervisor / Guest OS",
             font(SANS_BOLD, 44), "#17324D")

    hw, host, hyp, guest, app = "#5B6573", "#2F6FB3", "#E07A1F", "#3C9D5D", "#FFFFFF"
    columns = [
        (60, "Type 1 (Bare-metal)", "예: VMware ESXi, Xen, KVM", False, 3),
        (840, "Type 2 (Hosted)", "예: VirtualBox, VMware Workstation", True, 2),
    ]
    for x, title, example, hosted, guests in columns:
        cw = 700
        centered(d, (x, 110, x + cw, 160), title, font(SANS_BOLD, 36), "#17324D")
        centered(d, (x, 160, x + cw, 200), example, font(SANS, 24), "#5B6573")
        y = h - 40
        rows = [("하드웨어 (Hardware)", "CPU · 메모리 · 디스크 · NIC", hw)]
        if hosted:
            rows.append(("Host OS", "Windows · macOS · Linux", host))
        rows.append(("하이퍼바이저 (Hypervisor)", "가상 하드웨어 제공 · 자원 분배", hyp))
        for label, sub, colour in rows:
            layer(d, (x, y - 110, x + cw, y), label, sub, colour)
            y -= 125
        gap = 20
        gw = (cw - gap * (guests - 1)) // guests
        top = 220
        for i in range(guests):
            gx = x + i * (gw + gap)
            d.rounded_rectangle((gx, top, gx + gw, y), radius=14, fill=guest)
            centered(d, (gx, y - 80, gx + gw, y - 10), f"Guest OS {i + 1}", font(SANS_BOLD, 28), "#FFFFFF")
            for j, name in enumerate(("App", "App")):
                ay = top + 18 + j * 62
                d.rounded_rectangle((gx + 18, ay, gx + gw - 18, ay + 50), radius=8, fill=app)
                centered(d, (gx + 18, ay, gx + gw - 18, ay + 50), f"{name} {j + 1}", font(SANS, 24), guest)
            centered(d, (gx, top + 150, gx + gw, y - 80), "커널 · 드라이버", font(SANS, 22), "#E8F5EC")
    d.line((800, 120, 800, h - 40), fill="#C9D1DC", width=3)
    return img


def terminal() -> Image.Image:
    """A terminal window showing a short shell session with Korean file names."""
    w, h = 1400, 800
    img = Image.new("RGB", (w, h), "#1E2127")
    d = ImageDraw.Draw(img)
    d.rectangle((0, 0, w, 54), fill="#2C313A")
    for i, colour in enumerate(("#FF5F56", "#FFBD2E", "#27C93F")):
        d.ellipse((24 + i * 36, 17, 44 + i * 36, 37), fill=colour)
    centered(d, (0, 0, w, 54), "student@ubuntu: ~ — bash", font(SANS, 24), "#ABB2BF")

    prompt, path, text, blue, dim, green = "#98C379", "#61AFEF", "#DCDFE4", "#61AFEF", "#7F848E", "#98C379"
    lines: list[list[tuple[str, str]]] = [
        [("student@ubuntu", prompt), (":", text), ("~", path), ("$ ", text), ("pwd", text)],
        [("/home/student", text)],
        [("student@ubuntu", prompt), (":", text), ("~", path), ("$ ", text), ("ls -l", text)],
        [("합계 16", text)],
        [("drwxr-xr-x 2 student student 4096  3월  4 10:12 ", text), ("강의자료", blue)],
        [("drwxr-xr-x 3 student student 4096  3월  4 10:14 ", text), ("projects", blue)],
        [("-rwxr-xr-x 1 student student  512  3월  4 10:20 ", text), ("backup.sh", green)],
        [("-rw-r--r-- 1 student student  220  3월  4 10:15 notes.txt", text)],
        [("student@ubuntu", prompt), (":", text), ("~", path), ("$ ", text),
         ("grep -n 리눅스 notes.txt", text)],
        [("3:", dim), ("리눅스는 다중 사용자(multi-user) 운영체제이다.", text)],
        [("student@ubuntu", prompt), (":", text), ("~", path), ("$ ", text), ("df -h /", text)],
        [("Filesystem      Size  Used Avail Use% Mounted on", text)],
        [("/dev/sda1        40G   12G   26G  32% /", text)],
        [("student@ubuntu", prompt), (":", text), ("~", path), ("$ ", text)],
    ]
    mono = font(MONO, 30)
    y = 80
    for parts in lines:
        x = 36
        for chunk, colour in parts:
            d.text((x, y), chunk, font=mono, fill=colour)
            x += d.textlength(chunk, font=mono)
        y += 48
    d.rectangle((x, y - 48 + 4, x + 16, y - 48 + 36), fill=text)  # block cursor
    return img


def container_yard() -> Image.Image:
    """A photo-like JPEG: stacked shipping containers under a dusk gradient sky."""
    w, h = 1280, 720
    rng = random.Random(20240304)
    img = Image.new("RGB", (w, h))
    px = img.load()
    top, bottom = (28, 44, 86), (244, 164, 96)
    for y in range(h):
        t = y / (h - 1)
        row = tuple(round(a + (b - a) * t ** 1.4) for a, b in zip(top, bottom))
        for x in range(w):
            px[x, y] = row
    d = ImageDraw.Draw(img)
    d.ellipse((900, 330, 1060, 490), fill=(255, 214, 150))
    img = img.filter(ImageFilter.GaussianBlur(30))
    d = ImageDraw.Draw(img)
    d.rectangle((0, 600, w, h), fill=(52, 48, 58))
    palette = [(178, 58, 48), (36, 94, 148), (214, 140, 42), (58, 124, 86), (120, 120, 130)]
    cw, ch = 150, 70
    for stack, base_x in enumerate(range(-40, w, cw + 8)):
        height = rng.choice((2, 3, 3, 4, 5))
        for level in range(height):
            x0, y0 = base_x, 600 - (level + 1) * (ch + 4)
            colour = rng.choice(palette)
            shade = 0.75 + 0.25 * rng.random()
            c = tuple(int(v * shade) for v in colour)
            d.rectangle((x0, y0, x0 + cw, y0 + ch), fill=c)
            for rib in range(x0 + 8, x0 + cw - 4, 10):
                d.line((rib, y0 + 5, rib, y0 + ch - 5), fill=tuple(int(v * 0.8) for v in c), width=3)
            d.rectangle((x0, y0, x0 + cw, y0 + ch), outline=tuple(int(v * 0.55) for v in c), width=2)
    img = img.filter(ImageFilter.GaussianBlur(1.2))
    noise = Image.effect_noise((w, h), 18).convert("RGB")
    img = Image.blend(img, noise, 0.06)
    return img


def save(img: Image.Image, name: str, **options) -> None:
    path = ASSETS / name
    img.save(path, **options)
    size = path.stat().st_size
    print(f"{path.relative_to(ROOT)}: {img.width}x{img.height}, {size // 1024} KB")
    if size > MAX_BYTES:
        raise SystemExit(f"{name} is larger than {MAX_BYTES // 1024} KB")


def main() -> None:
    ASSETS.mkdir(exist_ok=True)
    save(hypervisor_layers().quantize(64, dither=Image.Dither.NONE), "hypervisor-layers.png", optimize=True)
    save(terminal().quantize(64, dither=Image.Dither.NONE), "terminal-ls.png", optimize=True)
    save(container_yard(), "container-yard.jpg", quality=82, optimize=True, progressive=True)


if __name__ == "__main__":
    main()
