"""``deckgen watch DIR``: build a folder, then rebuild only what each change affects.

watchfiles batches an editor's save burst into one set of changes (it waits
until the files are quiet); :func:`affected` maps that set to the notes to
rebuild, a pure function of the changes and what the last build recorded:

- a changed or new note -> that note;
- a changed asset -> the notes whose cache entry lists it as a dependency;
- any new image -> also the notes that had a missing image;
- a theme file, the project config or ``.deckgenignore`` -> every note.

The build cache still decides freshness, so a rebuild is never wrong, only
sometimes unneeded.  While a handout is typeset (in a child process), the wait for
it builds the other notes saved meanwhile (Meanwhile), so their decks never wait
for it.  Errors are printed and watching goes on.  ``--serve``
serves the output folder on 127.0.0.1 only, with a page listing its decks and handouts.
"""
from __future__ import annotations

import argparse
import io
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from deckgen.course.cache import UNSETTLED_CODES, BuildCache
from deckgen.course.config import ProjectConfig
from deckgen.course.settings import load_project, settings
from deckgen.course.discover import CACHE_NAME, IGNORE_FILE, NOTE_SUFFIXES, plan, visible_name
from deckgen.course.report import StageLine
from deckgen.course.serve import serve

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".bmp", ".webp", ".tif", ".tiff", ".svg"}


@dataclass(frozen=True)
class WatchState:
    """What the last build knew: every note, what each used, the theme and config files."""

    folder: Path
    out_dir: Path
    notes: frozenset[Path] = frozenset()
    deps: dict[Path, frozenset[Path]] = field(default_factory=dict)
    """note -> files it was built from besides itself (images)."""
    unsettled: frozenset[Path] = frozenset()
    """Notes whose last build missed an image (any new image may be the one)."""
    theme_files: frozenset[Path] = frozenset()
    config_files: frozenset[Path] = frozenset()


@dataclass(frozen=True)
class Rebuild:
    everything: bool = False
    notes: frozenset[Path] = frozenset()
    reload_config: bool = False
    reload_theme: bool = False
    removed: frozenset[Path] = frozenset()

    def __bool__(self) -> bool:
        return self.everything or bool(self.notes) or bool(self.removed)


def _under(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def affected(changes: Iterable[tuple[str, Path]], state: WatchState) -> Rebuild:
    """Map (kind, resolved path) changes, kind in added/modified/deleted, to what must rebuild."""
    everything = reload_config = reload_theme = False
    notes: set[Path] = set()
    removed: set[Path] = set()
    users: dict[Path, set[Path]] = {}
    for note, deps in state.deps.items():
        for d in deps:
            users.setdefault(d, set()).add(note)
    for kind, path in changes:
        if _under(path, state.out_dir):
            continue  # our own outputs
        if path in state.config_files:
            everything = reload_config = True
        elif path.name == IGNORE_FILE and _under(path, state.folder):
            everything = True
        elif path in state.theme_files or any(_under(path, t.parent) and path.name in ("theme.toml", "handout.css")
                                              for t in state.theme_files):
            everything = reload_theme = True
        elif path.suffix.lower() in NOTE_SUFFIXES and _under(path, state.folder):
            if kind == "deleted":
                removed.add(path)
            else:
                notes.add(path)
        else:
            notes |= users.get(path, set())
            if kind != "deleted" and path not in users and path.suffix.lower() in IMAGE_SUFFIXES:
                notes |= set(state.unsettled)
    return Rebuild(everything, frozenset(notes - removed), reload_config, reload_theme, frozenset(removed))


def merge_saves(changes: Iterable[tuple[str, Path]]) -> list[tuple[str, Path]]:
    """Editors that save by renaming the old file away and writing a new one (vim's default,
    JetBrains' "safe write") report the note as deleted and added in one batch (watchfiles
    gives a set, in no order): a path deleted and added again, or reported deleted but
    present now, was modified."""
    kinds: dict[Path, set[str]] = {}
    for kind, path in changes:
        kinds.setdefault(path, set()).add(kind)
    merged = []
    for path, ks in kinds.items():
        if "deleted" in ks and (len(ks) > 1 or path.exists()):
            ks = {"modified"}
        merged += [(k, path) for k in sorted(ks)]
    return merged


def current_state(folder: Path, out_dir: Path, formats: tuple[str, ...], theme_files: Iterable[Path],
                  config_files: Iterable[Path]) -> WatchState:
    """Read the notes of *folder* and the dependencies its build cache recorded."""
    cache = BuildCache.load(out_dir)
    notes = frozenset(j.note.resolve() for j in plan([folder], out_dir, formats))
    deps: dict[Path, frozenset[Path]] = {}
    unsettled = set()
    for note, entry in cache.entries.items():
        deps[Path(note)] = frozenset(Path(d) for d in entry.get("deps", {}))
        if any(d.get("code") in UNSETTLED_CODES for d in entry.get("diagnostics", [])):
            unsettled.add(Path(note))
    return WatchState(folder.resolve(), out_dir.resolve(), notes, deps, frozenset(unsettled),
                      frozenset(p.resolve() for p in theme_files), frozenset(p.resolve() for p in config_files))


class _Session:
    """The settings of one watch run; reloaded when the config changes."""

    def __init__(self, folder: Path, args: argparse.Namespace, cfg: ProjectConfig | None = None):
        self.folder = folder
        self.args = args
        self.load(cfg)

    def load(self, cfg: ProjectConfig | None = None) -> None:
        cfg = cfg or load_project(self.folder)
        self.options, out, self.jobs = settings(self.args, cfg)
        self.out_dir = out or Path("out")
        # the config in force, and where a new one would take over
        self.config_files = ([cfg.path] if cfg.path else []) + [self.folder.resolve() / "deckgen.toml"]
        self.load_theme()

    def load_theme(self) -> None:
        from deckgen.pipeline import cached_theme

        cached_theme.cache_clear()  # workers fork from this process: they get the new theme too
        try:
            self.theme_files = list(cached_theme(self.options.theme, self.options.template)[0].source_files)
        except Exception:
            self.theme_files = []

    def name(self, note: Path) -> str:
        """*note* (resolved) as the build's lines name it: under the folder as it was given."""
        try:
            return visible_name(str(self.folder / note.relative_to(self.folder.resolve())))
        except ValueError:
            return visible_name(str(note))

    def state(self) -> WatchState:
        return current_state(self.folder, self.out_dir, self.options.formats, self.theme_files, self.config_files)

    def build(self, only: set[Path] | None = None) -> int:
        from deckgen.course.batch import build_paths
        code = build_paths([self.folder], self.out_dir, self.options, quiet=self.args.quiet, jobs=self.jobs,
                           force=getattr(self.args, "force", False), only=only)
        sys.stdout.flush()
        return code

    def watch_roots(self, state: WatchState) -> list[Path]:
        """The folder, the theme folders, the folders of every asset used and the config file itself
        (not its whole folder, which may hold a virtualenv), without paths inside another root."""
        roots = {self.folder.resolve()} | {p.parent.resolve() for p in self.theme_files}
        roots |= {Path(d).resolve() for d in self.options.asset_dirs if Path(d).is_dir()}
        roots |= {d.parent for deps in state.deps.values() for d in deps if d.parent.is_dir()}
        roots |= {p.resolve() for p in self.config_files if p.exists()}
        return sorted(r for r in roots if not any(o != r and o in r.parents for o in roots))


def _filter(session: _Session, roots: list[Path]):
    out_dir = session.out_dir.resolve()

    def keep(change, path: str) -> bool:
        p = Path(path)
        if _under(p, out_dir) or p.name == CACHE_NAME or p.name.endswith(("~", ".tmp", ".swp")):
            return False
        root = next((r for r in roots if _under(p, r)), None)
        rel = p.relative_to(root).parts if root is not None and root != p else (p.name,)
        # hidden files and folders (.git, editor swap files, .deckgen-cache), but not .deckgenignore
        return not any(part.startswith(".") and part != IGNORE_FILE for part in rel)
    return keep


def _rebuild(session: _Session, changes: list[tuple[str, Path]], typesetting: Path | None = None) -> Rebuild | None:
    """Rebuild what *changes* affect (while the handout of *typesetting* goes on, if given);
    errors are printed, never raised (watching goes on)."""
    from deckgen.course.config import ConfigError

    try:
        what = affected(merge_saves(changes), session.state())
        if not what:
            return what
        if what.reload_theme:
            session.load_theme()
        if what.reload_config:
            try:
                session.load()
            except ConfigError as e:
                print(f"deckgen: error: {e} (keeping the previous settings)", file=sys.stderr, flush=True)
        for p in sorted(what.removed):
            print(f"{p}: removed (its outputs stay until `deckgen build --prune`)", flush=True)
        if what.everything:
            print(f"{time.strftime('%H:%M:%S')} change in the theme or config: rebuilding all", flush=True)
            session.build()
        elif what.notes:
            meanwhile = f" while the handout of {session.name(typesetting)} is typeset" if typesetting else ""
            print(f"{time.strftime('%H:%M:%S')} rebuilding {len(what.notes)} note(s){meanwhile}", flush=True)
            session.build(set(what.notes))
            if typesetting:
                print(f"{session.name(typesetting)}: handout still being typeset", flush=True)
        return what
    except Exception as e:  # keep watching whatever happened
        print(f"deckgen: error during rebuild: {type(e).__name__}: {e}", file=sys.stderr, flush=True)
        if getattr(session.args, "verbose", False):
            traceback.print_exc()
        return None


class Changes:
    """watchfiles run in a thread of its own: batches of changes wait here while a build runs, so
    the build can see that the note whose handout it typesets was saved again (`saved_again`)
    and the next rebuild takes every change that came in meanwhile at once."""

    KINDS = {1: "added", 2: "modified", 3: "deleted"}
    """watchfiles.Change values."""
    WAKE_MS = 100
    """How often the watching thread wakes when nothing changes (to see that it should stop)."""

    def __init__(self, roots: list[Path], keep: Callable[..., bool], stop: threading.Event | None = None,
                 pending: list[tuple[str, Path]] | None = None):
        import watchfiles

        self._pending: list[tuple[str, Path]] = list(pending or [])
        self._ready = threading.Condition()
        self._halt = threading.Event()
        self._outer = stop
        self._batches = watchfiles.watch(*roots, watch_filter=keep, stop_event=self._halt, debounce=1600, step=100,
                                         rust_timeout=self.WAKE_MS, yield_on_timeout=True, raise_interrupt=False)
        self._add(next(self._batches, set()))  # watching has begun on return: a save right after is seen
        self._thread = threading.Thread(target=self._run, daemon=True, name="deckgen-watch")
        self._thread.start()

    def _add(self, batch: set) -> None:
        found = [(self.KINDS[int(c)], Path(p).resolve()) for c, p in batch if int(c) in self.KINDS]
        if found:
            with self._ready:
                self._pending += found
                self._ready.notify_all()

    def _run(self) -> None:
        for batch in self._batches:
            self._add(batch)
        with self._ready:
            self._halt.set()
            self._ready.notify_all()

    def _stopped(self) -> bool:
        return self._halt.is_set() or (self._outer is not None and self._outer.is_set())

    def next(self) -> list[tuple[str, Path]] | None:
        """Every change that came in since the last call (waiting for one); None once stopped."""
        with self._ready:
            while not self._pending and not self._stopped():
                self._ready.wait(0.2)
            if self._stopped():
                return None
            found, self._pending = self._pending, []
        return found

    def peek(self) -> list[tuple[str, Path]]:
        """The changes waiting, left in place."""
        with self._ready:
            return [] if self._stopped() else list(self._pending)

    def take(self, count: int) -> list[tuple[str, Path]]:
        """The first *count* changes waiting (those peek() showed), without waiting for any."""
        with self._ready:
            found, self._pending = self._pending[:count], self._pending[count:]
        return found

    def saved_again(self, note: Path) -> bool:
        """Whether a change to *note* is waiting (asked by its handout's build, from this thread)."""
        with self._ready:
            return any(path == note for _, path in self._pending)

    def close(self) -> list[tuple[str, Path]]:
        """Stop watching; the changes that came in and were not taken yet."""
        self._halt.set()
        self._thread.join(timeout=10)
        with self._ready:
            return self._pending


class Meanwhile:
    """The stop test of a handout under watch, asked every 50 ms while its child typesets: first
    it builds the notes saved meanwhile (their decks come at once, their handouts after, while
    this handout goes on in its child), then it tells whether the note itself was saved again
    (its handout is then stopped: the newest save wins).  A change that touches a note whose
    handout is under way here or further out, or the theme or config, waits for the main loop;
    so do all changes while MOST_HANDOUTS handouts are under way (each child may hold hundreds
    of MB)."""

    MOST_HANDOUTS = 3
    """Handout children at once: the main loop's and two built meanwhile, one inside the other."""

    def __init__(self, session: _Session, changes: Changes):
        self.session, self.changes = session, changes
        self.typesetting: list[Path] = []
        """Notes whose handouts wait further out (a nested build's handout asks again)."""
        self._declined = 0

    def __call__(self, note: Path) -> bool:
        self._build_others(note)
        return self.changes.saved_again(note)

    def _build_others(self, note: Path) -> None:
        if len(self.typesetting) + 1 >= self.MOST_HANDOUTS:
            return
        pending = self.changes.peek()
        if len(pending) in (0, self._declined):    # nothing new since the last look
            self._declined = len(pending)
            return
        try:
            what = affected(merge_saves(pending), self.session.state())
        except Exception:               # the main loop reports it, after this handout
            what = Rebuild(everything=True)
        if what.everything or (what.notes | what.removed) & {*self.typesetting, note}:
            self._declined = len(pending)
            return
        self._declined = 0
        taken = self.changes.take(len(pending))
        self.typesetting.append(note)
        try:
            with StageLine.aside():
                _rebuild(self.session, taken, note)
        finally:
            self.typesetting.pop()


def watch(folder: Path, args: argparse.Namespace, *, serve_port: int | None = None,
          stop: threading.Event | None = None, config: ProjectConfig | None = None) -> int:
    from deckgen.bounds.deadline import stop_when

    if isinstance(sys.stdout, io.TextIOWrapper):     # not under a test's captured stdout
        try:
            sys.stdout.reconfigure(line_buffering=True)
        except ValueError:
            pass
    session = _Session(folder, args, config)
    session.build()
    server = None
    if serve_port is not None:
        server = serve(session.out_dir, serve_port)
        print(f"serving {session.out_dir} at http://127.0.0.1:{server.server_address[1]}/", flush=True)
    roots = session.watch_roots(session.state())
    changes = Changes(roots, _filter(session, roots), stop)
    print(f"watching {folder} for changes (Ctrl+C to stop)", flush=True)
    try:
        while True:
            stop_when(Meanwhile(session, changes))  # other notes' saves are built during a handout
            while (batch := changes.next()) is not None:
                what = _rebuild(session, batch)
                if what and (what.reload_config or what.reload_theme or session.watch_roots(session.state()) != roots):
                    break  # the roots change when a note starts using an image in a new folder
            else:
                break
            left = changes.close()
            roots = session.watch_roots(session.state())
            changes = Changes(roots, _filter(session, roots), stop, left)
    except KeyboardInterrupt:
        pass
    finally:
        stop_when(None)
        changes.close()
        if server is not None:
            server.shutdown()
            server.server_close()
    print("stopped watching", flush=True)
    return 0
