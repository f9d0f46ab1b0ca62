"""Handout backend: the whole note as an A4 PDF for students, through WeasyPrint.

Only this package imports WeasyPrint.  One module per job: document (the entry points:
HTML page, PDF), writer (the page for one Document: cover, contents, block dispatch), blocks
and figures (one renderer per block type), inline (styled text, Korean words kept whole with
word joiners, link footnotes), css (theme.toml as CSS: @font-face, custom properties, @page),
sandbox (the URL fetcher: local files under the note, theme and fonts only, never the
network) and logs (WeasyPrint's warnings as diagnostics of the note being built).
"""
