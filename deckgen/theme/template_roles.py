"""Choose which of a template's layouts serves each slide role.

By placeholder types first (they mean the same in every language and every
tool), then by the usual PowerPoint names and LibreOffice's names, then by
falling back to a related role, which is reported as a warning.
"""
from __future__ import annotations

from dataclasses import dataclass

from deckgen.theme.template import Template, TemplateLayout

ROLES = ("title", "section", "content", "two", "title_only", "blank")
NAMES = {
    "title": ("title slide",),
    "section": ("section header", "section title", "section"),
    "content": ("title and content", "title, content"),
    "two": ("two content", "title, 2 content", "comparison"),
    "title_only": ("title only",),
    "blank": ("blank", "blank slide"),
}
FALLBACKS = {
    "title": ("section", "title_only", "content"),
    "section": ("title", "title_only", "content"),
    "content": ("title_only", "two", "section"),
    "two": ("content",),
    "title_only": ("content", "section"),
    "blank": ("title_only", "content"),
}
SECTION_MAX_BODY_SHARE = 0.4
"""A section header's text box is short: at most this share of the slide height."""


@dataclass(frozen=True, slots=True)
class RoleChoice:
    role: str
    layout: TemplateLayout
    how: str
    """'types', 'name' or 'fallback:<role>'."""


def _side_by_side(layout: TemplateLayout) -> bool:
    a, b = (p.box for p in layout.bodies)
    return a is not None and b is not None and abs(a.y - b.y) < max(a.h, b.h) / 2 and abs(a.x - b.x) > a.w / 2


def fits_types(role: str, layout: TemplateLayout, slide_h: float) -> bool:
    """Does the layout's set of placeholders match the role?"""
    if any(p.vertical for p in layout.placeholders):
        return False
    title, bodies = layout.title, layout.bodies
    sub = layout.first("subTitle")
    if role == "title":
        return title is not None and sub is not None and not bodies
    if title is None or title.kind != "title" or sub is not None:
        return role == "blank" and title is None and not bodies and sub is None
    if role == "section":
        box = bodies[0].box if len(bodies) == 1 else None
        return (len(bodies) == 1 and bodies[0].kind == "body" and box is not None
                and box.h <= slide_h * SECTION_MAX_BODY_SHARE)
    if role == "content":
        box = bodies[0].box if len(bodies) == 1 else None
        return len(bodies) == 1 and box is not None and box.h > slide_h * SECTION_MAX_BODY_SHARE
    if role == "two":
        return len(bodies) == 2 and _side_by_side(layout)
    if role == "title_only":
        return not bodies
    return False


def _named(role: str, layout: TemplateLayout) -> bool:
    return layout.name.strip().lower() in NAMES[role]


def _direct(role: str, tpl: Template) -> RoleChoice | None:
    typed = [layout for layout in tpl.layouts if fits_types(role, layout, tpl.height)]
    if typed:
        best = next((layout for layout in typed if _named(role, layout)), typed[0])
        return RoleChoice(role, best, "types")
    named = next((layout for layout in tpl.layouts if _named(role, layout)), None)
    return RoleChoice(role, named, "name") if named else None


def choose_roles(tpl: Template) -> dict[str, RoleChoice]:
    """A layout for every role (the first layout when nothing else fits)."""
    direct = {r: c for r in ROLES if (c := _direct(r, tpl)) is not None}
    out = dict(direct)
    for role in ROLES:
        if role in out:
            continue
        alt = next((direct[f] for f in FALLBACKS[role] if f in direct), None)
        layout = alt.layout if alt else tpl.layouts[0]
        out[role] = RoleChoice(role, layout, f"fallback:{alt.role if alt else 'first layout'}")
    return out


def describe(choices: dict[str, RoleChoice]) -> tuple[str, list[str]]:
    """One line naming the layout of each role, and a warning per role that fell back."""
    line = "; ".join(f"{r} -> '{c.layout.name}'" for r, c in choices.items())
    warnings = [f"template has no '{r}' layout: using '{c.layout.name}' ({c.how.split(':', 1)[1]})"
                for r, c in choices.items() if c.how.startswith("fallback") and r in ("title", "section", "content")]
    return line, warnings
