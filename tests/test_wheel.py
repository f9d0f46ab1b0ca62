"""deckgen installed from a wheel, with no checkout in sight, prints its version and builds a note.

The wheel is built offline from a copy of the sources (no build/ folder left in the
checkout) and installed into a fresh virtual environment.  Its dependencies come
from the project's .venv through a .pth file, so the test needs no network and
takes seconds; deckgen itself (code and themes) must come from the wheel.
"""
from __future__ import annotations

import shutil
import sys
import sysconfig
import zipfile
from pathlib import Path

from conftest import FIXTURES, ROOT, run

SOURCES = ("deckgen", "themes", "pyproject.toml", "setup.py", "README.md")


def _wheel(tmp: Path) -> Path:
    src = tmp / "src"
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(ROOT / name, src / name)
    r = run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
             "-w", str(tmp / "dist"), str(src)])
    assert r.returncode == 0, r.stderr
    (wheel,) = (tmp / "dist").glob("deckgen-*.whl")
    return wheel


def _venv(tmp: Path, wheel: Path) -> Path:
    venv = tmp / "venv"
    r = run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    assert r.returncode == 0, r.stderr
    py = venv / "bin" / "python"
    site = Path(run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout.strip())
    site.joinpath("deckgen-test-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    r = run([sys.executable, "-m", "pip", "--python", str(py), "install", "-q", "--no-deps", str(wheel)])
    assert r.returncode == 0, r.stderr
    return venv


def test_wheel_install_builds_the_fixture_without_a_checkout(tmp_path: Path) -> None:
    wheel = _wheel(tmp_path)
    names = zipfile.ZipFile(wheel).namelist()
    assert "deckgen/themes/default/theme.toml" in names and "deckgen/themes/default/handout.css" in names
    venv = _venv(tmp_path, wheel)
    work = tmp_path / "elsewhere"
    work.mkdir()
    note = work / "note.md"
    shutil.copy(FIXTURES / "notes" / "jekyll-virtualization.md", note)
    env = {"PATH": "/usr/bin:/bin", "HOME": str(Path.home())}
    r = run([str(venv / "bin" / "deckgen"), "--version"], cwd=work, env=env)
    from deckgen import __version__
    assert r.returncode == 0 and r.stdout.strip() == f"deckgen {__version__}", (r.stdout, r.stderr)
    r = run([str(venv / "bin" / "python"), "-c", "import deckgen, deckgen.theme.load as t; "
             "print(deckgen.__file__); print(t.BUILTIN_THEMES)"], cwd=work, env=env)
    code, themes = r.stdout.split()
    assert code.startswith(str(venv)) and themes.startswith(str(venv)), r.stdout + r.stderr
    r = run([str(venv / "bin" / "deckgen"), "build", "note.md", "-o", "out"], cwd=work, env=env)
    assert r.returncode == 0, r.stderr
    for ext in ("pptx", "pdf"):
        assert (work / "out" / f"note.{ext}").stat().st_size > 10_000
    with zipfile.ZipFile(work / "out" / "note.pptx") as z:
        assert any(n.startswith("ppt/fonts/") for n in z.namelist())


def test_the_version_in_the_code_is_pyprojects() -> None:
    """deckgen.__version__ is written out (reading the installed metadata cost every run 0.03 s):
    it must stay the version pyproject.toml gives the wheel."""
    import tomllib

    from deckgen import __version__
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert "version" not in project.get("dynamic", []) and __version__ == project["version"]
