"""Themes: folders of data in, a typed Theme out.

In: a theme name or folder (theme.toml, handout.css, fonts). Out: `load.Theme` with its font
files resolved (`fonts`), its tables as the frozen dataclasses of `sections` (defaults filled
in) and the unknown keys as warnings. Errors name the key path (`validate`).

Optionally a PowerPoint template: `templates` checks the zip, `template` reads it with zipfile +
lxml, `template_roles` picks a layout per slide role, and `template_theme` turns its geometry,
sizes, spacing, faces and colours into the Theme that layout measures with.
"""
