"""Themes are folders of data: theme.toml (+ handout.css, optional fonts/).

A theme may say ``extends = "default"``; keys are merged recursively, the
child winning.  Every value is validated and errors name the key path
(``boxes.body.w: expected a number``, ``spacing.line_height: missing``); the
typed sections and their defaults are in sections.py, the checks in validate.py.
"""
from __future__ import annotations

import tomllib
from importlib import resources
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from deckgen.theme.fallback import Fallbacks
from deckgen.theme.fonts import FontFace, find_family, resolve_family
from deckgen.theme.scripts import FALLBACK_SCRIPTS
from deckgen.theme.templates import TemplateError, check_pptx_zip
from deckgen.theme.sections import SECTIONS, Box, Boxes, Colors, Handout, Insets, InsetTable, Sizes, Spacing
from deckgen.theme.validate import ThemeError, colour, did_you_mean, number, section, unknown_keys

__all__ = ["BUILTIN_THEMES", "Box", "CalloutStyle", "Fonts", "Insets", "Theme", "ThemeError", "load_theme"]



def builtin_themes() -> Path:
    """The themes shipped with deckgen: package data ``deckgen/themes`` in a wheel or
    ``pip install .``; the checkout's top-level ``themes/`` in an editable install."""
    packaged = resources.files("deckgen") / "themes"
    if isinstance(packaged, Path) and (packaged / "default" / "theme.toml").is_file():
        return packaged
    return Path(__file__).resolve().parents[2] / "themes"


BUILTIN_THEMES = builtin_themes()
EMBED_MODES = ("subset", "full", "none")
"""Fonts carried in the PPTX: a subset of each face, whole faces, or none."""


@dataclass(frozen=True, slots=True)
class CalloutStyle:
    fill: str
    border: str
    label: str


@dataclass(frozen=True, slots=True)
class Fonts:
    """The resolved face of each role (regular and bold files)."""

    heading: FontFace
    body: FontFace
    mono: FontFace
    fallback: Fallbacks = Fallbacks()
    """Faces for the scripts the role faces do not draw ([fonts.fallback])."""


@dataclass(frozen=True)
class Theme:
    name: str
    folder: Path
    """The theme's own folder (the leaf, not what it extends)."""
    slide_w: float
    slide_h: float
    fonts: Fonts
    sizes: Sizes
    spacing: Spacing
    boxes: Boxes
    insets: InsetTable
    colors: Colors
    callouts: dict[str, CalloutStyle]
    handout: Handout
    css_files: tuple[Path, ...]
    """handout.css of every theme in the extends chain, base first."""
    source_files: tuple[Path, ...]
    """Every file the theme was read from (for build caches)."""
    warnings: tuple[str, ...] = ()
    """Unknown keys (with a did-you-mean), reported as warnings by each build."""
    embed_fonts: str = "subset"
    """Fonts carried in the PPTX: 'subset' (used + KS X 1001 Hangul), 'full' or 'none'."""
    description: str = ""
    """One line for `deckgen themes`."""
    template: Any = None
    """The `template.Template` the deck is built on, or None (deckgen's own slides)."""
    template_roles: dict[str, tuple[int, int]] = field(default_factory=dict)
    """Slide role ('title', 'section', 'content', ...) -> (slide master, layout) of the template serving it."""
    before_template: Any = None
    """The theme without its template (a `Theme`), or None: the handout is typeset with it, since a
    template designs slides, not printed A4 pages (a dark template would darken the paper)."""
    notices: tuple[tuple[str, str, str], ...] = ()
    """(severity, code, message) every build reports: which layouts serve which role, font fallbacks."""

    def callout(self, kind: str) -> CalloutStyle:
        return self.callouts.get(kind) or self.callouts["note"]


def available_themes(search: list[Path]) -> list[str]:
    names: set[str] = set()
    for root in search:
        if root.is_dir():
            names.update(p.parent.name for p in root.glob("*/theme.toml"))
    return sorted(names)


def find_theme_folder(name_or_path: str, search: list[Path]) -> Path:
    p = Path(name_or_path)
    if (p / "theme.toml").is_file():
        return p.resolve()
    for root in search:
        if (root / name_or_path / "theme.toml").is_file():
            return (root / name_or_path).resolve()
    raise ThemeError(f"unknown theme '{name_or_path}'; installed themes: "
                     f"{', '.join(available_themes(search)) or '(none)'}")


def _merge(base: dict, child: dict) -> dict:
    out = dict(base)
    for k, v in child.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def _read_chain(folder: Path, search: list[Path], seen: tuple[Path, ...] = ()) -> tuple[dict, list[Path]]:
    if folder in seen:
        raise ThemeError(f"{folder / 'theme.toml'}: extends loops back to itself")
    path = folder / "theme.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as e:
        raise ThemeError(f"{path}: {e}") from None
    chain: list[Path] = []
    parent = data.pop("extends", None)
    if parent:
        parent_folder = find_theme_folder(str(parent), search + [folder.parent])
        if not any(parent_folder.is_relative_to(r.resolve()) for r in [*search, folder.parent]):
            raise ThemeError(f"{path}: extends: {parent_folder} is outside the built-in themes and "
                             f"this theme's folder {folder.parent}; not read")
        base, chain = _read_chain(parent_folder, search, seen + (folder,))
        data = _merge(base, data)
    return data, chain + [folder]


_TOP_KEYS = ["name", "description", "slide", "fonts", "callouts", "embed_fonts", *SECTIONS]


def _table(data: dict, key: str) -> dict:
    v = data.get(key)
    if not isinstance(v, dict):
        raise ThemeError(f"{key}: expected a table" if key in data else f"{key}: missing")
    return v


def _slide_number(slide: dict, key: str) -> float:
    if key not in slide:
        raise ThemeError(f"slide.{key}: missing")
    return number(slide[key], f"slide.{key}", positive=True)


def _callouts(data: dict, warnings: list[str]) -> dict[str, CalloutStyle]:
    out = {}
    for k, v in _table(data, "callouts").items():
        if not isinstance(v, dict):
            raise ThemeError(f"callouts.{k}: expected a table {{ fill = .., border = .., label = .. }}")
        unknown_keys(v, ["fill", "border", "label"], f"callouts.{k}", warnings)
        out[k] = CalloutStyle(colour(v.get("fill"), f"callouts.{k}.fill"),
                              colour(v.get("border"), f"callouts.{k}.border"), str(v.get("label", k)))
    if "note" not in out:
        raise ThemeError("callouts.note: missing (the fallback style)")
    return out


def _fonts(data: dict, chain: list[Path], warnings: list[str]) -> Fonts:
    fonts_t = _table(data, "fonts")
    unknown_keys(fonts_t, ["heading", "body", "mono", "fallback"], "fonts", warnings)
    font_dirs = [f / "fonts" for f in reversed(chain)]

    def face(role: str) -> FontFace:
        families = fonts_t.get(role)
        if isinstance(families, str):
            families = [families]
        if not isinstance(families, list) or not families:
            raise ThemeError(f"fonts.{role}: expected a list of font families")
        return resolve_family([str(f) for f in families], font_dirs, role=role)

    fallback = _fallbacks(fonts_t.get("fallback", {}), font_dirs, warnings)
    return Fonts(face("heading"), face("body"), face("mono"), fallback)


def _fallbacks(table: Any, font_dirs: list[Path], warnings: list[str]) -> Fallbacks:
    """[fonts.fallback]: per script, the first installed family; a script with none
    installed is a warning (its characters are measured with the role's face)."""
    if not isinstance(table, dict):
        raise ThemeError("fonts.fallback: expected a table like { han = [\"Noto Sans CJK KR\"] }")
    faces: dict[str, FontFace] = {}
    for script, families in table.items():
        key = f"fonts.fallback.{script}"
        if script not in FALLBACK_SCRIPTS:
            warnings.append(f"{key}: unknown script is ignored{did_you_mean(script, list(FALLBACK_SCRIPTS))}")
            continue
        if isinstance(families, str):
            families = [families]
        if not isinstance(families, list) or not all(isinstance(f, str) for f in families):
            raise ThemeError(f"{key}: expected a list of font families")
        face = find_family(families, font_dirs)
        if face is None:
            warnings.append(f"{key}: none of {', '.join(map(repr, families))} is installed; "
                            f"these characters are measured with the text's own face")
            continue
        faces[script] = face
    return Fallbacks(**faces)


def load_theme(name_or_path: str = "default", extra_search: list[Path] | None = None) -> Theme:
    """Read, merge, validate a theme and resolve its fonts to files."""
    search = list(extra_search or []) + [BUILTIN_THEMES]
    folder = find_theme_folder(name_or_path, search)
    data, chain = _read_chain(folder, search)
    warnings = [f"{k}: unknown table is ignored{did_you_mean(k, _TOP_KEYS)}" for k in data if k not in _TOP_KEYS]
    slide = _table(data, "slide")
    unknown_keys(slide, ["width_pt", "height_pt"], "slide", warnings)
    typed: dict[str, Any] = {name: section(cls, data, name, warnings) for name, cls in SECTIONS.items()}
    for f in chain:
        if (f / "template.pptx").is_file():
            try:
                check_pptx_zip(f / "template.pptx")
            except TemplateError as e:
                raise ThemeError(str(e)) from None
    embed = data.get("embed_fonts", "subset")
    if embed not in EMBED_MODES:
        raise ThemeError(f"embed_fonts: expected one of {', '.join(map(repr, EMBED_MODES))}, got {embed!r}")
    css = tuple(f / "handout.css" for f in chain if (f / "handout.css").is_file())
    return Theme(
        name=str(data.get("name", folder.name)), folder=folder,
        slide_w=_slide_number(slide, "width_pt"), slide_h=_slide_number(slide, "height_pt"),
        fonts=_fonts(data, chain, warnings), callouts=_callouts(data, warnings), css_files=css,
        source_files=tuple([f / "theme.toml" for f in chain] + list(css)), warnings=tuple(warnings),
        embed_fonts=embed, description=str(data.get("description", "")), **typed,
    )
