"""The FontConfiguration a handout is typeset with: one per theme font set, shared by the forked
children of the process that prepared it, and no font copies left behind in the temporary folder.

WeasyPrint gives every render a new FontConfiguration: fontconfig loads its configuration again,
and each of the theme's @font-face files (Korean faces of 1-4 MB, seven in the default theme) is
copied into a new temporary folder and scanned by fontconfig and Pango.  A handout's child used to
pay that per edition, and since it ends with os._exit (bounds/deadline.py) WeasyPrint's clean-up
never ran: every edition left 18 MB of font copies in /tmp.

Now the process that forks the children prepares one configuration per font set (warmup.py
typesets a small note with it) and registers it here; a child forked after that typesets with
its copy, in which the theme's faces are already loaded.  Two things keep it honest:

- A face the child adds itself (an SVG's own @font-face) must not be skipped in a later child
  because its file is already in the shared folder: WeasyPrint skips a face whose file exists in
  the configuration's folder.  So each render gets a private folder holding links to the shared
  files, removed when the render is done.
- The shared configuration is used only in a process forked after it was registered, never in
  the process that owns it, where a face one note added would stay for the next.

It relies on FontConfiguration keeping its font copies in the folder named by `_folder` (WeasyPrint
70, the version tested); without such an attribute every render simply gets its own configuration, as before.
"""
from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from deckgen.backends.handout.css import theme_font_faces
from deckgen.theme.load import Theme

__all__ = ["fonts_key", "register", "is_registered", "handout_fonts"]

_SHARED: dict[str, tuple[int, Any]] = {}
"""fonts_key -> (the process that registered it, its FontConfiguration)."""


def fonts_key(theme: Theme) -> str:
    """What the configuration depends on: the theme's @font-face rules and their files' sizes and
    times (a font file replaced in place, in watch mode, gets a new configuration)."""
    f = theme.fonts
    faces = [f.heading, f.body, f.mono] + [face for _, face in f.fallback.faces()]
    stamps = []
    for path in dict.fromkeys(str(ff.path) for face in faces for ff in (face.regular, face.bold)):
        try:
            st = os.stat(path)
            stamps.append(f"{path}:{st.st_size}:{st.st_mtime_ns}")
        except OSError:
            stamps.append(f"{path}:-")
    return theme_font_faces(theme) + "\n" + "\n".join(stamps)


def is_registered(theme: Theme) -> bool:
    return fonts_key(theme) in _SHARED


def register(theme: Theme, config: Any) -> bool:
    """Share *config* (a FontConfiguration that has loaded the theme's faces) with the children
    forked from now on; False (nothing shared) when WeasyPrint keeps its font copies elsewhere."""
    if not isinstance(getattr(config, "_folder", False), (Path, type(None))):
        return False
    if not _SHARED:
        atexit.register(_remove_shared)
        # a pool worker (multiprocessing) ends with os._exit after its own exit functions, never
        # atexit's: a `--jobs 1` folder build, whose one worker warms up itself, left 18 MB a run
        from multiprocessing import util
        util.Finalize(None, _remove_shared, exitpriority=0)
    _SHARED[fonts_key(theme)] = (os.getpid(), config)
    return True


def _remove_shared() -> None:
    """The shared configurations' font copies, when the process that made them ends: WeasyPrint's
    own clean-up may never run (gc.freeze() in the course build keeps their cycles uncollected)."""
    for owner, config in _SHARED.values():
        if owner == os.getpid():
            _remove(getattr(config, "_folder", None))
            config._folder = None       # its __del__, at interpreter shutdown, has nothing left to do


@contextmanager
def handout_fonts(theme: Theme) -> Iterator[Any]:
    """The FontConfiguration for one render of a handout in *theme*; its temporary files are
    removed when the render is done."""
    from weasyprint.text.fonts import FontConfiguration

    owner, shared = _SHARED.get(fonts_key(theme), (os.getpid(), None))
    if shared is None or owner == os.getpid():
        config = FontConfiguration()
        try:
            yield config
        finally:
            _remove(getattr(config, "_folder", None))
        return
    folder, own = shared._folder, Path(tempfile.mkdtemp(prefix="weasyprint-"))
    for font in folder.iterdir() if folder is not None else ():
        os.symlink(font, own / font.name)
    shared._folder = own
    try:
        yield shared
    finally:
        shared._folder = folder
        _remove(own)


def discard(config: Any) -> None:
    """Remove the font copies of a configuration that will not be used (a warm-up that failed or
    ran out of time): its own clean-up may never run in a process that froze the collector."""
    _remove(getattr(config, "_folder", None))
    config._folder = None


def _remove(folder: Any) -> None:
    if isinstance(folder, Path):
        shutil.rmtree(folder, ignore_errors=True)
