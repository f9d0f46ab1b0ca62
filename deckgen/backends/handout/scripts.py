"""The handout draws Han, Kana and emoji with the same fallback faces as the deck.

A CSS font-family list alone is not enough: WeasyPrint takes the first family
that has the glyph, and the Korean faces carry some Hanja and Kana, so the
handout would draw them with another face than the slides.  These clusters
are wrapped in ``<span class="script-han">`` (``-kana``, ``-emoji``) whose
font-family is the theme's fallback face; symbols need no span, since the role
stacks list the symbols face after the role's face, which is the deck's rule
too ("the role's face when it has the glyph").
"""
from __future__ import annotations

import html

from deckgen.theme.fallback import Fallbacks
from deckgen.theme.scripts import clusters, is_plain

SPAN_SCRIPTS = ("han", "kana", "emoji")


def script_html(text: str) -> str:
    """Escaped *text* with every Han, Kana and emoji stretch in a script span; neutral
    characters (punctuation, spaces, joiners) stay with the stretch before them."""
    if is_plain(text):
        return html.escape(text)
    out: list[str] = []
    current = ""
    for cluster, script in clusters(text):
        key = script if script in SPAN_SCRIPTS else (current if not script else "")
        if key != current:
            out.append("</span>" if current else "")
            out.append(f'<span class="script-{key}">' if key else "")
            current = key
        out.append(html.escape(cluster))
    out.append("</span>" if current else "")
    return "".join(out)


def fallback_families(chain: Fallbacks) -> list[str]:
    """Families to append to every role's CSS stack: symbols first (drawn only where the
    role's face lacks a glyph), then the others as a last resort."""
    order = [chain.symbols, chain.emoji, chain.han, chain.kana]
    return [face.family for face in order if face is not None]


def script_rules(chain: Fallbacks, stack) -> str:
    """CSS giving each script span its fallback face; *stack(family)* is the quoted
    font-family list of one family (its @font-face name first)."""
    rules = []
    for script in SPAN_SCRIPTS:
        face = getattr(chain, script)
        if face is not None:
            rules.append(f".script-{script} {{ font-family: {stack(face.family)}; }}")
    return "\n".join(rules)
