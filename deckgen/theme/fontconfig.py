"""fontconfig asked in-process (libfontconfig through ctypes), the way `fc-match -f` answers.

Resolving a theme's faces takes up to a dozen matches; one `fc-match` process each cost
about 29 million instructions (starting the program and loading fontconfig's caches every
time), more than a third of an up-to-date course check.  Here the library and its
configuration are loaded once per process (honouring FONTCONFIG_FILE like fc-match) and a
match is a function call.  `match` returns None when the library cannot be loaded, and the
caller then runs fc-match itself.
"""
from __future__ import annotations

import ctypes
import functools

LIBRARY = "libfontconfig.so.1"
FC_MATCH_PATTERN = 0
"""FcMatchKind FcMatchPattern: the substitutions fc-match applies to the pattern."""


class _Fontconfig:
    """The few functions fc-match's one-face answer uses, with their C signatures."""

    def __init__(self) -> None:
        lib = ctypes.CDLL(LIBRARY)
        p, s = ctypes.c_void_p, ctypes.c_char_p
        for name, args, result in (
                ("FcInitLoadConfigAndFonts", [], p), ("FcNameParse", [s], p),
                ("FcConfigSubstitute", [p, p, ctypes.c_int], ctypes.c_int), ("FcDefaultSubstitute", [p], None),
                ("FcFontMatch", [p, p, ctypes.POINTER(ctypes.c_int)], p), ("FcPatternFormat", [p, s], p),
                ("FcPatternDestroy", [p], None), ("FcStrFree", [p], None)):
            fn = getattr(lib, name)
            fn.argtypes, fn.restype = args, result
        self.lib = lib
        self.config = lib.FcInitLoadConfigAndFonts()   # our own: a config WeasyPrint changes is not ours
        if not self.config:
            raise OSError("fontconfig loaded no configuration")

    def match(self, pattern: str, fmt: str) -> str | None:
        lib = self.lib
        pat = lib.FcNameParse(pattern.encode("utf-8"))
        if not pat:
            return None
        try:
            lib.FcConfigSubstitute(self.config, pat, FC_MATCH_PATTERN)
            lib.FcDefaultSubstitute(pat)
            result = ctypes.c_int()
            font = lib.FcFontMatch(self.config, pat, ctypes.byref(result))
        finally:
            lib.FcPatternDestroy(pat)
        if not font:
            return None
        try:
            text = lib.FcPatternFormat(font, fmt.encode("utf-8"))
            if not text:
                return None
            try:
                return ctypes.string_at(text).decode("utf-8", "replace")
            finally:
                lib.FcStrFree(text)
        finally:
            lib.FcPatternDestroy(font)


@functools.cache
def _library() -> _Fontconfig | None:
    try:
        return _Fontconfig()
    except (OSError, AttributeError):
        return None


def available() -> bool:
    """Whether fontconfig can be asked in-process."""
    return _library() is not None


def match(pattern: str, fmt: str) -> str | None:
    """What `fc-match -f FMT PATTERN` prints (None when nothing matched or the library is missing)."""
    lib = _library()
    return None if lib is None else lib.match(pattern, fmt)
