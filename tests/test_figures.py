"""Diagrams, images and math in both outputs, offline (issue 5).

One generated note holds two mermaid diagrams with Korean labels, a graphviz
graph, an SVG, an EXIF-rotated JPEG, a 6000x4000 photo, a decompression bomb,
a corrupt PNG and display + inline math.
"""
from __future__ import annotations

import io
import re
import shutil
import socket
import struct
import subprocess
import time
import zipfile
import zlib
from pathlib import Path

import pytest
from PIL import Image as PILImage

from deckgen.diagnostics import Diagnostics
from deckgen.model import CodeBlock, Document, Image, Math, Meta, SourceSpan, to_data
from deckgen.read.parse import parse_source
from deckgen.pipeline import BuildOptions, build_one, cached_theme
from deckgen.render import RENDER_CALLS, available_renderers, diagrams, render_figures
from deckgen.render.raster import RasterError, prepare
from deckgen.render.tex import MathError, render_math_svg, tex_to_text


FLOWCHART = """flowchart LR
  A[사용자 요청] --> B{캐시 확인}
  B -->|있음| C[결과 반환]
  B -->|없음| D[그림 렌더링]"""
SEQUENCE = """sequenceDiagram
  participant 학생
  participant 채점서버
  학생->>채점서버: 과제 제출
  채점서버-->>학생: 접수 확인"""
DOT = 'digraph G { rankdir=LR; a [label="소스 코드"]; b [label="컴파일러"]; a -> b [label="입력"]; }'
SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="320" height="160" viewBox="0 0 320 160">'
       '<rect x="4" y="4" width="312" height="152" rx="12" fill="#e8f0fe" stroke="#1a73e8"/>'
       '<text x="160" y="90" font-size="28" text-anchor="middle" font-family="NanumBarunGothic">벡터 그림</text>'
       '</svg>')

NOTE = f"""---
title: 그림 시험
---

# 그림 시험

## 순서도

```mermaid
{FLOWCHART}
```

## 시퀀스

```mermaid
{SEQUENCE}
```

## 그래프

```dot
{DOT}
```

## 그림들

![벡터 그림](vector.svg)

![회전된 사진](rotated.jpg)

## 큰 사진

![큰 사진](photo.jpg)

## 나쁜 그림

![폭탄](bomb.png)

![깨진 그림](corrupt.png)

## 수식

$$
\\int_0^1 x^2\\,dx = \\frac{{1}}{{3}}
$$

에너지는 $E=mc^2$ 이다.
"""


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def bomb_png(path: Path, side: int = 30000) -> None:
    """A 1-bit greyscale PNG of side x side pixels of one colour, compressed row by row:
    ~100 KB on disk, never allocated as pixels."""
    row = b"\0" + b"\0" * ((side + 7) // 8)
    comp = zlib.compressobj(9)
    parts = [comp.compress(row) for _ in range(side)]
    parts.append(comp.flush())
    ihdr = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", b"".join(parts))
                     + png_chunk(b"IEND", b""))


def make_project(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "deckgen.toml").write_text("", encoding="utf-8")
    (root / "vector.svg").write_text(SVG, encoding="utf-8")
    im = PILImage.new("RGB", (300, 200), "#c0392b")
    im.paste((41, 128, 185), (0, 0, 150, 200))
    exif = PILImage.Exif()
    exif[0x0112] = 6                                  # rotate 90° clockwise when shown
    im.save(root / "rotated.jpg", exif=exif.tobytes())
    photo = PILImage.effect_noise((6000, 4000), 40).convert("RGB")
    photo.save(root / "photo.jpg", quality=90)
    bomb_png(root / "bomb.png")
    (root / "corrupt.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0\0\0\rIHDR" + b"garbage" * 50)
    note = root / "figures.md"
    note.write_text(NOTE, encoding="utf-8")
    return note


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Build the note twice: once cold, once after a one-word edit (network off both times)."""
    root = tmp_path_factory.mktemp("figs") / "proj"
    note = make_project(root)
    out = root / "out"
    outputs = {"pptx": out / "figures.pptx", "pdf": out / "figures.pdf"}

    def refuse(*args, **kwargs):
        raise AssertionError(f"network access during a build: {args}")

    mp = pytest.MonkeyPatch()
    mp.setattr(socket.socket, "connect", refuse)
    mp.setattr(socket, "create_connection", refuse)
    try:
        diagrams._WORKER.stop()                       # a cold start: the first build pays for the engine
        before = RENDER_CALLS.copy()
        t0 = time.perf_counter()
        first = build_one(note, outputs, BuildOptions())
        first_s = time.perf_counter() - t0
        calls_first = RENDER_CALLS - before
        pptx_bytes = outputs["pptx"].read_bytes()
        pdf_text = subprocess.run(["pdftotext", "-layout", str(outputs["pdf"]), "-"], capture_output=True,
                                  text=True).stdout if shutil.which("pdftotext") else None
        note.write_text(NOTE.replace("에너지는", "질량 에너지는"), encoding="utf-8")
        before = RENDER_CALLS.copy()
        t0 = time.perf_counter()
        second = build_one(note, outputs, BuildOptions())
        second_s = time.perf_counter() - t0
        calls_second = RENDER_CALLS - before
    finally:
        mp.undo()
    return dict(root=root, first=first, second=second, first_s=first_s, second_s=second_s,
                calls_first=calls_first, calls_second=calls_second, pptx=pptx_bytes, pdf_text=pdf_text,
                outputs=outputs)


def slide_xmls(pptx: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(pptx)) as z:
        names = sorted((n for n in z.namelist() if re.fullmatch(r"ppt/slides/slide\d+\.xml", n)),
                       key=lambda n: int(re.search(r"\d+", n).group()))
        return [z.read(n).decode("utf-8") for n in names]


def test_build_succeeds_with_a_warning_for_each_bad_picture(built):
    r = built["first"]
    assert not r.failed, r.diags.format() if hasattr(r.diags, "format") else r.diags.items
    codes = [(d.code, d.source.line) for d in r.diags.items]
    assert ("image-bomb", NOTE.splitlines().index("![폭탄](bomb.png)") + 1) in codes
    assert ("image-unreadable", NOTE.splitlines().index("![깨진 그림](corrupt.png)") + 1) in codes
    assert not [d for d in r.diags.items if d.code in ("diagram-failed", "math-failed")]
    line = next(d for d in r.diags.items if d.code == "image-bomb").format()
    assert re.match(r".*figures\.md:\d+: warning: ", line)


def test_deck_has_a_picture_for_every_valid_item(built):
    xml = "".join(slide_xmls(built["pptx"]))
    # 2 mermaid + 1 dot + svg + rotated jpeg + photo + display math
    assert xml.count("<p:pic>") == 7
    # every SVG (3 diagrams, the .svg image, the formula) is also attached as a vector
    assert xml.count("asvg:svgBlip") == 5
    assert xml.count("이미지 없음") == 2                # bomb and corrupt PNG: placeholders
    # inline math stays editable text: italic variables and a raised "2" (issue 14)
    run = next(r for r in re.findall(r"<a:r>.*?</a:r>", xml) if "<a:t>mc</a:t>" in r)
    assert ' i="1"' in run and 'baseline="30000"' in xml


def test_deck_stays_small_and_pictures_are_fit_for_their_frames(built):
    with zipfile.ZipFile(io.BytesIO(built["pptx"])) as z:
        media = {n: z.read(n) for n in z.namelist() if n.startswith("ppt/media/")}
        types = z.read("[Content_Types].xml").decode()
    total = sum(len(b) for b in media.values())
    assert total < 2_500_000, f"media {total} bytes"
    assert len(built["pptx"]) < 3_000_000
    sizes = [PILImage.open(io.BytesIO(b)).size for n, b in media.items() if not n.endswith(".svg")]
    assert max(max(s) for s in sizes) <= 13.34 * 220 * 1.15   # no picture beyond ~220 dpi of the slide
    assert any(h > w for w, h in sizes if (w, h) != (0, 0))   # the EXIF-rotated JPEG stands upright
    assert 'ContentType="image/svg+xml"' in types


def test_handout_draws_diagrams_as_vectors_with_korean_text(built):
    if built["pdf_text"] is None:
        pytest.skip("pdftotext is not installed")
    text = re.sub(r"\s+", " ", built["pdf_text"])
    for label in ("사용자 요청", "캐시 확인", "결과 반환", "과제 제출", "채점서버", "컴파일러", "벡터 그림"):
        assert label in text, label


def test_rebuild_after_a_one_word_edit_hits_the_cache(built):
    assert built["calls_first"]["mermaid"] == 2 and built["calls_first"]["graphviz"] == 1
    assert built["calls_first"]["math"] == 1
    assert sum(built["calls_second"].values()) == 0
    assert not built["second"].failed
    assert built["second_s"] < built["first_s"] * 0.6, (built["first_s"], built["second_s"])
    cache = built["root"] / ".deckgen-cache" / "figures"
    assert len(list(cache.glob("*/*.svg"))) == 5     # 2 mermaid, 1 dot, 1 display and 1 inline formula


# ------------------------------------------------------------------ units
def test_math_syntax_is_parsed(tmp_path):
    from deckgen.read.source import read_source
    from deckgen.read.assets import AssetResolver

    text = "값 $a^2$ 와 \\(b_1\\), 가격 $5 와 $10.\n\n$$\nx+1\n$$\n\n\\[\n\\frac{a}{b}\n\\]\n"
    note = tmp_path / "m.md"
    note.write_text(text, encoding="utf-8")
    diags = Diagnostics()
    doc = parse_source(read_source(note, "m.md", diags), diags, AssetResolver(note, tmp_path))
    data = to_data(doc)["blocks"]
    spans = data[0]["spans"]
    assert [s.get("math") for s in spans if s.get("math")] == ["a^2", "b_1"]
    assert "가격 $5 와 $10." in "".join(s["text"] for s in spans)
    maths = [b for b in doc.blocks if isinstance(b, Math)]
    assert [m.tex for m in maths] == ["x+1", "\\frac{a}{b}"]
    assert [m.source.line for m in maths] == [3, 7]


def test_tex_to_text():
    assert tex_to_text("E=mc^2") == "E=mc²"
    assert tex_to_text(r"\alpha + \beta_i") == "α+βᵢ"
    assert tex_to_text(r"\frac{a+b}{2}") == "(a+b)/2"
    assert tex_to_text(r"\frac{1}{") == r"\frac{1}{"


def test_bad_formula_and_bad_diagram_fall_back_to_code(tmp_path):
    theme, _ = cached_theme("default")
    where = SourceSpan("n.md", 4)
    doc = Document(Meta(), (Math(r"\notacommand{x}", True, where),
                            CodeBlock("flowchart LR\n  A --> ", "mermaid", SourceSpan("n.md", 9)),
                            CodeBlock("digraph { a -> }", "dot", SourceSpan("n.md", 12)),
                            CodeBlock("Alice -> Bob: hi", "plantuml", SourceSpan("n.md", 15))))
    diags = Diagnostics()
    out = render_figures(doc, diags, cache_dir=tmp_path / "c", theme=theme, project_root=tmp_path)
    assert [type(b).__name__ for b in out.blocks] == ["CodeBlock"] * 4
    assert out.blocks[0].language == "latex"
    codes = {(d.code, d.source.line) for d in diags.items}
    assert ("math-failed", 4) in codes and ("diagram-failed", 12) in codes
    if diagrams.plantuml_command() is None:
        assert ("diagram-renderer-missing", 15) in codes
    assert ("diagram-failed", 9) in codes


def test_renderer_timeout_is_a_render_error_and_the_worker_recovers():
    theme, _ = cached_theme("default")
    body = theme.fonts.body
    fonts = diagrams.Fonts(body.family, body.regular.path, body.bold.path)
    with pytest.raises(diagrams.RenderError, match="timed out"):
        diagrams.render_mermaid("flowchart LR\n  A --> B", fonts, timeout=0.01)
    assert "<svg" in diagrams.render_mermaid("flowchart LR\n  가 --> 나", fonts, timeout=60)


@pytest.mark.parametrize("kind", ["class", "state", "er", "gantt", "pie", "mindmap"])
def test_other_mermaid_diagram_types_render(kind, tmp_path):
    src = {
        "class": "classDiagram\n  class 강의 {\n    +제목\n  }\n  강의 <|-- 실습",
        "state": "stateDiagram-v2\n  [*] --> 대기\n  대기 --> 실행\n  실행 --> [*]",
        "er": "erDiagram\n  STUDENT ||--o{ COURSE : takes",
        "gantt": "gantt\n  title 일정\n  dateFormat YYYY-MM-DD\n  section 준비\n  자료 : a1, 2024-01-01, 3d",
        "pie": 'pie title 비율\n  "강의" : 60\n  "실습" : 40',
        "mindmap": "mindmap\n  root((강의))\n    개념\n    실습",
    }[kind]
    theme, _ = cached_theme("default")
    diags = Diagnostics()
    doc = Document(Meta(), (CodeBlock(src, "mermaid", SourceSpan("n.md", 1)),))
    out = render_figures(doc, diags, cache_dir=tmp_path, theme=theme, project_root=tmp_path)
    assert isinstance(out.blocks[0], Image), diags.items
    assert out.blocks[0].kind == "diagram" and out.blocks[0].pixel_size


def test_raster_conversions(tmp_path):
    cmyk = tmp_path / "cmyk.jpg"
    PILImage.new("CMYK", (400, 300), (0, 100, 200, 0)).save(cmyk)
    data, ext = prepare(str(cmyk), (200, 200))
    im = PILImage.open(io.BytesIO(data))
    assert ext == "jpg" and im.mode == "RGB" and max(im.size) <= 200
    pal = tmp_path / "p.png"
    PILImage.new("P", (50, 50)).save(pal)
    data, ext = prepare(str(pal), (200, 200))
    assert ext == "png"
    deep = tmp_path / "deep.png"
    PILImage.new("I;16", (64, 64), 40000).save(deep)
    data, ext = prepare(str(deep), (200, 200))
    assert PILImage.open(io.BytesIO(data)).mode in ("L", "RGB")
    webp = tmp_path / "w.webp"
    PILImage.new("RGB", (64, 64), "red").save(webp)
    data, ext = prepare(str(webp), (200, 200))
    assert ext in ("png", "jpg")
    eps = tmp_path / "x.eps"
    eps.write_bytes(b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\nshowpage\n")
    with pytest.raises(RasterError):
        prepare(str(eps), (200, 200))
    bomb = tmp_path / "bomb.png"
    bomb_png(bomb, 16000)                                 # 256 Mpx: beyond Pillow's limit
    with pytest.raises(RasterError, match="too large"):
        prepare(str(bomb), (200, 200))


def test_math_svg_and_errors():
    assert "<svg" in render_math_svg(r"\sqrt{x^2+1}", 30)
    with pytest.raises(MathError):
        render_math_svg(r"\frac{1}{", 30)


def test_available_renderers_reports_each_one():
    rows = available_renderers()
    names = [r[0] for r in rows]
    assert {"mermaid", "graphviz", "plantuml", "math", "svg-raster", "raster"} <= set(names)
    for _name, ok, detail, disables in rows:
        assert isinstance(ok, bool) and detail and isinstance(disables, str)
