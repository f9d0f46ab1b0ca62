"""Build many notes: plan, skip what is fresh, build the rest on a process pool, summarise.

A broken note yields a failed result and the others go on; a worker that dies
(segfault, OOM kill) takes only its own note down: after a pool breaks, the
unfinished notes are retried one per fresh worker so the culprit fails alone.
"""
from __future__ import annotations

import gc
import os
import signal
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from deckgen.course.cache import BuildCache, NoteState, build_key, cached_diagnostics, file_hash, file_stat
from deckgen.files import remove_stale_temps, resolved
from deckgen.course.discover import CACHE_NAME, OPTIONAL_OUTPUTS, Job, check_collisions, plan
from deckgen.theme.fonts import FontError
from deckgen.diagnostics import SourceSpan
from deckgen.options import BuildOptions, BuildResult
from deckgen.course.report import Outcome, Reporter, StageLine
from deckgen.theme.load import ThemeError
from deckgen.theme.templates import TemplateError
from deckgen.theme.template_theme import load_themed

if TYPE_CHECKING:  # the pool is imported only when notes are built in parallel (not on an up-to-date run)
    from concurrent.futures import Future, ProcessPoolExecutor

__all__ = ["Job", "build_paths", "check_collisions", "plan", "run_jobs"]

Worker = Callable[[Job, BuildOptions], BuildResult]


def build_job(job: Job, options: BuildOptions) -> BuildResult:
    """Top-level (picklable) entry point of a worker."""
    from deckgen.pipeline import build_one

    result = build_one(job.note, job.outputs, options, display=job.display)
    if job.renamed:
        names = ", ".join(p.name for p in job.outputs.values())
        result.diags.warning("file-name", f"the note's name {job.renamed} holds invisible, direction-changing "
                             f"or non-UTF-8 characters; its outputs are named {names}", SourceSpan(job.display, 0))
        if options.strict:
            result.failed = True
    return result


def _warm(theme: str, template: str | None = None) -> None:
    """Pool initializer: load the theme and its fonts once per worker, not once per note.

    Workers ignore Ctrl-C: the parent alone reports it (one line) and stops them."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from deckgen.pipeline import cached_theme

    try:
        cached_theme(theme, template)
    except Exception:
        pass  # build_one reports theme errors per note


def _preload(options: BuildOptions) -> None:
    """Import the stages' libraries the run needs, load the theme and typeset a small handout
    (handout/warmup.py) in the parent before the pool forks, so every worker starts warm instead
    of paying the imports (about 1 s of CPU) and WeasyPrint's first-use set-up in each child."""
    from deckgen.pipeline import cached_theme, paper_theme

    if "pptx" in options.formats:
        from deckgen.backends.pptx.preload import preload_deck_writer
        preload_deck_writer()
    if "pdf" in options.formats or "slides" in options.formats:
        from deckgen.backends.handout.preload import preload_weasyprint
        preload_weasyprint()
    try:
        theme = cached_theme(options.theme, options.template)[0]
        if "pdf" in options.formats:
            from deckgen.backends.handout.warmup import warm_up
            warm_up(paper_theme(theme))  # every handout child of every worker starts warm
    except Exception:
        pass  # build_one reports theme errors per note
    gc.freeze()  # the workers' collections then skip (and do not copy-on-write) the inherited objects


def _crashed(job: Job, why: str) -> BuildResult:
    r = BuildResult(job.display, failed=True)
    r.diags.error("internal", f"the build worker died ({why})", SourceSpan(job.display, 0))
    return r


def _pool(workers: int, theme: str, template: str | None = None) -> ProcessPoolExecutor:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # fork shares the parent's already-loaded theme and fonts; elsewhere the initializer loads them
    ctx = multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None
    return ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_warm,
                               initargs=(theme, template))


def run_jobs(todo: list[tuple[int, Job]], options: BuildOptions, workers: int,
             worker: Worker = build_job) -> Iterator[tuple[int, Job, BuildResult]]:
    """Yield (index, job, result) as builds complete."""
    if len(todo) <= 1:
        for i, job in todo:
            yield i, job, worker(job, options)
        return
    from concurrent.futures import as_completed
    from concurrent.futures.process import BrokenProcessPool

    broken: list[tuple[int, Job]] = []
    pool = _pool(min(workers, len(todo)), options.theme, options.template)
    try:
        futures: dict[Future, tuple[int, Job]] = {pool.submit(worker, job, options): (i, job)
                                                  for i, job in longest_first(todo)}
        for fut in as_completed(futures):
            i, job = futures[fut]
            try:
                result = fut.result()
            except BrokenProcessPool:
                broken.append((i, job))
                continue
            except Exception as e:  # e.g. a result that cannot be pickled
                result = _crashed(job, f"{type(e).__name__}: {e}")
            yield i, job, result
    except KeyboardInterrupt:
        _stop_workers(pool)
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    for i, job in sorted(broken, key=lambda t: t[0]):
        yield i, job, _isolated(job, options, worker)


def longest_first(todo: list[tuple[int, Job]]) -> list[tuple[int, Job]]:
    """The jobs, largest note first: a long lecture started last would leave one worker
    typesetting alone at the end while the others wait (a note's size stands for its time)."""
    def size(item: tuple[int, Job]) -> int:
        try:
            return item[1].note.stat().st_size
        except OSError:
            return 0
    return sorted(todo, key=size, reverse=True)


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """Kill the workers at once on Ctrl-C (their notes' outputs are written atomically, so
    nothing is left half-written); ProcessPoolExecutor has no public way before 3.14."""
    for proc in list(getattr(pool, "_processes", {}).values()):
        try:
            proc.kill()
        except OSError:
            pass


def _save(cache: BuildCache, failed: set[Path]) -> None:
    """Save a build cache; a read-only folder or a full disk is one error line per cache, and
    the notes simply rebuild next time."""
    try:
        cache.save()
    except OSError as e:
        if cache.path not in failed:
            failed.add(cache.path)
            print(f"deckgen: error: cannot write the build cache {cache.path}: {e.strerror or e}; "
                  "these notes will be rebuilt next time", file=sys.stderr)


def _with_stage_line(reporter: Reporter) -> Worker:
    """A worker for a lone note, built in this process, that keeps a progress line on the terminal."""
    def build(job: Job, options: BuildOptions) -> BuildResult:
        from deckgen.pipeline import build_one

        with StageLine(job.display, reporter.err) as line:
            return build_one(job.note, job.outputs, options, display=job.display, progress=line)
    return build


def _clean_temps(planned: list[Job], before: float) -> None:
    """Remove temporary files a killed earlier build left beside this run's outputs (and caches)."""
    targets = {resolved(p) for j in planned for p in j.outputs.values()}
    targets |= {resolved(j.out_dir / CACHE_NAME) for j in planned}
    removed = remove_stale_temps(sorted(targets), before)
    if removed:
        print(f"deckgen: removed {len(removed)} temporary file(s) left by an interrupted build",
              file=sys.stderr)


def _isolated(job: Job, options: BuildOptions, worker: Worker) -> BuildResult:
    """Build one note in a worker of its own, so a crash is pinned on this note alone."""
    from concurrent.futures.process import BrokenProcessPool

    with _pool(1, options.theme, options.template) as pool:
        try:
            return pool.submit(worker, job, options).result()
        except BrokenProcessPool:
            return _crashed(job, "it crashed while building this note")


def _dedupe(jobs: list[Job]) -> list[Job]:
    seen: set[tuple] = set()
    out = []
    for j in jobs:
        key = (resolved(j.note), tuple(sorted((f, resolved(p)) for f, p in j.outputs.items())))
        if key not in seen:
            seen.add(key)
            out.append(j)
    return out


def _record(cache: BuildCache, job: Job, res: BuildResult, previous: dict, key: str, note_state: NoteState,
            unsaved: set[Path]) -> None:
    """Record a successful build with the outputs it wrote; an optional output its previous build
    wrote and this one did not is deleted."""
    written = {f: p for f, p in job.outputs.items() if p in res.outputs}
    _remove_dropped(previous, written)
    cache.record(job.note, written, key, note_state, res.dependencies, res.diags, res.slides)
    _save(cache, unsaved)


def _remove_dropped(entry: dict, written: dict[str, Path]) -> None:
    """Delete an optional output the last build wrote and this one did not (the instructor edition
    of a note that no longer has instructor content): only a file the cache recorded."""
    for fmt, old in (entry.get("outputs") or {}).items():
        if fmt in OPTIONAL_OUTPUTS and fmt not in written and Path(old).is_file():
            Path(old).unlink()


def _prune(jobs: list[Job], caches: dict[Path, BuildCache], reporter: Reporter) -> list[Path]:
    """Delete outputs recorded for notes of the built folders that are no longer built."""
    live_notes = {str(resolved(j.note)) for j in jobs}
    live_outputs = {resolved(p) for j in jobs for p in j.outputs.values()}
    roots: dict[Path, set[Path]] = {}
    for j in jobs:
        if j.root is not None:
            roots.setdefault(j.out_dir.resolve(), set()).add(j.root.resolve())
    removed: list[Path] = []
    for out_dir, folders in roots.items():
        cache = caches[out_dir]
        for note in list(cache.entries):
            npath = Path(note)
            if note in live_notes or not any(f == npath or f in npath.parents for f in folders):
                continue
            for target in map(Path, cache.entries[note].get("outputs", {}).values()):
                if target in live_outputs or out_dir not in target.parents or not target.is_file():
                    continue  # only files we wrote, inside the output folder, that nobody builds now
                target.unlink()
                removed.append(target)
                for parent in target.parents:
                    if parent == out_dir or out_dir not in parent.parents:
                        break
                    try:
                        parent.rmdir()  # only succeeds when empty
                    except OSError:
                        break
            del cache.entries[note]
            cache.changed.add(note)
            _save(cache, set())
    if not reporter.quiet and not reporter.as_json:
        for p in removed:
            print(f"removed {p}", file=reporter.out)
    return removed


def _pack(planned: list[Job], options: BuildOptions, theme, title: str, reporter: Reporter) -> bool:
    """Course pack per output folder of the built folders; a pack problem is printed, never fatal."""
    from deckgen.course.pack import Lecture, note_title, write_pack

    ok = True
    groups: dict[Path, list[Job]] = {}
    for j in planned:
        if j.root is not None:
            groups.setdefault(j.out_dir, []).append(j)
    if not groups:
        print("deckgen: warning: --pack needs a folder to build; no course pack written", file=sys.stderr)
    for out_dir, jobs in groups.items():
        lectures = [Lecture(note_title(j.note), j.display, j.outputs.get("pdf"), j.outputs.get("pptx"),
                            j.outputs.get("slides"), j.outputs.get("thumb")) for j in jobs]
        name = title or (jobs[0].root or out_dir).resolve().name     # grouped jobs all have a root
        try:
            written, warnings = write_pack(lectures, out_dir, name, theme, with_pdf="pdf" in options.formats)
        except Exception as e:  # the lectures are built; a pack failure must not hide that
            print(f"deckgen: error: course pack in {out_dir}: {type(e).__name__}: {e}", file=sys.stderr)
            ok = False
            continue
        for w in warnings:
            print(w, file=sys.stderr)
        if not reporter.quiet and not reporter.as_json:
            print(f"course pack: {', '.join(str(p) for p in written) if written else 'up to date'}",
                  file=reporter.out)
    return ok


def _stale(planned: list[Job], caches: dict[Path, BuildCache], key: str, *, force: bool, strict: bool,
           reporter: Reporter) -> tuple[list[tuple[int, Job]], dict[int, NoteState]]:
    """The jobs to build (with their notes' stats and hashes); up-to-date ones are reported as skipped."""
    todo: list[tuple[int, Job]] = []
    note_hashes: dict[int, NoteState] = {}
    for i, job in enumerate(planned):
        cache = caches[resolved(job.out_dir)]
        entry = None if force else cache.fresh(job.note, job.outputs, key)
        if entry is None:
            todo.append((i, job))
            note_hashes[i] = (file_stat(job.note), file_hash(job.note))  # stat first: see file_stat
            continue
        diags = cached_diagnostics(entry)
        failed = strict and diags.count("warning") > 0
        reporter.add(Outcome(i, job.display, "failed" if failed else "skipped",
                             [Path(p) for p in entry["outputs"].values()], diags, 0.0, int(entry.get("slides", 0))))
    return todo, note_hashes


def _refuse(errors: list[str], as_json: bool, start: float, code: int) -> int:
    """Print why nothing can be built (and the JSON summary when asked); the exit code."""
    for message in errors:
        print(message, file=sys.stderr)
    if as_json:
        Reporter(0, as_json=True).finish(time.perf_counter() - start, errors=errors)
    return code


def build_paths(paths: list[Path], out: Path | None, options: BuildOptions, *, quiet: bool = False,
                jobs: int | None = None, force: bool = False, prune: bool = False,
                as_json: bool = False, only: set[Path] | None = None,
                pack_title: str | None = None) -> int:
    """Build every note under *paths*; returns the exit code (0 ok, 1 failures).

    *only* (resolved note paths) limits the run to those notes (watch mode); *pack_title* set
    also writes the course pack (course.pdf, index.html) into each folder's output folder."""
    start = time.perf_counter()
    resolved.cache_clear()
    started_at = time.time()  # temporary files older than this are left from an earlier run
    planned = _dedupe(plan(paths, out, options.formats))
    errors = check_collisions(planned)
    if only is not None and not errors:
        planned = [j for j in planned if resolved(j.note) in only]
        if not planned:
            return 0
    code = 1
    if not planned:
        errors.append("deckgen: error: no notes found (.md or .markdown)")
    if not errors:
        try:
            # not cached_theme: no fonts measured, no stage imported
            theme = load_themed(options.theme, options.template)
        except (ThemeError, FontError, TemplateError) as e:
            errors.append(f"deckgen: error: theme {options.theme!r}: {e}")
            code = 2  # a usage error, as the README promises: no note could build
    if errors:  # nothing was built: the plan itself is wrong
        return _refuse(errors, as_json, start, code)
    _clean_temps(planned, started_at)
    f = theme.fonts
    key = build_key(options, [str(resolved(p)) for p in theme.source_files],
                    [ff.path for face in (f.heading, f.body, f.mono) for ff in (face.regular, face.bold)])
    caches = {resolved(d): BuildCache.load(d) for d in {j.out_dir for j in planned}}
    reporter = Reporter(len(planned), quiet=quiet, verbose=options.verbose, as_json=as_json)

    worker_count = max(1, jobs or os.cpu_count() or 1)
    todo, note_hashes = _stale(planned, caches, key, force=force, strict=options.strict, reporter=reporter)
    # a note about to be rebuilt is stale until its new outputs are in place
    previous = {i: caches[resolved(job.out_dir)].entries.get(str(resolved(job.note)), {}) for i, job in todo}
    dirty = {resolved(job.out_dir) for i, job in todo if caches[resolved(job.out_dir)].forget(job.note)}
    unsaved: set[Path] = set()
    dirty |= {d for d, c in caches.items() if c.refreshed}  # touched files now have new stats
    for d in dirty:
        _save(caches[d], unsaved)

    if len(todo) > 1 and worker_count > 1:
        _preload(options)
    worker = _with_stage_line(reporter) if len(todo) == 1 and StageLine.wanted(reporter.err, quiet, as_json) \
        else build_job
    for i, job, res in run_jobs(todo, options, worker_count, worker):
        if not (res.failed or res.stopped or res.provisional):    # incomplete: it stays stale
            _record(caches[resolved(job.out_dir)], job, res, previous[i], key, note_hashes[i], unsaved)
        status = "failed" if res.failed else "stopped" if res.stopped else "built"
        reporter.add(Outcome(i, job.display, status, res.outputs, res.diags, res.seconds, res.slides))
    removed = _prune(planned, caches, reporter) if prune else []
    pack_ok = _pack(planned, options, theme, pack_title, reporter) if pack_title is not None else True
    reporter.finish(time.perf_counter() - start, pruned=removed)
    return 1 if not pack_ok or unsaved or any(o.status == "failed" for o in reporter.outcomes) else 0
