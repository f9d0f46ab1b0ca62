"""CPU time and memory of each WeasyPrint stage of one note's handout, edition by edition.

    .venv/bin/python bench/handout_stages.py NOTE.md [--edition student --edition instructor]

In-process (no forked child), CPU time (time.process_time), so a shared machine's load does not
inflate the figures much.  For each edition: writing the HTML, parsing it, `render` (cascade and
layout; how many pages WeasyPrint laid out and which it laid out more than once: the contents
page waits for target-counter() page numbers) and `write_pdf` (painting, fonts, pydyf), and the
process's peak RSS so far.
"""
from __future__ import annotations

import argparse
import resource
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("note", type=Path)
    ap.add_argument("--edition", action="append", choices=("student", "instructor"))
    args = ap.parse_args(argv)
    import weasyprint.layout.page as wpage
    from weasyprint import HTML

    from deckgen.backends.handout.document import handout_url_fetcher, render_handout_html
    from deckgen.backends.handout.leaders import install_line_merge
    from deckgen.backends.handout.pdf import PDF_OPTIONS
    from deckgen.diagnostics import Diagnostics
    from deckgen.pipeline import cached_theme
    from deckgen.read.parse import parse_note

    made: list[int] = []
    make_page = wpage.make_page

    def counted(context, root_box, page_type, resume_at, page_number, page_state):
        made.append(page_number)
        return make_page(context, root_box, page_type, resume_at, page_number, page_state)

    wpage.make_page = counted
    install_line_merge()
    theme, _ = cached_theme("default")
    diags = Diagnostics()
    doc = parse_note(args.note, diags, display=args.note.name)
    base = args.note.parent
    for edition in args.edition or ["student", "instructor"]:
        made.clear()
        clock = time.process_time()
        page = render_handout_html(doc, theme, diags, base_dir=base, edition=edition)
        html_s, clock = time.process_time() - clock, time.process_time()
        parsed = HTML(string=page, base_url=base.resolve().as_uri() + "/",
                      url_fetcher=handout_url_fetcher(theme, base))
        parse_s, clock = time.process_time() - clock, time.process_time()
        document = parsed.render(**PDF_OPTIONS)
        render_s, clock = time.process_time() - clock, time.process_time()
        pdf = document.write_pdf(**PDF_OPTIONS)
        write_s = time.process_time() - clock
        again = sorted(p for p, n in Counter(made).items() if n > 1)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        print(f"{edition}: html {html_s:.2f} s, parse {parse_s:.2f} s, render {render_s:.2f} s "
              f"({len(document.pages)} pages, {len(made)} laid out, again: {again}), "
              f"write_pdf {write_s:.2f} s ({len(pdf):,} bytes); peak RSS {rss} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
