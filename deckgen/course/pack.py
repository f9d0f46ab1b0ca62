"""Course pack: one combined handout (``course.pdf``) and an ``index.html`` for a built folder.

This module decides what goes into the pack and when it is stale; the PDF itself is
assembled by :mod:`deckgen.backends.pack` (the only place that touches WeasyPrint and pypdf).
Nothing is re-laid-out, so the pack costs seconds, not a second build.
"""
from __future__ import annotations

import html
import json
import re
from urllib.parse import quote
from pathlib import Path
from typing import Any

from deckgen.backends.pack import write_course_pdf
from deckgen.course.index import Lecture, index_html
from deckgen.diagnostics import Diagnostics
from deckgen.files import atomic_write
from deckgen.read.source import read_source

PACK_PDF = "course.pdf"
PACK_INDEX = "index.html"
PACK_STAMP = ".deckgen-pack.json"
"""What the last pack was made from; an unchanged course is not packed again."""
HEADING = re.compile(r"^#\s+(.+?)\s*#*\s*$", re.M)


def note_title(note: Path) -> str:
    """Front matter title, else the first ``#`` heading, else the file name."""
    try:
        src = read_source(note, str(note), Diagnostics())
    except Exception:
        return note.stem
    title = src.front_matter.get("title")
    if isinstance(title, str) and title.strip():
        return title.strip()
    m = HEADING.search(src.text)
    return m.group(1) if m else note.stem


def page_html(title: str, rows: list[tuple[str, dict[str, str]]], extra: str = "") -> str:
    """A plain index page: one row per lecture with its links (label -> relative href)."""
    body = []
    for name, links in rows:
        cells = " · ".join(f'<a href="{html.escape(href, quote=True)}">{html.escape(label)}</a>'
                           for label, href in links.items()) or "<em>(없음)</em>"
        body.append(f"<li><strong>{html.escape(name)}</strong> — {cells}</li>")
    return f"""<!DOCTYPE html>
<html lang="ko"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>body{{font-family:sans-serif;max-width:52em;margin:2em auto;line-height:1.6}}
li{{margin:.3em 0}}</style></head>
<body><h1>{html.escape(title)}</h1>{extra}
<ol>
{chr(10).join(body)}
</ol></body></html>
"""


def listing_html(out_dir: Path) -> str:
    """What `deckgen watch --serve` shows at /: every deck and handout under *out_dir*."""
    stems: dict[Path, dict[str, str]] = {}
    for p in sorted(out_dir.rglob("*")):
        if p.suffix in (".pptx", ".pdf") and not any(part.startswith(".") for part in p.relative_to(out_dir).parts):
            rel = p.relative_to(out_dir)
            stem, label = rel.with_suffix(""), "슬라이드 (PPTX)" if p.suffix == ".pptx" else "유인물 (PDF)"
            for suffix, name in (("-slides", "슬라이드 (PDF)"), ("-instructor", "강의자용 (PDF)")):
                if p.suffix == ".pdf" and stem.name.endswith(suffix):
                    stem, label = stem.with_name(stem.name[:-len(suffix)]), name
            stems.setdefault(stem, {})[label] = quote(rel.as_posix())
    rows = [(k.as_posix(), v) for k, v in sorted(stems.items())]
    return page_html(f"deckgen: {out_dir.name}", rows)


def _stamp(lectures: list[Lecture], course_title: str, theme: Any, with_pdf: bool) -> str:
    from deckgen import __version__

    def sig(p: Path | None) -> list | None:
        if p is None:
            return None
        try:
            st = p.stat()
        except OSError:
            return None
        return [str(p.resolve()), st.st_size, st.st_mtime_ns]

    data = {"deckgen": __version__, "title": course_title, "pdf": with_pdf,
            "theme": [str(f) for f in getattr(theme, "source_files", ())],
            "lectures": [[lec.title, lec.display, sig(lec.pdf), sig(lec.pptx), sig(lec.slides), sig(lec.thumb),
                          sig(lec.instructor)] for lec in lectures]}
    return json.dumps(data, sort_keys=True, ensure_ascii=False)


def write_pack(lectures: list[Lecture], out_dir: Path, course_title: str, theme: Any = None,
               with_pdf: bool = True) -> tuple[list[Path], list[str]]:
    """Write course.pdf (when the handouts were built) and index.html; returns (written, warnings).

    Nothing is written (and *written* is empty) when the lectures' outputs, titles and the course
    title are the same as for the last pack and its files still exist."""
    written: list[Path] = []
    warnings: list[str] = []
    pack_pdf = out_dir / PACK_PDF
    stamp = _stamp(lectures, course_title, theme, with_pdf)
    stamp_file = out_dir / PACK_STAMP
    try:
        unchanged = stamp_file.read_text(encoding="utf-8") == stamp
    except OSError:
        unchanged = False
    if unchanged and (out_dir / PACK_INDEX).is_file() and (pack_pdf.is_file() or not with_pdf):
        return written, warnings
    if with_pdf:
        warnings += write_course_pdf(lectures, pack_pdf, course_title, theme)
        written.append(pack_pdf)
    else:
        warnings.append(f"deckgen: warning: --pack without the pdf format writes only {PACK_INDEX}")
    index = out_dir / PACK_INDEX
    atomic_write(index, index_html(lectures, out_dir, course_title, pack_pdf if with_pdf else None).encode())
    written.append(index)
    atomic_write(stamp_file, stamp.encode("utf-8"))  # last: only a complete pack is ever "up to date"
    return written, warnings
