"""A theme built on a template: the template's geometry, sizes, faces and colours as theme data.

The layout stage measures with `Theme` only; here a template's slide size,
placeholder boxes, text sizes, theme fonts and colour scheme replace the
theme's own, so the measured lines fit the template's placeholders.  What was
chosen (and what fell back) is kept as notices that every build reports.
"""
from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING

from deckgen.theme.fonts import FontError, FontFace, has_hangul, resolve_family
from deckgen.theme.load import Box, Fonts, Theme, load_theme
from deckgen.theme.sections import Boxes, Sizes, Spacing
from deckgen.theme.template_colors import template_callouts, template_colors
from deckgen.theme.template_safety import TemplateError, check_location

if TYPE_CHECKING:  # the template reader (lxml) is imported only when a template is applied
    from deckgen.theme.template import Placeholder, PlaceholderBox, Template, TemplateLayout
    from deckgen.theme.template_roles import RoleChoice

TITLE_MIN_SHARE = 0.75    # a template's title may shrink to this share: its title boxes can be narrow
GAP = 8.0                 # points between a fallback title box and the body below it
TEMPLATE_FILE = "template.pptx"


def _box(b: PlaceholderBox | None, tpl: Template) -> Box | None:
    """The placeholder's box, cut to the slide: some templates' boxes run past its edge."""
    if b is None:
        return None
    x, y = max(0.0, b.x), max(0.0, b.y)
    w, h = min(b.x + b.w, tpl.width) - x, min(b.y + b.h, tpl.height) - y
    return Box(x, y, w, h) if w > 0 and h > 0 else None


def _below(title: Box, tpl: Template) -> Box:
    """A body box under *title* for layouts that have none (title-only fallbacks)."""
    y = title.y + title.h + GAP
    return Box(title.x, y, title.w, max(tpl.height * 0.3, tpl.height * 0.92 - y))


def _title_box(layout: TemplateLayout, tpl: Template) -> Box:
    ph = layout.title or layout.first("subTitle")
    return _box(ph.box if ph else None, tpl) or Box(tpl.width * 0.05, tpl.height * 0.05, tpl.width * 0.9,
                                               tpl.height * 0.17)


def _text_box(layout: TemplateLayout, tpl: Template, title: Box) -> Box:
    ph = (layout.bodies or (None,))[0] or layout.first("subTitle")
    return _box(ph.box if ph else None, tpl) or _below(title, tpl)


def _boxes(theme: Theme, tpl: Template, roles: dict[str, RoleChoice]) -> Boxes:
    content, title_l, section = roles["content"].layout, roles["title"].layout, roles["section"].layout
    title = _title_box(content, tpl)
    slide_title = _title_box(title_l, tpl)
    sub = _text_box(title_l, tpl, slide_title)
    split = sub.h * 0.55
    section_title = _title_box(section, tpl)
    return dataclasses.replace(
        theme.boxes, title=title, body=_text_box(content, tpl, title), title_slide_title=slide_title,
        title_slide_subtitle=Box(sub.x, sub.y, sub.w, split),
        title_slide_byline=Box(sub.x, sub.y + split, sub.w, sub.h - split),
        section_title=section_title, section_body=_text_box(section, tpl, section_title))


def _size(ph: Placeholder | None, default: float) -> float:
    return ph.size if ph is not None and ph.size and 8 <= ph.size <= 96 else default


def _sizes(theme: Theme, roles: dict[str, RoleChoice]) -> Sizes:
    s = theme.sizes
    content, title_l = roles["content"].layout, roles["title"].layout
    title = _size(content.title, s.title)
    body = _size((content.bodies or (None,))[0], s.body)
    return dataclasses.replace(
        s, title=title, body=body, title_min=min(s.title_min, round(title * TITLE_MIN_SHARE)),
        body_min=min(s.body_min, body),
        section_title=_size(title_l.title or roles["section"].layout.title, s.section_title),
        subtitle=_size(title_l.first("subTitle"), s.subtitle))


SINGLE_SPACING = 1.2      # PowerPoint's single line spacing, in ems (the font's line height)
MIN_LINE_HEIGHT = 1.1     # Hangul needs this much pitch, whatever a template's 80-90 % spacing says


def _spacing(theme: Theme, roles: dict[str, RoleChoice], body_size: float) -> Spacing:
    """The body placeholder's line and paragraph spacing, where the template defines them."""
    sp = theme.spacing
    body = (roles["content"].layout.bodies or (None,))[0]
    if body is not None and body.line_spacing:
        pitch = max(MIN_LINE_HEIGHT, body.line_spacing * SINGLE_SPACING)
        sp = dataclasses.replace(sp, line_height=round(pitch, 3))
    if body is not None and body.paragraph_space is not None:
        space = body.paragraph_space
        ems = -space * SINGLE_SPACING if space < 0 else space / body_size
        sp = dataclasses.replace(sp, paragraph_before=round(min(1.0, ems), 3))
    return sp


def _face(names: list[tuple[str, str]], fallback: FontFace, role: str, folders: list[Path],
          notices: list[tuple[str, str, str]]) -> FontFace:
    """The first template face that is installed and has Hangul, else *fallback*, with a notice."""
    missing, latin_only = [], []
    for name, slot in names:
        if not name or name.startswith("+"):
            continue
        try:
            face = resolve_family([name], folders, role=role)
        except FontError:
            face = None
        if face is None or face.fallback_note:         # not installed (fontconfig offered another face)
            missing.append(f"'{name}' ({slot})")
            continue
        if face.has_hangul and has_hangul(face.regular.path, face.regular.index):
            return face
        latin_only.append(f"'{name}' ({slot})")
    if missing:
        notices.append(("warning", "template-font", f"template {role} font {', '.join(missing)} is not installed: "
                        f"measured and written with '{fallback.family}' (a:ea stays Korean)"))
    elif latin_only:
        notices.append(("info", "template-font", f"template {role} font {', '.join(latin_only)} has no Hangul: "
                        f"Korean text uses '{fallback.family}'"))
    return fallback


def _fonts(theme: Theme, tpl: Template, notices: list[tuple[str, str, str]]) -> Fonts:
    f, folders = tpl.fonts, [theme.folder / "fonts"]
    heading = _face([(f.major_ea, "heading, East Asian"), (f.major_latin, "heading, Latin")],
                    theme.fonts.heading, "heading", folders, notices)
    body = _face([(f.minor_ea, "body, East Asian"), (f.minor_latin, "body, Latin")],
                 theme.fonts.body, "body", folders, notices)
    return Fonts(heading, body, theme.fonts.mono)


def apply_template(theme: Theme, tpl: Template) -> Theme:
    """*theme* re-measured for *tpl*: its geometry, sizes, faces and colours, and the chosen layouts."""
    from deckgen.theme.template_roles import choose_roles, describe

    roles = choose_roles(tpl)
    line, warnings = describe(roles)
    notices: list[tuple[str, str, str]] = [("info", "template-layouts", f"{tpl.path.name}: {line}")]
    notices += [("warning", "template-layout", w) for w in warnings]
    fonts = _fonts(theme, tpl, notices)
    sizes = _sizes(theme, roles)
    return dataclasses.replace(
        theme, slide_w=tpl.width, slide_h=tpl.height, boxes=_boxes(theme, tpl, roles),
        sizes=sizes, spacing=_spacing(theme, roles, sizes.body), fonts=fonts,
        colors=template_colors(theme.colors, tpl, roles),
        before_template=theme.before_template or theme,
        callouts=template_callouts(theme.callouts, roles["content"].layout.background),
        template=tpl, template_roles={r: (c.layout.master, c.layout.index) for r, c in roles.items()},
        notices=theme.notices + tuple(notices), source_files=theme.source_files + tpl.sources)


def template_path(theme: Theme, explicit: str | None, allowed: list[Path]) -> Path | None:
    """The template to use: *explicit* (command line or deckgen.toml), else the theme folder's template.pptx."""
    if explicit:
        path = Path(explicit)
        if not path.is_file():
            raise TemplateError(f"{explicit}: no such template file")
        return check_location(path, allowed) if allowed else path.resolve()
    own = theme.folder / TEMPLATE_FILE
    return check_location(own, [theme.folder]) if own.is_file() else None


def load_themed(name: str, template: str | None = None) -> Theme:
    """load_theme(), then the template (if any) applied; TemplateError for an unsafe or broken one.

    An explicit *template* was checked where it was named (deckgen.toml keeps it inside the project;
    a command-line path is the user's own choice); a theme's template.pptx must be inside its folder."""
    theme = load_theme(name)
    path = template_path(theme, template, [])
    if path is None:
        return theme
    from deckgen.theme.template import read_template

    return apply_template(theme, read_template(path))
