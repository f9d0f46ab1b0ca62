"""Theme colours taken from a template's colour scheme and placeholders.

Text and title colours come from the template's own placeholders (or its
colour map), so a dark template keeps light text; the colours deckgen adds
(code boxes, callouts, table headers) are mixed from the template's text,
accent and background colours, so they sit in its palette on light and dark
backgrounds alike.
"""
from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from deckgen.theme.load import CalloutStyle
from deckgen.theme.sections import Colors

if TYPE_CHECKING:
    from deckgen.theme.template import Template
    from deckgen.theme.template_roles import RoleChoice


def mix(a: str, b: str, share: float) -> str:
    """*share* of colour *a* over colour *b* (hex)."""
    ca, cb = (tuple(int(c[i:i + 2], 16) for i in (0, 2, 4)) for c in (a, b))
    return "".join(f"{round(x * share + y * (1 - share)):02X}" for x, y in zip(ca, cb))


def luminance(c: str) -> float:
    r, g, b = (int(c[i:i + 2], 16) / 255 for i in (0, 2, 4))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_text(background: str, candidate: str | None, light: str, dark: str) -> str:
    """*candidate* when it stands out from *background*, else the light or dark colour that does."""
    if candidate and abs(luminance(candidate) - luminance(background)) >= 0.35:
        return candidate
    return light if luminance(background) < 0.5 else dark


def template_colors(base: Colors, tpl: Template, roles: dict[str, RoleChoice]) -> Colors:
    scheme = tpl.scheme
    bg = roles["content"].layout.background
    dark_bg = luminance(bg) < 0.5
    light, dark = scheme.get("lt1", "FFFFFF"), scheme.get("dk1", "000000")
    content = roles["content"].layout
    body_ph = (content.bodies or (None,))[0]
    title_ph = content.title
    text = contrast_text(bg, body_ph.color if body_ph else None, light, dark)
    heading = contrast_text(bg, title_ph.color if title_ph else None, light, dark)
    accent = contrast_text(bg, scheme.get("accent1"), light, dark)
    link = contrast_text(bg, scheme.get("hlink"), light, dark)
    c = dict(background=bg, text=text, heading=heading, accent=accent, link=link,
             muted=mix(text, bg, 0.6), quote_text=mix(text, bg, 0.85), quote_bar=mix(accent, bg, 0.5),
             code_background=mix(text, bg, 0.08), code_border=mix(text, bg, 0.25),
             table_header=mix(accent, bg, 0.2), table_border=mix(text, bg, 0.35),
             title_slide_band=accent)
    if dark_bg:
        c.update(pygments_style="native", mark=mix("FFD700", bg, 0.45))
    return dataclasses.replace(base, **c)


def template_callouts(base: dict[str, CalloutStyle], bg: str) -> dict[str, CalloutStyle]:
    """Callout boxes tinted over the template's background instead of over white."""
    return {k: CalloutStyle(mix(v.border, bg, 0.14), v.border, v.label) for k, v in base.items()}
