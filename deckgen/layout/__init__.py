"""Layout stage: semantic model in, laid-out slides out.

In: a `deckgen.model.Document` and a typed Theme. Out: a `geometry.LaidOutDeck` (boxes in
EMU, font sizes, predicted lines, continuation numbers). Every decision about where text goes
and where a slide continues is made here, from real font measurements; no backend library
(python-pptx, WeasyPrint) and no Markdown parser is imported by this package.
"""
