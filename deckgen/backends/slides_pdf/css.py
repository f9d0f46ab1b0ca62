"""The stylesheet of slide-shaped PDFs: the theme's font files and fixed text metrics.

Fonts are @font-face rules on the resolved files (so WeasyPrint embeds the
very faces the layout measured with), under a name no installed font can
shadow.  Every line is ``white-space: pre``: a predicted line is one line box,
never wrapped again and never justified differently.
"""
from __future__ import annotations


from deckgen.backends.handout.css import css_str
from deckgen.backends.handout.css import font_face_rules
from deckgen.theme.fonts import FontFace
from deckgen.theme.load import Theme

ROLES = ("heading", "body", "mono")


def face_name(family: str) -> str:
    return f"deckgen slides {family}"


def role_faces(theme: Theme) -> dict[str, FontFace]:
    f = theme.fonts
    return {"heading": f.heading, "body": f.body, "mono": f.mono}


def font_faces(theme: Theme) -> str:
    """@font-face rules for the regular and bold file of every role.

    A collection (.ttc) would register all its faces under one name, so it is
    left to fontconfig by family name instead (still embedded by WeasyPrint)."""
    return font_face_rules(role_faces(theme).values(), face_name)


def font_stack(role: str, family: str) -> str:
    generic = "monospace" if role == "mono" else "sans-serif"
    names = dict.fromkeys([face_name(family), family, "NanumGothic"])
    return ", ".join(css_str(n) for n in names) + f", {generic}"


def base_css(theme: Theme) -> str:
    """Fonts, role classes and the fixed rules every slide box relies on."""
    roles = "\n".join(f".r-{role} {{ font-family: {font_stack(role, face.family)}; }}"
                      for role, face in role_faces(theme).items())
    return f"""{font_faces(theme)}
{roles}
html, body {{ margin: 0; padding: 0; }}
.slide {{ position: relative; overflow: hidden; }}
.slide > div, .slide > img, .slide > a {{ position: absolute; box-sizing: border-box; }}
.ln {{ white-space: pre; overflow: visible; position: relative; text-align: left; }}
.bu {{ position: absolute; top: 0; white-space: pre; }}
.ln a {{ color: inherit; text-decoration: inherit; }}
.sup {{ vertical-align: super; }}
.sub {{ vertical-align: sub; }}
"""
