"""course.pdf: the lectures' handouts concatenated behind a title and contents page.

In: handout PDFs the build already wrote, the course title, the theme (for its body font).
Out: one PDF whose outline has a bookmark per lecture with that handout's own headings under it.
pypdf (pure Python) keeps the pages byte for byte and rebuilds the outline; the front pages are
set (and tagged) by WeasyPrint; :mod:`deckgen.backends.pack_tags` merges every part's structure tree
so the pack stays a tagged PDF for screen readers.  Kept under backends/ because only backends
import PDF and PPTX libraries.
"""
from __future__ import annotations

import html
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from deckgen.files import atomic_write


class PackedLecture(Protocol):
    title: str
    display: str
    """The note as the user named it (for warnings)."""
    pdf: Path | None


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


def _front_html(course_title: str, rows: list[tuple[str, int]], theme: Any, lang: str) -> str:
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
    # the primary subtag only ("ko", as before): fontconfig picks fallback faces by it, and the
    # catalog's /Lang (the full tag) is set on the pack itself
    primary = html.escape(lang.split("-")[0], quote=True)
    return f"""<!DOCTYPE html><html lang="{primary}">
<head><meta charset="utf-8"><title>{html.escape(course_title)}</title>
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


def _render_front(course_title: str, lectures: list[tuple[PackedLecture, int]], theme: Any, base: Path,
                  lang: str) -> bytes:
    from weasyprint import HTML

    def render(front_pages: int) -> tuple[bytes, int]:
        rows, page = [], front_pages + 1
        for lec, n in lectures:
            rows.append((lec.title, page))
            page += n
        doc = HTML(string=_front_html(course_title, rows, theme, lang), base_url=str(base)).render()
        return doc.write_pdf(pdf_tags=True), len(doc.pages)

    data, n = render(2)
    if n != 2:
        data, _ = render(n)
    return data


def _catalog_lang(reader: Any) -> str | None:
    lang = reader.trailer["/Root"].get_object().get("/Lang")
    return str(lang) if lang else None


def write_course_pdf(lectures: Sequence[PackedLecture], target: Path, course_title: str,
                     theme: Any = None, lang: str | None = None) -> list[str]:
    """Concatenate the lectures' handouts behind a title and contents page; returns warnings.

    *lang*: the course's language (the catalog's /Lang); by default the first handout's."""
    from pypdf import PdfReader, PdfWriter

    from deckgen.backends.pack_tags import StructureMerge

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
    lang = lang or next((lg for _, r in readers if (lg := _catalog_lang(r))), None) or "ko-KR"
    front = PdfReader(io.BytesIO(_render_front(course_title, [(lec, len(r.pages)) for lec, r in readers],
                                               theme, target.parent, lang)))
    writer = PdfWriter()
    tags = StructureMerge(writer)
    writer.append(front, import_outline=False)
    tags.add_part(front, 0)
    offset = len(front.pages)
    for lec, reader in readers:
        writer.append(reader, import_outline=False)
        _local_links(writer, reader, offset)
        own = _catalog_lang(reader)
        if not tags.add_part(reader, offset, own if own != lang else None, lec.title):
            warnings.append(f"{lec.display}: warning: {lec.pdf} is not tagged; its pages in {target.name} "
                            f"have no structure for screen readers")
        top = writer.add_outline_item(title=lec.title, page_number=offset)
        tree = _outline_pages(reader, list(reader.outline), offset)
        # a handout's outline starts with its own title: lift its headings one level up
        if len(tree) == 1 and tree[0][2]:
            tree = tree[0][2]
        _add_outline(writer, tree, top)
        offset += len(reader.pages)
    tags.finish(lang, course_title)
    writer.add_metadata({"/Title": course_title, "/Producer": "deckgen"})
    writer.page_mode = "/UseOutlines"
    buf = io.BytesIO()
    writer.write(buf)
    atomic_write(target, _packed(buf.getvalue()))
    return warnings


def _packed(pdf: bytes) -> bytes:
    """*pdf* with its objects in compressed object streams.  pypdf writes every object on its own,
    uncompressed: the ~88,000 structure elements of a 40-lecture pack made course.pdf 17.1 MB
    instead of 5.5 MB.  qpdf (through pikepdf) packs them; the pages' streams are kept as they are,
    and the file /ID is derived from the content, so the same handouts give the same bytes."""
    import pikepdf

    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        doc.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate, compress_streams=True,
                 recompress_flate=False, deterministic_id=True)
    return out.getvalue()


def _local_links(writer: Any, reader: Any, offset: int) -> None:
    """Point the part's links to named destinations at its own pages.

    Every handout names its sections sec-1, sec-2, ...; the combined PDF keeps one name tree,
    so a lecture's contents links would jump into the first lecture's sections."""
    from pypdf.generic import ArrayObject, NameObject

    dests = reader.named_destinations
    for i in range(len(reader.pages)):
        for ref in writer.pages[offset + i].get("/Annots", ()):
            annot = ref.get_object()
            action = annot.get("/A")
            holder, key = (action.get_object(), "/D") if action is not None and "/D" in action.get_object() \
                else (annot, "/Dest")
            name = holder.get(key)
            if not isinstance(name, str) or str(name) not in dests:
                continue
            dest = dests[str(name)]
            page = reader.get_destination_page_number(dest)
            if page is not None and page >= 0:
                target = writer.pages[offset + page].indirect_reference
                holder[NameObject(key)] = ArrayObject([target, *dest.dest_array[1:]])


def _add_outline(writer: Any, tree: list[tuple[str, int, list]], parent: Any) -> None:
    for title, page, children in tree:
        item = writer.add_outline_item(title=title, page_number=page, parent=parent)
        _add_outline(writer, children, item)


