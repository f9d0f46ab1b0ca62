"""Diagram renderers: mermaid (mermaidx, in a worker process), graphviz (`dot`), PlantUML.

Each renderer turns a fence's source into SVG text, within a timeout, or raises
RenderError; the caller turns that into a warning and keeps the code block.
"""
from __future__ import annotations

import atexit
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from importlib import metadata

TIMEOUT = float(os.environ.get("DECKGEN_RENDER_TIMEOUT", "30"))
"""Seconds one diagram may take (the first mermaid diagram also starts the engine)."""


class RenderError(Exception):
    pass


@dataclass(frozen=True)
class Fonts:
    """What a renderer draws labels and shapes with: the theme's body face and colours."""

    family: str
    regular: str
    bold: str
    colors: tuple[tuple[str, str], ...] = ()
    """mermaid theme variables (name, '#rrggbb') derived from the deck theme (`palette.mermaid_variables`)."""


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return ""


# ------------------------------------------------------------------ mermaid
class _MermaidWorker:
    """One `deckgen.render.mermaid_worker` process, reused for the builds of this process."""

    def __init__(self) -> None:
        self.proc: subprocess.Popen | None = None
        self.lock = threading.Lock()

    def _start(self) -> subprocess.Popen:
        if self.proc is None or self.proc.poll() is not None:
            env = {**os.environ, "PYTHONUNBUFFERED": "1"}
            self.proc = subprocess.Popen([sys.executable, "-m", "deckgen.render.mermaid_worker"],
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                         stderr=subprocess.DEVNULL, env=env, text=True, bufsize=1)
        return self.proc

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.proc = None

    def render(self, request: dict, timeout: float) -> str:
        with self.lock:
            proc = self._start()
            assert proc.stdin is not None and proc.stdout is not None     # started with PIPEs
            try:
                proc.stdin.write(json.dumps(request) + "\n")
                proc.stdin.flush()
            except (BrokenPipeError, OSError) as e:
                self.stop()
                raise RenderError(f"mermaid worker died ({e})") from None
            try:
                line = self._reply(proc, timeout)
            except BaseException:      # a time limit (bounds/alarm.py) or Ctrl-C while it draws: its
                self.stop()            # reply would answer the next request, so the worker goes
                raise
        reply = json.loads(line)
        if "error" in reply:
            raise RenderError(reply["error"].replace("RuntimeError: Mermaid rendering failed: ", ""))
        return reply["svg"]


    def _reply(self, proc: subprocess.Popen, timeout: float) -> str:
        """The worker's answer line, within *timeout* seconds."""
        assert proc.stdout is not None
        deadline = time.monotonic() + timeout
        ready: list = []
        while not ready:
            left = deadline - time.monotonic()
            if left <= 0:
                raise RenderError(f"mermaid render timed out after {timeout:g} s")
            ready, _, _ = select.select([proc.stdout], [], [], left)
        line = proc.stdout.readline()
        if not line:
            raise RenderError("mermaid worker exited")
        return line


_WORKER = _MermaidWorker()
atexit.register(_WORKER.stop)


def mermaid_available() -> tuple[bool, str]:
    try:
        import mermaidx  # noqa: F401
        import quickjs  # noqa: F401
    except ImportError as e:
        return False, f"mermaidx is not installed ({e.name})"
    return True, f"mermaidx {_version('mermaidx')} (mermaid.js in QuickJS)"


def mermaid_version() -> str:
    return "mermaidx-" + _version("mermaidx")


def render_mermaid(source: str, fonts: Fonts, *, timeout: float = TIMEOUT) -> str:
    ok, detail = mermaid_available()
    if not ok:
        raise RenderError(detail)
    family = f"'{fonts.family}', sans-serif"
    config = {
        "htmlLabels": False,                      # real <text>, not HTML in <foreignObject>
        "flowchart": {"htmlLabels": False},
        "class": {"htmlLabels": False},
        "state": {"htmlLabels": False},
        "fontFamily": family,
        "themeVariables": {**dict(fonts.colors), "fontFamily": family},
    }
    # "base" is the one mermaid theme that derives every colour from themeVariables.
    req = {"source": source, "config": config, "font": fonts.regular, "font_bold": fonts.bold,
           "theme": "base" if fonts.colors else "default"}
    return _WORKER.render(req, timeout)


# ------------------------------------------------------------------ graphviz
DOT_ENV_KEEP = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "FONTCONFIG_FILE", "FONTCONFIG_PATH", "XDG_CACHE_HOME")
"""What dot keeps from our environment: where programs and fonts are, and the locale."""


def dot_environment(empty: str) -> dict[str, str]:
    """A sanitized environment: no GV_FILE_PATH/GDFONTPATH/DOTFONTPATH of ours, HOME an empty folder,
    and SERVER_NAME set, which makes graphviz load files only from GV_FILE_PATH (the empty folder)."""
    env = {k: os.environ[k] for k in DOT_ENV_KEEP if k in os.environ}
    env.update(HOME=empty, TMPDIR=empty, SERVER_NAME="deckgen", GV_FILE_PATH=empty + os.sep)
    return env


def dot_available() -> tuple[bool, str]:
    exe = shutil.which("dot")
    if not exe:
        return False, "the `dot` program is not installed (Debian package graphviz)"
    return True, f"{exe} ({dot_version()})"


def dot_version() -> str:
    exe = shutil.which("dot")
    if not exe:
        return ""
    try:
        out = subprocess.run([exe, "-V"], capture_output=True, text=True, timeout=10)
        return (out.stderr or out.stdout).strip()
    except (OSError, subprocess.SubprocessError):
        return "dot"


def render_dot(source: str, fonts: Fonts, *, timeout: float = TIMEOUT) -> str:
    """SVG of a DOT graph.  The source should have passed :func:`deckgen.render.dotsafe.strip_file_refs`;
    dot also runs in an empty folder with graphviz's server mode on (SERVER_NAME set, GV_FILE_PATH
    that empty folder), in which it loads no image or shape file from anywhere else."""
    exe = shutil.which("dot")
    if not exe:
        raise RenderError("the `dot` program is not installed (Debian package graphviz)")
    f = fonts.family
    try:
        with tempfile.TemporaryDirectory(prefix="deckgen-dot-") as empty:
            out = subprocess.run([exe, "-Tsvg", f"-Gfontname={f}", f"-Nfontname={f}", f"-Efontname={f}"],
                                 input=source.encode("utf-8"), capture_output=True, timeout=timeout,
                                 cwd=empty, env=dot_environment(empty))
    except subprocess.TimeoutExpired:
        raise RenderError(f"dot timed out after {timeout:g} s") from None
    if out.returncode != 0 or not out.stdout.strip():
        msg = out.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RenderError("dot: " + (msg[0] if msg else f"exit code {out.returncode}"))
    svg = out.stdout.decode("utf-8")
    return svg[svg.find("<svg"):]


# ------------------------------------------------------------------ plantuml
def plantuml_command() -> list[str] | None:
    exe = shutil.which("plantuml")
    if exe:
        return [exe]
    jar, java = os.environ.get("PLANTUML_JAR"), shutil.which("java")
    if jar and os.path.isfile(jar) and java:
        return [java, "-Djava.awt.headless=true", "-jar", jar]
    return None


def plantuml_available() -> tuple[bool, str]:
    cmd = plantuml_command()
    if cmd is None:
        return False, "no PlantUML runtime (`plantuml` on PATH, or PLANTUML_JAR and java)"
    return True, " ".join(cmd)


def render_plantuml(source: str, fonts: Fonts, *, timeout: float = TIMEOUT) -> str:
    cmd = plantuml_command()
    if cmd is None:
        raise RenderError("no PlantUML runtime (install plantuml or set PLANTUML_JAR)")
    if "@start" not in source:
        source = f"@startuml\n{source}\n@enduml"
    try:
        out = subprocess.run([*cmd, "-tsvg", "-pipe", "-charset", "UTF-8",
                              f"-SdefaultFontName={fonts.family}"],
                             input=source.encode("utf-8"), capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise RenderError(f"plantuml timed out after {timeout:g} s") from None
    svg = out.stdout.decode("utf-8", "replace")
    if out.returncode != 0 or "<svg" not in svg:
        raise RenderError("plantuml: " + (out.stderr.decode("utf-8", "replace").strip()[:200]
                                          or f"exit code {out.returncode}"))
    return svg[svg.find("<svg"):]
