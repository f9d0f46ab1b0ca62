"""Read stage: note bytes in, semantic model out.

In: a note's path and bytes (plus the project's assets). Out: a `deckgen.model.Document`
with a SourceSpan on every node, and diagnostics. markdown-it-py is used only here;
the dialect pre-passes (`dialects/`) keep original line numbers.
"""
