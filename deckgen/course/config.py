"""Project config: ``deckgen.toml``, or ``[tool.deckgen]`` in ``pyproject.toml``.

Found by walking up from the input path.  Every value is checked and an error
names the file and the key path (``deckgen.toml: formats: expected a list of
"pptx"/"pdf"``); an unknown key is a warning with a did-you-mean hint.  Paths
resolve relative to the config file.

Precedence, strongest first: command line, note front matter, this config,
theme defaults.  The config never overrides front matter: its slide_level,
lang and prose_to_notes reach the pipeline as *defaults* (BuildOptions.default_*).
"""
from __future__ import annotations

import difflib
import functools
import hashlib
import json
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from deckgen.bounds.limits import Limits, parse_limits
from deckgen.options import FORMATS, HANDOUT_LAYOUTS
from deckgen.theme.sections import Handout

CONFIG_NAME = "deckgen.toml"
KEYS = ("theme", "template", "output", "formats", "slide_level", "lang", "asset_dirs", "prose_to_notes", "jobs",
        "course_title", "handout", "limits", "embed_fonts")
EMBED_MODES = ("subset", "full", "none")
HANDOUT_KEYS = (*(f.name for f in fields(Handout) if f.metadata["kind"] == "flag"), "layout")
"""The theme's [handout] switches a project may override (speaker_notes, toc, link_footnotes,
instructor_edition), and the handout's page layout (HANDOUT_LAYOUTS)."""


class ConfigError(Exception):
    """A config value that cannot be used; the message names file and key path."""


@dataclass
class ProjectConfig:
    """The checked values of one config file (None: not set there)."""

    path: Path | None = None
    """The file read (deckgen.toml or pyproject.toml); None when there is none."""
    theme: str | None = None
    """A theme name, or an absolute folder when the value named a folder beside the config."""
    template: str | None = None
    """A template .pptx inside the project (absolute path), checked when the config is read."""
    output: Path | None = None
    formats: tuple[str, ...] | None = None
    slide_level: int | None = None
    lang: str | None = None
    asset_dirs: tuple[Path, ...] = ()
    prose_to_notes: bool | None = None
    jobs: int | None = None
    course_title: str | None = None
    handout: dict[str, bool] = field(default_factory=dict)
    limits: Limits = field(default_factory=Limits)
    """Resource bounds (``[limits]``: image pixels and size, data URIs, handout and fetch time)."""
    handout_layout: str | None = None
    """[handout] layout: how the PDF handout places the note (HANDOUT_LAYOUTS)."""
    embed_fonts: str | None = None
    """Fonts carried in the PPTX ('subset', 'full', 'none'); None: the theme's choice."""
    warnings: list[str] = field(default_factory=list)
    digest: str = ""
    """sha256 of the values that change what a note's build writes (part of the build cache key)."""

    @property
    def root(self) -> Path | None:
        return self.path.parent if self.path else None

    @property
    def label(self) -> str:
        if self.path is None:
            return "(no config)"
        return self.path.name + (": tool.deckgen" if self.path.name == "pyproject.toml" else "")


def find_config(start: Path) -> Path | None:
    """The nearest deckgen.toml, or pyproject.toml with a [tool.deckgen] table, at or above *start*."""
    start = start.resolve()
    folder = start if start.is_dir() else start.parent
    for d in [folder, *folder.parents]:
        if (d / CONFIG_NAME).is_file():
            return d / CONFIG_NAME
        py = d / "pyproject.toml"
        if py.is_file():
            try:
                if "deckgen" in tomllib.loads(py.read_text(encoding="utf-8")).get("tool", {}):
                    return py
            except (OSError, tomllib.TOMLDecodeError, AttributeError):
                pass
    return None


def _hint(key: str, known: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else f"; known keys: {', '.join(known)}"


def parse_config(data: dict[str, Any], path: Path) -> ProjectConfig:
    """Check a config table (already read from TOML); raise ConfigError naming the key path."""
    cfg = ProjectConfig(path=path)
    for key in data:
        if key not in KEYS:
            cfg.warnings.append(f"{cfg.label}: unknown key '{key}' is ignored{_hint(key, KEYS)}")
    err = functools.partial(_expected, cfg.label)
    _folders(data, cfg, err)
    _options(data, cfg, err)
    _handout(data, cfg, err)
    if "limits" in data:
        try:
            cfg.limits, warnings = parse_limits(data["limits"], cfg.label)
        except ValueError as e:
            raise ConfigError(str(e)) from None
        cfg.warnings += warnings
    # output, jobs and course_title change where and how fast, not what a note's outputs contain
    values = {k: getattr(cfg, k) for k in KEYS if k not in ("output", "jobs", "course_title")}
    values["handout_layout"] = cfg.handout_layout
    cfg.digest = hashlib.sha256(json.dumps(values, sort_keys=True, default=str).encode()).hexdigest()
    return cfg


def _expected(label: str, key: str, what: str, value: Any) -> ConfigError:
    return ConfigError(f"{label}: {key}: expected {what}, got {value!r}")


_Err = Callable[[str, str, Any], ConfigError]


def _folders(data: dict[str, Any], cfg: ProjectConfig, err: _Err) -> None:
    """theme, output and asset_dirs: paths relative to the config file."""
    label, base = cfg.label, (cfg.path or Path(".")).parent
    if "theme" in data:
        v = data["theme"]
        if not isinstance(v, str) or not v.strip():
            raise err("theme", "a theme name or folder", v)
        cfg.theme = _theme_ref(v.strip(), base, label)
    if "template" in data:
        v = data["template"]
        if not isinstance(v, str) or not v.strip().lower().endswith((".pptx", ".potx")):
            raise err("template", "a .pptx file inside the project", v)
        cfg.template = _template_ref(v.strip(), base, label)
    if "output" in data:
        v = data["output"]
        if not isinstance(v, str) or not v.strip():
            raise err("output", "a folder path", v)
        cfg.output = (base / v).resolve()
    if "asset_dirs" in data:
        v = data["asset_dirs"]
        if isinstance(v, str):
            v = [v]
        if not isinstance(v, list) or not all(isinstance(d, str) and d for d in v):
            raise err("asset_dirs", "a list of folders", data["asset_dirs"])
        cfg.asset_dirs = tuple((base / d).resolve() for d in v)
        for d, raw in zip(cfg.asset_dirs, v):
            if not d.is_dir():
                cfg.warnings.append(f"{label}: asset_dirs: folder '{raw}' does not exist ({d})")


def _options(data: dict[str, Any], cfg: ProjectConfig, err: _Err) -> None:
    """The build options a config may set (the command line still wins)."""
    label = cfg.label
    if "formats" in data:
        v = data["formats"]
        if isinstance(v, str):
            v = [v]
        if not isinstance(v, list) or not v or any(f not in FORMATS for f in v):
            raise ConfigError(f'{label}: formats: expected a list of "pptx"/"pdf"/"slides", got {data["formats"]!r}')
        cfg.formats = tuple(dict.fromkeys(v))
    if "slide_level" in data:
        v = data["slide_level"]
        if isinstance(v, bool) or not isinstance(v, int) or not 1 <= v <= 6:
            raise err("slide_level", "a number from 1 to 6", v)
        cfg.slide_level = v
    if "lang" in data:
        v = data["lang"]
        if not isinstance(v, str) or not v.strip():
            raise err("lang", 'a language tag like "ko-KR"', v)
        cfg.lang = v.strip()
    if "prose_to_notes" in data:
        v = data["prose_to_notes"]
        if not isinstance(v, bool):
            raise err("prose_to_notes", "true or false", v)
        cfg.prose_to_notes = v
    if "jobs" in data:
        v = data["jobs"]
        if isinstance(v, bool) or not isinstance(v, int) or v < 1:
            raise err("jobs", "a whole number of 1 or more", v)
        cfg.jobs = v
    if "course_title" in data:
        v = data["course_title"]
        if not isinstance(v, str):
            raise err("course_title", "a string", v)
        cfg.course_title = v.strip() or None
    if "embed_fonts" in data:
        v = data["embed_fonts"]
        if v not in EMBED_MODES:
            raise err("embed_fonts", " or ".join(f'"{m}"' for m in EMBED_MODES), v)
        cfg.embed_fonts = v


def _handout(data: dict[str, Any], cfg: ProjectConfig, err: _Err) -> None:
    """[handout]: overrides of the theme's handout flags, and the page layout."""
    if "handout" in data:
        h = data["handout"]
        if not isinstance(h, dict):
            raise err("handout", "a table", h)
        for k, v in h.items():
            if k not in HANDOUT_KEYS:
                cfg.warnings.append(f"{cfg.label}: unknown key 'handout.{k}' is ignored{_hint(k, HANDOUT_KEYS)}")
            elif k == "layout":
                if v not in HANDOUT_LAYOUTS:
                    raise err("handout.layout", " or ".join(f'"{x}"' for x in HANDOUT_LAYOUTS), v)
                cfg.handout_layout = v
            elif not isinstance(v, bool):
                raise err(f"handout.{k}", "true or false", v)
            else:
                cfg.handout[k] = v


def _theme_ref(value: str, base: Path, label: str = CONFIG_NAME) -> str:
    """A folder (beside the config, or in its themes/) becomes an absolute path; a name stays a name.

    A folder must be inside the project (the config's folder): a cloned course cannot make
    deckgen read a theme from elsewhere on the machine."""
    for cand in (base / value, base / "themes" / value):
        if (cand / "theme.toml").is_file():
            real = cand.resolve()
            if not real.is_relative_to(base.resolve()):
                raise ConfigError(f"{label}: theme: folder {value!r} ({real}) is outside the project "
                                  f"folder {base.resolve()}; use a built-in theme or one inside the project")
            return str(real)
    if Path(value).is_absolute() or ".." in Path(value).parts:
        raise ConfigError(f"{label}: theme: {value!r} is not a theme folder inside the project "
                          f"{base.resolve()}")
    return value


def _template_ref(value: str, base: Path, label: str) -> str:
    """The template's absolute path: it must exist and lie inside the config's folder (symlinks resolved)."""
    path = (base / value).resolve()
    try:
        path.relative_to(base.resolve())
    except ValueError:
        raise ConfigError(f"{label}: template: {value!r} is outside the project folder {base}") from None
    if not path.is_file():
        raise ConfigError(f"{label}: template: no such file {value!r}")
    return str(path)


def load_config(path: Path) -> ProjectConfig:
    """Read and check *path* (deckgen.toml, or pyproject.toml's [tool.deckgen])."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise ConfigError(f"{path.name}: cannot read: {e.strerror}") from None
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path.name}: not valid TOML: {e}") from None
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("deckgen", {})
        if not isinstance(data, dict):
            raise ConfigError("pyproject.toml: tool.deckgen: expected a table")
    return parse_config(data, path)


def config_for(start: Path) -> ProjectConfig:
    """The config governing *start*, or an empty one."""
    path = find_config(start)
    return load_config(path) if path else ProjectConfig()
