"""Course pack: one combined handout (``course.pdf``) and an ``index.html`` for a built folder.

The combined PDF concatenates the per-note handouts that the build already
wrote (pypdf: pure Python, keeps pages byte for byte, and lets us rebuild the
outline) behind a generated title and contents page (WeasyPrint, the theme's
body font).  Its outline has one top-level bookmark per lecture with that
handout's own headings nested under it.  Nothing is re-laid-out, so the pack
costs seconds, not a second build.
"""
from __future__ import annotations

import html
import io
import json
import os
import re
from urllib.parse import quote
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from deckgen.diagnostics import Diagnostics
from deckgen.files import atomic_write
from deckgen.read.source import read_source

PACK_PDF = "course.pdf"
PACK_INDEX = "index.html"
PACK_STAMP = ".deckgen-pack.json"
"""What the last pack was made from; an unchanged course is not packed again."""
HEADING = re.compile(r"^#\s+(.+?)\s*#*\s*$", re.M)


@dataclass
class Lecture:
    title: str
    display: str
    """The note as the user named it."""
    pdf: Path | None = None
    pptx: Path | None = None


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


def _rel(path: Path, base: Path) -> str:
    """A relative URL (percent-encoded: Korean names and spaces are common)."""
    return quote(Path(os.path.relpath(path.resolve(), base.resolve())).as_posix())


def _outline_pages(reader: Any, items: list, offset: int) -> list[tuple[str, int, list]]:
    """pypdf outline -> [(title, page in the combined PDF, children)]."""
    out: list[tuple[str, int, list]] = []
    for item in items:
        if isinstance(item, list):
            if out:
                out[-1][2].extend(_outline_pages(reader, item, offset))
            continue
        try:
            page = reader.get_destination_page_number(item)
        except Exception:
            continue
        if page is None or page < 0:
            continue
        out.append((str(item.title), page + offset, []))
    return out


def _front_html(course_title: str, rows: list[tuple[str, int]], theme: Any) -> str:
    faces = ""
    family = "sans-serif"
    if theme is not None:
        f = theme.fonts.body
        family = f"'deckgen-pack', '{f.family}', sans-serif"
        faces = (f"@font-face {{ font-family: 'deckgen-pack'; src: url('{Path(f.regular.path).as_uri()}'); }}\n"
                 f"@font-face {{ font-family: 'deckgen-pack'; font-weight: bold; "
                 f"src: url('{Path(f.bold.path).as_uri()}'); }}\n")
    items = "\n".join(f'<li><span class="t">{html.escape(t)}</span><span class="p">{p}</span></li>'
                      for t, p in rows)
    return f"""<!DOCTYPE html><html lang="ko"><head><meta charset="utf-8"><title>{html.escape(course_title)}</title>
<style>{faces}
@page {{ size: A4; margin: 22mm 20mm; }}
body {{ font-family: {family}; color: #1F2328; }}
.cover {{ page-break-after: always; padding-top: 80mm; text-align: center; }}
.cover h1 {{ font-size: 30pt; margin: 0 0 8mm; }}
.cover p {{ font-size: 13pt; color: #57606A; }}
h2 {{ font-size: 18pt; }}
ol {{ list-style: none; padding: 0; }}
li {{ display: flex; font-size: 11.5pt; padding: 1.6mm 0; border-bottom: 0.3pt solid #D0D7DE; }}
li .t {{ flex: 1; }} li .p {{ margin-left: 6mm; }}
</style></head><body>
<section class="cover"><h1>{html.escape(course_title)}</h1><p>강의 {len(rows)}개</p></section>
<section><h2>차례</h2><ol>{items}</ol></section>
</body></html>"""


def _render_front(course_title: str, lectures: list[tuple[Lecture, int]], theme: Any, base: Path) -> bytes:
    from weasyprint import HTML

    def render(front_pages: int) -> tuple[bytes, int]:
        rows, page = [], front_pages + 1
        for lec, n in lectures:
            rows.append((lec.title, page))
            page += n
        doc = HTML(string=_front_html(course_title, rows, theme), base_url=str(base)).render()
        return doc.write_pdf(), len(doc.pages)

    data, n = render(2)
    if n != 2:
        data, _ = render(n)
    return data


def write_course_pdf(lectures: list[Lecture], target: Path, course_title: str, theme: Any = None) -> list[str]:
    """Concatenate the lectures' handouts behind a title and contents page; returns warnings."""
    from pypdf import PdfReader, PdfWriter

    warnings: list[str] = []
    readers = []
    for lec in lectures:
        if lec.pdf is None or not lec.pdf.is_file():
            warnings.append(f"{lec.display}: warning: no handout PDF, left out of {target.name}")
            continue
        try:
            readers.append((lec, PdfReader(str(lec.pdf))))
        except Exception as e:
            warnings.append(f"{lec.display}: warning: cannot read {lec.pdf} ({e}); left out of {target.name}")
    front = PdfReader(io.BytesIO(_render_front(course_title, [(lec, len(r.pages)) for lec, r in readers],
                                               theme, target.parent)))
    writer = PdfWriter()
    writer.append(front, import_outline=False)
    offset = len(front.pages)
    for lec, reader in readers:
        writer.append(reader, import_outline=False)
        top = writer.add_outline_item(title=lec.title, page_number=offset)
        tree = _outline_pages(reader, list(reader.outline), offset)
        # a handout's outline starts with its own title: lift its headings one level up
        if len(tree) == 1 and tree[0][2]:
            tree = tree[0][2]
        _add_outline(writer, tree, top)
        offset += len(reader.pages)
    writer.add_metadata({"/Title": course_title, "/Producer": "deckgen"})
    writer.page_mode = "/UseOutlines"
    buf = io.BytesIO()
    writer.write(buf)
    atomic_write(target, buf.getvalue())
    return warnings


def _add_outline(writer: Any, tree: list[tuple[str, int, list]], parent: Any) -> None:
    for title, page, children in tree:
        item = writer.add_outline_item(title=title, page_number=page, parent=parent)
        _add_outline(writer, children, item)


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


def index_html(lectures: list[Lecture], out_dir: Path, course_title: str, pack_pdf: Path | None) -> str:
    rows = []
    for lec in lectures:
        links = {}
        if lec.pptx is not None and lec.pptx.is_file():
            links["슬라이드 (PPTX)"] = _rel(lec.pptx, out_dir)
        if lec.pdf is not None and lec.pdf.is_file():
            links["유인물 (PDF)"] = _rel(lec.pdf, out_dir)
        rows.append((lec.title, links))
    extra = ""
    if pack_pdf is not None and pack_pdf.is_file():
        extra = f'<p><a href="{html.escape(_rel(pack_pdf, out_dir))}">전체 유인물 (course.pdf)</a></p>'
    return page_html(course_title, rows, extra)


def listing_html(out_dir: Path) -> str:
    """What `deckgen watch --serve` shows at /: every deck and handout under *out_dir*."""
    stems: dict[Path, dict[str, str]] = {}
    for p in sorted(out_dir.rglob("*")):
        if p.suffix in (".pptx", ".pdf") and not any(part.startswith(".") for part in p.relative_to(out_dir).parts):
            rel = p.relative_to(out_dir)
            label = "슬라이드 (PPTX)" if p.suffix == ".pptx" else "유인물 (PDF)"
            stems.setdefault(rel.with_suffix(""), {})[label] = quote(rel.as_posix())
    rows = [(k.as_posix(), v) for k, v in sorted(stems.items())]
    return page_html(f"deckgen: {out_dir.name}", rows)


def _stamp(lectures: list[Lecture], course_title: str, theme: Any, with_pdf: bool) -> str:
    from deckgen import __version__

    def sig(p: Path | None) -> list | None:
        try:
            st = p.stat() if p is not None else None
        except OSError:
            return None
        return [str(p.resolve()), st.st_size, st.st_mtime_ns] if st else None

    data = {"deckgen": __version__, "title": course_title, "pdf": with_pdf,
            "theme": [str(f) for f in getattr(theme, "source_files", ())],
            "lectures": [[lec.title, lec.display, sig(lec.pdf), sig(lec.pptx)] for lec in lectures]}
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
