"""CSS generated from theme.toml for the handout: @font-face rules for the theme's font files,
custom properties (sizes, margins, colours) that handout.css reads, the @page rule, callout
colours and the Pygments token colours."""
from __future__ import annotations

import re
from pathlib import Path
from collections.abc import Callable, Iterable
from typing import Any

from deckgen.diagnostics import Diagnostics
from deckgen.model import SourceSpan
from deckgen.backends.handout.codetokens import pygments_rules
from deckgen.backends.handout.page import page_box
from deckgen.backends.handout.scripts import fallback_families, script_rules
from deckgen.theme.fonts import FontFace
from deckgen.theme.load import Theme

__all__ = ["theme_css", "theme_font_faces", "css_ident", "css_str", "font_face_rules", "WIDE_PAGE"]

WIDE_PAGE = "wide"
"""The named page (CSS `page: wide`) that holds tables too wide for the page: the same page turned sideways."""



def theme_css(theme: Theme, diags: Diagnostics) -> str:
    """CSS that carries theme.toml into the handout: fonts, variables, page, callouts, code."""
    parts = [theme_font_faces(theme), _root_vars(theme), _page_rule(theme),
             _callout_rules(theme), _pygments_rules(theme, diags),
             script_rules(theme.fonts.fallback, lambda family: _font_stack("body", family, []))]
    return "\n".join(p for p in parts if p)


def css_str(text: str) -> str:
    """A double-quoted CSS string."""
    out = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\a ")
    return f'"{out}"'


def _face_name(family: str) -> str:
    """The @font-face name of a theme family: unique, so that no installed font with
    the same name can shadow the theme's file, yet the PDF font name shows the family."""
    return f"deckgen {family}"


def theme_font_faces(theme: Theme) -> str:
    """@font-face rules for the theme's resolved font files (regular and bold).

    Collections (.ttc) are skipped: WeasyPrint would register every face of the
    file under one name; the family name (installed, fontconfig) is used instead.
    """
    faces = [face for _role, face in _faces(theme) + theme.fonts.fallback.faces()]
    return font_face_rules(faces, _face_name)


def font_face_rules(faces: Iterable[FontFace], name: Callable[[str], str]) -> str:
    """@font-face rules for the regular and bold file of each face, under *name*(family): the
    handout's and the slide PDFs' (which keep their own names). A collection (.ttc) is left to
    fontconfig by family name: WeasyPrint would register all its faces under one name."""
    rules: dict[str, None] = {}
    for face in faces:
        files = [(face.regular, "normal")]
        if face.bold.path != face.regular.path:
            files.append((face.bold, "bold"))
        for font, weight in files:
            if Path(font.path).suffix.lower() in (".ttc", ".otc"):
                continue
            rules[f"@font-face {{ font-family: {css_str(name(face.family))}; "
                  f"src: url({css_str(Path(font.path).resolve().as_uri())}); "
                  f"font-weight: {weight}; font-style: normal; }}"] = None
    return "\n".join(rules)


def _faces(theme: Theme) -> list[tuple[str, Any]]:
    return [("heading", theme.fonts.heading), ("body", theme.fonts.body), ("mono", theme.fonts.mono)]


def _font_stack(role: str, family: str, fallbacks: list[str]) -> str:
    generic = "monospace" if role == "mono" else "sans-serif"
    extra = [n for f in fallbacks for n in (_face_name(f), f)]
    names = [_face_name(family), family, *extra, "Noto Sans CJK KR", "NanumGothic"]
    return ", ".join(css_str(n) for n in dict.fromkeys(names)) + f", {generic}"


def _theme_source(theme: Theme) -> SourceSpan:
    return SourceSpan(str(theme.folder / "theme.toml"), 0)


def _root_vars(theme: Theme) -> str:
    """Custom properties that handout.css reads."""
    extra = fallback_families(theme.fonts.fallback)
    lines = [f"  --font-{role}: {_font_stack(role, face.family, extra)};" for role, face in _faces(theme)]
    h = theme.handout
    lines += [f"  --body-size: {h.body_size:g}pt;", f"  --code-size: {h.code_size:g}pt;",
              f"  --line-height: {h.line_height:g};"]
    for side, mm in zip(("top", "right", "bottom", "left"), h.margin_mm):
        lines.append(f"  --margin-{side}: {mm:g}mm;")
    for key, value in theme.colors.palette().items():
        lines.append(f"  --color-{key.replace('_', '-')}: #{value};")
    return ":root {\n" + "\n".join(lines) + "\n}"


def _page_rule(theme: Theme) -> str:
    """The page box, and the named page `wide` (the same page turned sideways) for wide tables."""
    wide = page_box(theme).landscape()
    return (f"@page {{ size: {theme.handout.page}; margin: var(--margin-top) var(--margin-right) "
            "var(--margin-bottom) var(--margin-left); }\n"
            f"@page {WIDE_PAGE} {{ size: {wide.width:g}mm {wide.height:g}mm; }}")


def _callout_rules(theme: Theme) -> str:
    return "\n".join(f".callout-{css_ident(kind)} {{ --callout-fill: #{c.fill}; "
                     f"--callout-border: #{c.border}; }}" for kind, c in theme.callouts.items())


def css_ident(name: str) -> str:
    return re.sub(r"[^a-z0-9-]", "-", name.lower())


def _pygments_rules(theme: Theme, diags: Diagnostics) -> str:
    """Token colours of the theme's Pygments style, scoped to .hl (no background, no error boxes)."""
    name = theme.colors.pygments_style
    rules = pygments_rules(name)
    if rules is None:
        diags.warning("theme-pygments", f"colors.pygments_style: unknown style {name!r}; "
                      "using 'default'", _theme_source(theme))
        rules = pygments_rules("default") or ""
    return rules
