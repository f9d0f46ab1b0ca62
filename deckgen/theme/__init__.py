"""Themes: folders of data in, a typed Theme out.

In: a theme name or folder (theme.toml, handout.css, fonts). Out: `load.Theme` with its font
files resolved (`fonts`), its tables as the frozen dataclasses of `sections` (defaults filled
in) and the unknown keys as warnings. Errors name the key path (`validate`).
"""
