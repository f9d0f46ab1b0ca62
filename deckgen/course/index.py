"""The course pack's index.html: one card per lecture with its first slide and every output.

Links are relative (the output folder can be copied or served anywhere) and
percent-encoded (Korean file names); the thumbnail is the PNG the build made
of the lecture's first slide.  The page is plain HTML and CSS, no script.
"""
from __future__ import annotations

import html
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

LABELS = (("pptx", "슬라이드 (PPTX)"), ("slides", "슬라이드 (PDF)"), ("pdf", "유인물 (PDF)"),
          ("instructor", "강의자용 (PDF)"))
"""Output kind -> link text, in the order the links are shown."""


@dataclass
class Lecture:
    title: str
    display: str
    """The note as the user named it."""
    pdf: Path | None = None
    pptx: Path | None = None
    slides: Path | None = None
    """NOTE-slides.pdf, when built."""
    thumb: Path | None = None
    """NOTE-thumb.png: the first slide, when built."""

    @property
    def instructor(self) -> Path | None:
        """NOTE-instructor.pdf beside the handout, when one was written."""
        return self.pdf.with_name(f"{self.pdf.stem}-instructor.pdf") if self.pdf is not None else None

    def outputs(self) -> dict[str, Path]:
        """The outputs that exist on disk, by kind."""
        found = {"pptx": self.pptx, "slides": self.slides, "pdf": self.pdf, "instructor": self.instructor}
        return {k: p for k, p in found.items() if p is not None and p.is_file()}


def rel_url(path: Path, base: Path) -> str:
    """A relative URL (percent-encoded: Korean names and spaces are common)."""
    return quote(Path(os.path.relpath(path.resolve(), base.resolve())).as_posix())


def _card(lec: Lecture, out_dir: Path) -> str:
    outs = lec.outputs()
    links = "".join(f'<li><a href="{html.escape(rel_url(outs[k], out_dir), quote=True)}">{html.escape(label)}</a></li>'
                    for k, label in LABELS if k in outs) or "<li><em>(없음)</em></li>"
    if lec.thumb is not None and lec.thumb.is_file():
        first = outs.get("slides") or outs.get("pptx") or outs.get("pdf")
        img = (f'<img src="{html.escape(rel_url(lec.thumb, out_dir), quote=True)}" width="240" height="135" '
               f'alt="{html.escape(lec.title, quote=True)}: 첫 슬라이드">')
        thumb = f'<a href="{html.escape(rel_url(first, out_dir), quote=True)}">{img}</a>' if first else img
    else:
        thumb = '<div class="nothumb">미리보기 없음</div>'
    return (f'<li class="lecture">{thumb}<div><h2>{html.escape(lec.title)}</h2>'
            f'<ul class="links">{links}</ul></div></li>')


STYLE = """body{font-family:"NanumBarunGothic","NanumGothic",sans-serif;max-width:60em;margin:2em auto;
padding:0 1em;color:#1F2328}
ol.lectures{list-style:none;padding:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(16em,1fr));gap:1.2em}
li.lecture{border:1px solid #C9D2DC;border-radius:6px;padding:.8em;background:#fff}
li.lecture img,.nothumb{display:block;width:240px;max-width:100%;height:auto;aspect-ratio:16/9;
border:1px solid #D8DEE4}
.nothumb{color:#8A939C;display:flex;align-items:center;justify-content:center}
h2{font-size:1.05em;margin:.6em 0 .3em}
ul.links{list-style:none;padding:0;margin:0;line-height:1.7}"""


def index_html(lectures: list[Lecture], out_dir: Path, course_title: str, pack_pdf: Path | None) -> str:
    """The whole index page."""
    cards = "\n".join(_card(lec, out_dir) for lec in lectures)
    extra = ""
    if pack_pdf is not None and pack_pdf.is_file():
        extra = f'<p><a href="{html.escape(rel_url(pack_pdf, out_dir))}">전체 유인물 (course.pdf)</a></p>'
    return f"""<!DOCTYPE html>
<html lang="ko"><head><meta charset="utf-8"><title>{html.escape(course_title)}</title>
<style>{STYLE}</style></head>
<body><h1>{html.escape(course_title)}</h1>{extra}
<ol class="lectures">
{cards}
</ol></body></html>
"""
