"""Which script each character cluster belongs to, so that each gets the face that draws it.

The default Korean faces have no glyphs for most Chinese characters or for
emoji; a viewer then draws them with some other installed face, wider than
what was measured.  Text is therefore cut into clusters (an emoji with its
variation selector, skin tone, ZWJ partners or keycap mark stays ONE cluster)
and every cluster gets a script from the small range table below:

- ``hangul`` and ``latin``: drawn with the role's own face;
- ``han``, ``kana``, ``emoji``: drawn with the theme's fallback face for them;
- ``symbols``: the role's face when it has the glyph, else the symbols face;
- ``""`` (spaces, punctuation, marks): neutral, they follow the cluster before.
"""
from __future__ import annotations

import functools
import re
import unicodedata

FALLBACK_SCRIPTS = ("han", "kana", "emoji", "symbols")
"""Scripts with a fallback chain in the theme (``[fonts.fallback]``)."""

_HAN = ((0x2E80, 0x2FDF), (0x3005, 0x3007), (0x3021, 0x3029), (0x3038, 0x303B), (0x3400, 0x4DBF),
        (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3134F))
_KANA = ((0x3041, 0x30FF), (0x31F0, 0x31FF), (0xFF66, 0xFF9F), (0x1B000, 0x1B16F))
_HANGUL = ((0x1100, 0x11FF), (0x3130, 0x318F), (0xA960, 0xA97F), (0xAC00, 0xD7AF), (0xD7B0, 0xD7FF),
           (0xFFA0, 0xFFDC))
_EMOJI = ((0x1F000, 0x1FAFF),)
"""Pictographs, emoticons, transport, supplemental symbols: emoji presentation by default."""
_EMOJI_BMP = frozenset(
    "⌚⌛⏩⏪⏫⏬⏰⏳◽◾☔☕♈♉♊♋♌♍♎♏♐♑♒♓♿⚓⚡⚪⚫⚽⚾⛄⛅⛎⛔⛪⛲⛳⛵⛺⛽✅✊✋✨❌❎❓❔❕❗➕➖➗➰➿⬛⬜⭐⭕")
"""BMP characters with emoji presentation by default (Unicode Emoji_Presentation=Yes)."""

VS16 = "\ufe0f"
ZWJ = "\u200d"
KEYCAP = "\u20e3"

# One cluster: a keycap (digit, # or * [+ VS16] + U+20E3), a flag (two regional
# indicators), or a character with its variation selectors, skin tones, tags and
# ZWJ partners.  Combining marks stay with their base.
_CLUSTER = re.compile(
    r"[0-9#*]\ufe0f?\u20e3"
    r"|[\U0001F1E6-\U0001F1FF]{2}"
    r"|(?:.[\ufe0e\ufe0f\U0001F3FB-\U0001F3FF\U000E0020-\U000E007F\u0300-\u036f\u20d0-\u20ff]*)"
    r"(?:\u200d.[\ufe0e\ufe0f\U0001F3FB-\U0001F3FF\u20d0-\u20ff]*)*",
    re.S)


def _in(o: int, table: tuple[tuple[int, int], ...]) -> bool:
    return any(a <= o <= b for a, b in table)


@functools.lru_cache(maxsize=4096)
def _char_script(ch: str) -> str:
    o = ord(ch)
    if o < 0x80:
        return "latin" if ch.isalnum() else ""
    if _in(o, _HANGUL):
        return "hangul"
    if _in(o, _HAN):
        return "han"
    if _in(o, _KANA):
        return "kana"
    if _in(o, _EMOJI) or ch in _EMOJI_BMP:
        return "emoji"
    cat = unicodedata.category(ch)
    if cat[0] in "LN":
        return "latin"
    if cat[0] == "S" or cat == "Co":
        return "symbols"
    return ""          # punctuation, spaces, marks, format characters: follow their neighbour


def cluster_script(cluster: str) -> str:
    """The script of one cluster (see the module docstring)."""
    if len(cluster) > 1 and (KEYCAP in cluster or VS16 in cluster or ZWJ in cluster
                             or "\U0001F3FB" <= cluster[1] <= "\U0001F3FF"):
        return "emoji"
    return _char_script(cluster[0])


def clusters(text: str) -> list[tuple[str, str]]:
    """*text* as (cluster, script) pairs, in order; their texts join back to *text*."""
    return [(m.group(0), cluster_script(m.group(0))) for m in _CLUSTER.finditer(text)]


_PLAIN = re.compile(r"[\u0000-\u024f\u2000-\u206f\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]*")


def is_plain(text: str) -> bool:
    """True when *text* has only Latin, Hangul and general punctuation: no fallback needed.

    The common case, checked first so that notes without other scripts are measured
    and written exactly as before."""
    return _PLAIN.fullmatch(text) is not None
