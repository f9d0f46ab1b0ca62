"""Backends: finished stage data in, files out; the only package that imports python-pptx,
WeasyPrint and pypdf (the import contract in pyproject.toml holds it to that).

`pptx/`: a `layout.geometry.LaidOutDeck` and the note's `Meta` -> PPTX bytes.
`handout/`: a rendered `model.Document` and a `Theme` -> the handout PDF.
`pack.py`: the handout PDFs of a course -> course.pdf.
"""
