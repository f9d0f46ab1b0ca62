"""Check theme.toml's tables against their dataclasses, naming the key path of every problem.

A wrong value or a missing required key is a ThemeError (``spacing.line_height:
expected a number, got 'x'``); an unknown key is only a warning with a
did-you-mean, since a typo must not stop a lecture from building.
"""
from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Callable
from typing import Any, TypeVar

from deckgen.theme.sections import Box, Insets

T = TypeVar("T")

_PAGE = re.compile(r"^[A-Za-z0-9 .]+$")


class ThemeError(Exception):
    pass


def did_you_mean(key: str, known: list[str]) -> str:
    """'; did you mean 'x'?' for the closest known key, or nothing."""
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def number(v: Any, path: str, *, positive: bool = False) -> float:
    if not _is_number(v):
        raise ThemeError(f"{path}: expected a number, got {v!r}")
    if v < 0 or (positive and v == 0):
        raise ThemeError(f"{path}: expected a {'positive' if positive else 'non-negative'} number, got {v!r}")
    return float(v)


def colour(v: Any, path: str) -> str:
    text = v.lstrip("#") if isinstance(v, str) else ""
    if len(text) != 6 or not re.fullmatch(r"[0-9A-Fa-f]{6}", text):
        raise ThemeError(f"{path}: expected a colour like \"1F2328\", got {v!r}")
    return text.upper()


def _text(v: Any, path: str) -> str:
    if not isinstance(v, str) or not v.strip():
        raise ThemeError(f"{path}: expected a string, got {v!r}")
    return v


def _page(v: Any, path: str) -> str:
    if not isinstance(v, str) or not _PAGE.match(v):
        raise ThemeError(f"{path}: expected a page size like \"A4\" or \"letter landscape\", got {v!r}")
    return v


def _flag(v: Any, path: str) -> bool:
    if not isinstance(v, bool):
        raise ThemeError(f"{path}: expected true or false, got {v!r}")
    return v


def _box(v: Any, path: str) -> Box:
    if not isinstance(v, dict):
        raise ThemeError(f"{path}: expected a table {{ x = .., y = .., w = .., h = .. }}, got {v!r}")
    for side in ("x", "y", "w", "h"):
        if side not in v:
            raise ThemeError(f"{path}.{side}: missing")
    for k in v:
        if k not in ("x", "y", "w", "h"):
            raise ThemeError(f"{path}.{k}: unknown key (a box has x, y, w, h)")
    return Box(*(number(v[side], f"{path}.{side}") for side in ("x", "y", "w", "h")))


def _insets(v: Any, path: str) -> Insets:
    if not (isinstance(v, list) and len(v) == 4 and all(_is_number(n) for n in v)):
        raise ThemeError(f"{path}: expected four numbers [left, top, right, bottom], got {v!r}")
    return Insets(*(number(n, path) for n in v))


def _margins(v: Any, path: str) -> tuple[float, float, float, float]:
    """1, 2 or 4 numbers (CSS order: top, right, bottom, left) -> all four."""
    values = [v] if _is_number(v) else v
    if not (isinstance(values, list) and len(values) in (1, 2, 4) and all(_is_number(n) for n in values)):
        raise ThemeError(f"{path}: expected 1, 2 or 4 numbers, got {v!r}")
    mm = [number(n, path) for n in values]
    top, right, bottom, left = mm * (4 // len(mm))
    return top, right, bottom, left


_CHECKS: dict[str, Callable[[Any, str], Any]] = {
    "number": number,
    "positive": lambda v, path: number(v, path, positive=True),
    "colour": colour, "text": _text, "page": _page, "flag": _flag,
    "box": _box, "insets": _insets, "margins": _margins,
}


def unknown_keys(table: dict[str, Any], known: list[str], path: str, warnings: list[str]) -> None:
    """A warning with a did-you-mean for each key of *table* that is not *known*."""
    for key in table:
        if key not in known:
            warnings.append(f"{path}.{key}: unknown key is ignored{did_you_mean(key, known)}")


def section(cls: type[T], data: dict[str, Any], name: str, warnings: list[str]) -> T:
    """The [name] table of *data* as a *cls*: defaults filled in, values checked, unknown keys warned."""
    table = data.get(name, {})
    if not isinstance(table, dict):
        raise ThemeError(f"{name}: expected a table, got {table!r}")
    fields = {f.name: f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    unknown_keys(table, list(fields), name, warnings)
    values: dict[str, Any] = {}
    for key, f in fields.items():
        if key in table:
            values[key] = _CHECKS[f.metadata["kind"]](table[key], f"{name}.{key}")
        elif f.default is dataclasses.MISSING:
            raise ThemeError(f"{name}.{key}: missing")
    return cls(**values)
