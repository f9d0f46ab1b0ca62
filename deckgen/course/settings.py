"""The build settings of a run: command line over project config over built-in defaults.

Shared by the CLI (one build) and watch mode (which reloads them when deckgen.toml changes),
so neither imports the other.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from deckgen.course.config import ProjectConfig, config_for
from deckgen.options import DEFAULT_FORMATS, BuildOptions


def load_project(start: Path) -> ProjectConfig:
    """The project config for *start*; warnings are printed, errors raise ConfigError."""
    cfg = config_for(start)
    for w in cfg.warnings:
        print(f"deckgen: warning: {w}", file=sys.stderr)
    return cfg


def settings(args: argparse.Namespace, cfg: ProjectConfig) -> tuple[BuildOptions, Path | None, int | None]:
    """Build options, output folder and job count (front matter is applied later, per note)."""
    options = BuildOptions(
        formats=args.format or cfg.formats or DEFAULT_FORMATS,
        theme=args.theme or cfg.theme or "default",
        template=str(Path(args.template).resolve()) if getattr(args, "template", None) else cfg.template,
        slide_level=args.slide_level, prose_to_notes=args.prose_to_notes,
        strict=args.strict, verbose=args.verbose, fetch_images=args.fetch_images,
        default_slide_level=cfg.slide_level, default_lang=cfg.lang,
        default_prose_to_notes=cfg.prose_to_notes,
        asset_dirs=tuple(str(d) for d in cfg.asset_dirs),
        handout=tuple(sorted(cfg.handout.items())), config_digest=cfg.digest, limits=cfg.limits,
        handout_layout=getattr(args, "handout_layout", None), default_handout_layout=cfg.handout_layout,
        embed_fonts=getattr(args, "embed_fonts", None) or cfg.embed_fonts)
    return options, args.output or cfg.output, args.jobs or cfg.jobs
