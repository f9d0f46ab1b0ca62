"""The Markdown dialects lecturers write, read without losing a line number.

In: a note's text (and its front matter). Out: the same text rewritten line for line
(`liquid`, `kramdown`, `obsidian` pre-passes, via `textpass`), or the pieces parse.py asks
for: raw HTML as styles and images (`html`), IAL attributes (`kramdown`), Marp and pandoc
deck structure (`decks`).
"""
