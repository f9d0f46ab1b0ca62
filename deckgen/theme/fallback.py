"""The theme's per-script fallback faces and the split of text into runs of one face.

Measuring (layout), the PPTX runs and the handout all cut text with
``split_faces``, so each piece is measured with the face that the deck names
for it, and that viewers then draw it with.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

from deckgen.theme.fonts import FontFace, covers
from deckgen.theme.scripts import clusters, is_plain


@dataclass(frozen=True, slots=True)
class Fallbacks:
    """The resolved face for each script the role faces do not draw (None: not installed)."""

    han: FontFace | None = None
    """Chinese characters (Hanzi, Hanja, Kanji), also in classical and simplified forms."""
    kana: FontFace | None = None
    """Hiragana and Katakana."""
    emoji: FontFace | None = None
    """Emoji clusters: presentation sequences, skin tones, ZWJ sequences, keycaps, flags."""
    symbols: FontFace | None = None
    """Symbols the role's face has no glyph for (arrows, dingbats, math signs)."""

    def faces(self) -> list[tuple[str, FontFace]]:
        """(script, face) of every installed fallback, in table order."""
        return [(s, f) for s, f in (("han", self.han), ("kana", self.kana), ("emoji", self.emoji),
                                    ("symbols", self.symbols)) if f is not None]


@dataclass(frozen=True, slots=True)
class FacePiece:
    """A stretch of text drawn with one face."""

    text: str
    face: FontFace
    script: str
    """'' when the role's own face draws it, else the fallback script ('han', 'emoji', ...)."""


def _face_for(script: str, cluster: str, role: FontFace, chain: Fallbacks) -> tuple[FontFace, str]:
    if script in ("han", "kana", "emoji"):
        face = getattr(chain, script)
        return (face, script) if face is not None else (role, "")
    if script == "symbols" and chain.symbols is not None and not covers(role.regular, cluster):
        return chain.symbols, "symbols"
    return role, ""


@functools.lru_cache(maxsize=50_000)
def split_faces(text: str, role: FontFace, chain: Fallbacks) -> tuple[FacePiece, ...]:
    """*text* cut where the drawing face changes; neutral characters (spaces, punctuation)
    stay with the cluster before them, so a Chinese phrase with its commas is one piece."""
    if not text:
        return ()
    if is_plain(text) or not chain.faces():
        return (FacePiece(text, role, ""),)
    out: list[FacePiece] = []
    for cluster, script in clusters(text):
        if script:
            face, key = _face_for(script, cluster, role, chain)
        elif out:
            face, key = out[-1].face, out[-1].script
        else:
            face, key = role, ""
        if out and out[-1].face == face:
            out[-1] = FacePiece(out[-1].text + cluster, face, key)
        else:
            out.append(FacePiece(cluster, face, key))
    return tuple(out)
