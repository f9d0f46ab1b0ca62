"""Themes: folders of data in, a typed Theme out.

In: a theme name or folder (theme.toml, handout.css, fonts). Out: `load.Theme` with its font
files resolved (`fonts`). Errors name the key path.
"""
