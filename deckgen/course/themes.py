"""`deckgen themes`: list the built-in and project themes, or render a gallery of them.

The gallery builds one sample note (Korean prose, bullets, code, a table, a
callout) with every theme into DIR/<theme>/, so themes are chosen by looking
at real output rather than at their theme.toml.
"""
from __future__ import annotations

import sys
from pathlib import Path

from deckgen.pipeline import BuildOptions, build_one
from deckgen.theme.fonts import FontError
from deckgen.theme.load import BUILTIN_THEMES, ThemeError, available_themes, load_theme

SAMPLE = Path(__file__).resolve().parent / "gallery_sample.md"


def theme_roots(project: Path | None) -> list[tuple[str, Path]]:
    """(origin, folder of themes): the project's themes/ first, then the built-in ones."""
    roots = []
    if project is not None and (project / "themes").is_dir() and (project / "themes").resolve() != BUILTIN_THEMES:
        roots.append(("project", (project / "themes").resolve()))
    roots.append(("built-in", BUILTIN_THEMES))
    return roots


def list_themes(project: Path | None) -> list[tuple[str, str, str]]:
    """(name, origin, description) of every theme; a broken theme says why instead."""
    rows, seen = [], set()
    for origin, root in theme_roots(project):
        for name in available_themes([root]):
            if name in seen:
                continue
            seen.add(name)
            try:
                description = load_theme(str(root / name)).description or "(no description)"
            except (ThemeError, FontError) as e:
                description = f"(cannot be loaded: {e})"
            rows.append((name, origin, description))
    return rows


def print_themes(project: Path | None) -> int:
    rows = list_themes(project)
    width = max((len(r[0]) for r in rows), default=0)
    for name, origin, description in rows:
        print(f"{name:<{width}}  {origin:<8}  {description}")
    return 0


def gallery(out: Path, project: Path | None) -> int:
    """A sample deck and handout per theme in OUT/<theme>/; 1 when any theme failed."""
    failed = 0
    for name, origin, _ in list_themes(project):
        root = dict(theme_roots(project))[origin]
        target = out / name
        target.mkdir(parents=True, exist_ok=True)
        outputs = {"pptx": target / "sample.pptx", "pdf": target / "sample.pdf"}
        result = build_one(SAMPLE, outputs, BuildOptions(theme=str(root / name)), display=f"{name}: sample")
        for d in result.diags.items:
            if d.severity == "error":
                print(d.format(), file=sys.stderr)
        failed += result.failed
        status = "failed" if result.failed else f"{result.slides} slides"
        print(f"{name}: {status} -> {outputs['pptx']}, {outputs['pdf']}")
    return 1 if failed else 0
