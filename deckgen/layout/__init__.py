"""Layout stage: semantic model in, laid-out slides out.

In: a `deckgen.model.Document` and a typed Theme. Out: a `geometry.LaidOutDeck` (boxes in
EMU, font sizes, predicted lines, continuation numbers). Every decision about where text goes
and where a slide continues is made here, from real font measurements; no backend library
(python-pptx, WeasyPrint) and no Markdown parser is imported by this package.

The modules, in the order data flows through them:
  slides   Document -> Deck: the slide level, the note cut into logical slides
  flow     a slide's blocks -> items (TextItem | CodeItem | TableItem | ImageItem | ColumnsItem)
  measure  font files -> widths and line breaks;  runs: spans and Pygments tokens -> runs
  texts, tables    items -> measured chunks (TextChunk | CodeChunk | TableChunk | ImageChunk | ...)
  fit      chunks' types and the one stacking rule (lead/step/closing)
  pages    chunks -> pages (greedy, balanced, cut between lines or rows)
  frames   a page -> shapes at the positions the stacking rule gives
  titles   slide titles, title and section slides;  notes: speaker notes as text
  deck     Layouter: the above, slide by slide, shrinking one step before continuing
  geometry the laid-out model the backends read
"""
