"""Themes are folders of data: theme.toml (+ handout.css, optional fonts/).

A theme may say ``extends = "default"``; keys are merged recursively, the
child winning.  Every value is validated and errors name the key path
(``boxes.body.w: expected a number``).
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from deckgen.theme.fonts import FontFace, resolve_family

BUILTIN_THEMES = Path(__file__).resolve().parents[2] / "themes"


class ThemeError(Exception):
    pass


@dataclass(frozen=True, slots=True)
class Box:
    """A rectangle on the slide, in points."""

    x: float
    y: float
    w: float
    h: float


@dataclass(frozen=True, slots=True)
class Insets:
    left: float
    top: float
    right: float
    bottom: float


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


@dataclass(frozen=True)
class Theme:
    name: str
    folder: Path
    """The theme's own folder (the leaf, not what it extends)."""
    slide_w: float
    slide_h: float
    fonts: Fonts
    sizes: dict[str, float]
    spacing: dict[str, float]
    boxes: dict[str, Box]
    insets: dict[str, Insets]
    colors: dict[str, str]
    callouts: dict[str, CalloutStyle]
    handout: dict[str, Any]
    css_files: tuple[Path, ...]
    """handout.css of every theme in the extends chain, base first."""
    source_files: tuple[Path, ...]
    """Every file the theme was read from (for build caches)."""

    def size(self, key: str) -> float:
        return self.sizes[key]

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
        base, chain = _read_chain(find_theme_folder(str(parent), search + [folder.parent]), search, seen + (folder,))
        data = _merge(base, data)
    return data, chain + [folder]


def _number(data: dict, key: str, path: str) -> float:
    v = data.get(key)
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise ThemeError(f"{path}.{key}: expected a number, got {v!r}")
    return float(v)


def _table(data: dict, key: str, path: str = "") -> dict:
    v = data.get(key)
    if not isinstance(v, dict):
        raise ThemeError(f"{path}{key}: expected a table")
    return v


def _color(v: Any, path: str) -> str:
    if not isinstance(v, str) or len(v.lstrip("#")) != 6:
        raise ThemeError(f"{path}: expected a colour like \"1F2328\", got {v!r}")
    try:
        int(v.lstrip("#"), 16)
    except ValueError:
        raise ThemeError(f"{path}: expected a colour like \"1F2328\", got {v!r}") from None
    return v.lstrip("#").upper()


def load_theme(name_or_path: str = "default", extra_search: list[Path] | None = None) -> Theme:
    """Read, merge, validate a theme and resolve its fonts to files."""
    search = list(extra_search or []) + [BUILTIN_THEMES]
    folder = find_theme_folder(name_or_path, search)
    data, chain = _read_chain(folder, search)
    slide = _table(data, "slide")
    fonts_t = _table(data, "fonts")
    font_dirs = [f / "fonts" for f in reversed(chain)]

    def face(role: str) -> FontFace:
        families = fonts_t.get(role)
        if isinstance(families, str):
            families = [families]
        if not isinstance(families, list) or not families:
            raise ThemeError(f"fonts.{role}: expected a list of font families")
        return resolve_family([str(f) for f in families], font_dirs, role=role)

    sizes_t = _table(data, "sizes")
    spacing_t = _table(data, "spacing")
    boxes = {k: Box(*(_number(v, a, f"boxes.{k}") for a in "xywh"))
             for k, v in _table(data, "boxes").items()}
    for needed in ("title", "body"):
        if needed not in boxes:
            raise ThemeError(f"boxes.{needed}: missing")
    insets: dict[str, Insets] = {}
    for k, v in _table(data, "insets").items():
        if not (isinstance(v, list) and len(v) == 4 and all(isinstance(n, (int, float)) for n in v)):
            raise ThemeError(f"insets.{k}: expected four numbers [left, top, right, bottom]")
        insets[k] = Insets(*map(float, v))
    colors = {k: _color(v, f"colors.{k}") if k != "pygments_style" else str(v)
              for k, v in _table(data, "colors").items()}
    callouts = {k: CalloutStyle(_color(v.get("fill"), f"callouts.{k}.fill"),
                                _color(v.get("border"), f"callouts.{k}.border"),
                                str(v.get("label", k)))
                for k, v in _table(data, "callouts").items()}
    if "note" not in callouts:
        raise ThemeError("callouts.note: missing (the fallback style)")
    sizes = {k: _number(sizes_t, k, "sizes") for k in sizes_t}
    spacing = {k: _number(spacing_t, k, "spacing") for k in spacing_t}
    for k in ("title", "title_min", "body", "body_min", "code", "code_min", "table", "table_min", "step"):
        if k not in sizes:
            raise ThemeError(f"sizes.{k}: missing")
    css = tuple(f / "handout.css" for f in chain if (f / "handout.css").is_file())
    sources = tuple([f / "theme.toml" for f in chain] + list(css))
    return Theme(
        name=str(data.get("name", folder.name)), folder=folder,
        slide_w=_number(slide, "width_pt", "slide"), slide_h=_number(slide, "height_pt", "slide"),
        fonts=Fonts(face("heading"), face("body"), face("mono")),
        sizes=sizes, spacing=spacing, boxes=boxes, insets=insets, colors=colors,
        callouts=callouts, handout=dict(data.get("handout", {})), css_files=css,
        source_files=sources,
    )
