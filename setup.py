"""Packaging that pyproject.toml cannot declare: the top-level themes/ folder (the
project's layout keeps it beside deckgen/) ships inside the package as deckgen/themes,
so a wheel, `pip install .` or `pipx install` works without a checkout.  Everything
else (metadata, dependencies, the deckgen command) is in pyproject.toml."""
from pathlib import Path

from setuptools import find_packages, setup

THEME_FILES = sorted(str(p.relative_to("themes")) for p in Path("themes").rglob("*")
                     if p.is_file() and "__pycache__" not in p.parts)

setup(
    packages=[*find_packages(include=["deckgen", "deckgen.*"]), "deckgen.themes"],
    package_dir={"deckgen.themes": "themes"},
    package_data={"deckgen.themes": THEME_FILES},
)
