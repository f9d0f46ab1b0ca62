"""Diagram colours from the deck theme, so figures match the slides they sit on.

mermaid's "base" theme derives every colour from a few variables; the pie's slice
colours (`pie1`..`pie12`) are set explicitly, darkest first, from the theme's callout
borders, which are already chosen to be distinct and readable on white.
"""
from __future__ import annotations

from deckgen.theme.load import Theme

SLICE_KINDS = ("note", "success", "warning", "danger", "info", "primary")


def _hex(value: str) -> str:
    return "#" + value.lstrip("#").upper()


def mermaid_variables(theme: Theme) -> tuple[tuple[str, str], ...]:
    """(themeVariable, '#RRGGBB') pairs for mermaid's base theme."""
    note = theme.callout("note")
    text = _hex(theme.colors.text)
    line = _hex(theme.colors.heading)
    borders = [_hex(theme.callout(k).border) for k in SLICE_KINDS]
    fills = [_hex(theme.callout(k).fill) for k in SLICE_KINDS]
    out = {
        "background": "#FFFFFF",
        "primaryColor": _hex(note.fill),
        "primaryBorderColor": _hex(note.border),
        "primaryTextColor": text,
        "secondaryColor": fills[1],
        "secondaryBorderColor": borders[1],
        "tertiaryColor": fills[2],
        "tertiaryBorderColor": borders[2],
        "lineColor": line,
        "textColor": text,
        "noteBkgColor": fills[2],
        "noteBorderColor": borders[2],
        "pieStrokeColor": "#FFFFFF",
        "pieOuterStrokeColor": line,
        "pieSectionTextColor": "#FFFFFF",
        "pieTitleTextColor": text,
        "pieLegendTextColor": text,
        "pieOpacity": "1",
    }
    for i, color in enumerate(borders + fills, 1):
        out[f"pie{i}"] = color
    for i, color in enumerate(fills + borders):    # mindmap, timeline, journey sections
        out[f"cScale{i}"] = color
        out[f"cScaleLabel{i}"] = text if i < len(fills) else "#FFFFFF"
    return tuple(out.items())
