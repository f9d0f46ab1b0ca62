"""``deckgen doctor``: is this machine ready?  Fonts are essential; the rest is optional.

Prints one row per component: status (ok / MISSING / FAIL), a detail (the file
or program found), and what a missing part disables.  Exit code 0 when the
essentials (the theme's fonts, each with Hangul) are fine, 1 otherwise.
"""
from __future__ import annotations

import shutil
import sys
from dataclasses import dataclass
from typing import Any, TextIO


@dataclass
class Check:
    component: str
    ok: bool
    detail: str
    disables: str
    essential: bool = False

    @property
    def status(self) -> str:
        if self.ok:
            return "ok"
        return "FAIL" if self.essential else "missing"


def check_fonts(theme_name: str) -> list[Check]:
    from deckgen.theme.faceinfo import face_permission
    from deckgen.theme.fonts import FontError, has_hangul
    from deckgen.theme.load import ThemeError, load_theme

    try:
        theme = load_theme(theme_name)
    except (ThemeError, FontError) as e:
        return [Check(f"theme {theme_name}", False, str(e), "every build", essential=True)]
    checks = []
    for role in ("heading", "body", "mono"):
        face = getattr(theme.fonts, role)
        for weight in ("regular", "bold"):
            f = getattr(face, weight)
            hangul = has_hangul(f.path, f.index)
            detail = f"{face.family}: {f.path}; {face_report(f.path, f.index)}"
            detail += "" if hangul else " (no Hangul glyphs)"
            if face.fallback_note:
                detail += " (a fallback: none of the theme's fonts is installed)"
            checks.append(Check(f"font {role} {weight}", hangul, detail,
                                "Korean text in decks and handouts (boxes would be measured wrongly)",
                                essential=True))
            perm = face_permission(f.path, f.index)
            if not perm.embeddable and theme.embed_fonts != "none":
                checks.append(Check(f"embed {role} {weight}", False,
                                    f"{face.family}: fsType {perm.fs_type} ({perm.label}) may not be embedded",
                                    "carrying this face in decks: PowerPoint without it substitutes another font"))
    return checks + check_fallbacks(theme)


SCRIPTS = ("han", "kana", "emoji", "symbols")


def check_fallbacks(theme: Any) -> list[Check]:
    """One row per script of the theme's fallback chain: the face that draws it, or what is lost."""
    found = dict(theme.fonts.fallback.faces())
    checks = []
    for script in SCRIPTS:
        face = found.get(script)
        if face is None:
            checks.append(Check(f"font fallback {script}", False, "none of the theme's fallback faces is installed",
                                f"{script} text is drawn in whatever face the viewer substitutes (measured wrongly)"))
            continue
        f = face.regular
        checks.append(Check(f"font fallback {script}", True, f"{face.family}: {f.path}; {face_report(f.path, f.index)}",
                            ""))
    return checks


def face_report(path: str, index: int = 0) -> str:
    """fsType with what it allows, and the scripts the face covers: 'fsType 8 (editable,
    embeddable); scripts: Hangul, Latin'."""
    from deckgen.theme.faceinfo import face_permission, scripts_covered

    perm = face_permission(path, index)
    allowed = "embeddable" if perm.embeddable else "not embeddable"
    scripts = ", ".join(scripts_covered(path, index)) or "none of Hangul, Latin, Han, Kana"
    return f"fsType {perm.fs_type} ({perm.label}, {allowed}); scripts: {scripts}"


def check_program(component: str, names: tuple[str, ...], disables: str) -> Check:
    for name in names:
        path = shutil.which(name)
        if path:
            return Check(component, True, path, disables)
    return Check(component, False, f"{' / '.join(names)} not on PATH", disables)


def check_renderers() -> list[Check]:
    """One row per figure renderer, from render.available_renderers()."""
    from deckgen.render import available_renderers

    try:
        found = available_renderers()
    except Exception as e:      # a broken install is what doctor is for: report it, do not crash
        return [Check("figure renderers", False, f"available_renderers() failed: {e}", "diagram figures")]
    return [Check(f"renderer {name}", ok, detail, disables or f"{name} figures")
            for name, ok, detail, disables in found]


def check_template(theme_name: str, template: str | None) -> list[Check]:
    """The template the decks are built on (given, or the theme's template.pptx): readable, its
    layouts per role, and its faces (a face not installed is measured with the theme's)."""
    from deckgen.theme.fonts import FontError
    from deckgen.theme.load import ThemeError
    from deckgen.theme.template_safety import TemplateError
    from deckgen.theme.template_theme import load_themed

    try:
        theme = load_themed(theme_name, template)
    except (ThemeError, FontError, TemplateError) as e:
        return [Check("template", False, str(e), "every build", essential=True)] if template else []
    if theme.template is None:
        return []
    checks = [Check("template", True, msg, "")
              for sev, code, msg in theme.notices if code == "template-layouts"]
    checks += [Check(f"template {code.split('-', 1)[1]}", False, msg, "the template's own look for that part")
               for sev, code, msg in theme.notices if sev == "warning"]
    return checks


def collect(theme_name: str, template: str | None = None) -> list[Check]:
    return [
        *check_fonts(theme_name),
        *check_template(theme_name, template),
        check_program("LibreOffice", ("soffice", "libreoffice"),
                      "rendering decks to images: the real-client tests and deck previews"),
        check_program("poppler", ("pdftotext",), "text checks of handouts in the test suite"),
        check_program("graphviz", ("dot",), "graphviz (dot) diagrams"),
        *check_renderers(),
    ]


def table(checks: list[Check]) -> str:
    head = ("component", "status", "detail", "if missing, disables")
    rows = [head] + [(c.component, c.status, c.detail, "" if c.ok else c.disables) for c in checks]
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    lines = []
    for n, r in enumerate(rows):
        lines.append("  ".join(r[i].ljust(widths[i]) for i in range(3)) + "  " + r[3])
        if n == 0:
            lines.append("  ".join("-" * w for w in widths) + "  " + "-" * len(head[3]))
    return "\n".join(line.rstrip() for line in lines)


def run_doctor(theme_name: str = "default", out: TextIO | None = None, template: str | None = None) -> int:
    out = out or sys.stdout
    checks = collect(theme_name, template)
    print(table(checks), file=out)
    bad = [c for c in checks if c.essential and not c.ok]
    optional = [c for c in checks if not c.essential and not c.ok]
    if bad:
        print(f"\nnot ready: {len(bad)} essential check(s) failed (fonts with Hangul are needed to build)",
              file=out)
        return 1
    print("\nready to build" + (f"; {len(optional)} optional part(s) missing" if optional else ""), file=out)
    return 0
