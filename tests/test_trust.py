"""Trust boundaries (issue 10 items 17, 18): themes only from inside the project, templates
checked before python-pptx opens them, graphviz kept from reading files."""
from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from deckgen.course.config import ConfigError, parse_config
from deckgen.theme import templates
from deckgen.theme.templates import TemplateError, check_pptx_zip


def _theme(folder: Path) -> Path:
    folder.mkdir(parents=True)
    (folder / "theme.toml").write_text('extends = "default"\n', encoding="utf-8")
    return folder


def test_a_theme_folder_outside_the_project_is_an_error_naming_the_key(tmp_path) -> None:
    _theme(tmp_path / "elsewhere")
    project = tmp_path / "course"
    project.mkdir()
    _theme(project / "themes" / "mine")
    assert parse_config({"theme": "mine"}, project / "deckgen.toml").theme == str((project / "themes" / "mine"))
    for value in ("../elsewhere", str(tmp_path / "elsewhere"), "../nothing-here"):
        with pytest.raises(ConfigError, match=r"deckgen.toml: theme: .*(outside the project|not a theme folder)"):
            parse_config({"theme": value}, project / "deckgen.toml")


def test_the_cli_refuses_it_with_exit_2(tmp_path) -> None:
    _theme(tmp_path / "elsewhere")
    project = tmp_path / "course"
    project.mkdir()
    (project / "deckgen.toml").write_text('theme = "../elsewhere"\n', encoding="utf-8")
    (project / "n.md").write_text("# 제목\n\n본문\n", encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "deckgen", "build", "n.md"], cwd=project, capture_output=True,
                       text=True, timeout=120)
    assert r.returncode == 2 and "theme: folder '../elsewhere'" in r.stderr and "outside the project" in r.stderr


def _default_template() -> bytes:
    from pptx import Presentation
    buf = io.BytesIO()
    Presentation().save(buf)
    return buf.getvalue()


def _rewrite(data: bytes, changes: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", compression) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, changes.pop(info.filename, src.read(info)))
        for name, body in changes.items():
            dst.writestr(name, body)
    return out.getvalue()


def test_a_plain_template_passes(tmp_path) -> None:
    (tmp_path / "t.pptx").write_bytes(_default_template())
    check_pptx_zip(tmp_path / "t.pptx")


@pytest.mark.parametrize("change, reason", [
    ({"ppt/media/bomb.bin": b"\0" * (8 * 1024 * 1024)}, "expands .* times"),
    ({f"ppt/x/{i}.xml": b"<a/>" for i in range(2100)}, "2,1.. parts, over the limit"),
    ({"ppt/presentation.xml": b'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY a "aaaa">]><p>&a;</p>'},
     "presentation.xml declares a DTD"),
    ({"ppt/slideLayouts/_rels/x.xml.rels": b'<!doctype r SYSTEM "file:///etc/passwd"><r/>'}, "declares a DTD"),
])
def test_hostile_templates_are_refused(tmp_path, change, reason) -> None:
    (tmp_path / "t.pptx").write_bytes(_rewrite(_default_template(), dict(change)))
    with pytest.raises(TemplateError, match=reason):
        check_pptx_zip(tmp_path / "t.pptx")


def test_the_total_size_counts(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(templates, "MAX_TOTAL_BYTES", 1024 * 1024)
    (tmp_path / "t.pptx").write_bytes(_rewrite(_default_template(), {"ppt/media/p.bin": os.urandom(2 << 20)}))
    with pytest.raises(TemplateError, match="MB uncompressed, over the limit"):
        check_pptx_zip(tmp_path / "t.pptx")
    (tmp_path / "n.pptx").write_bytes(b"PK not a zip")
    with pytest.raises(TemplateError, match="not a valid .pptx"):
        check_pptx_zip(tmp_path / "n.pptx")


def test_a_theme_with_a_hostile_template_fails_the_build(tmp_path) -> None:
    theme = _theme(tmp_path / "themes" / "t")
    (theme / "template.pptx").write_bytes(_rewrite(_default_template(), {
        "ppt/presentation.xml": b'<!DOCTYPE p [<!ENTITY a "x">]><p/>'}))
    (tmp_path / "deckgen.toml").write_text('theme = "t"\n', encoding="utf-8")
    (tmp_path / "n.md").write_text("# 제목\n\n본문\n", encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "deckgen", "build", "n.md", "-o", "out"], cwd=tmp_path,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and "template.pptx: part ppt/presentation.xml declares a DTD" in r.stderr
    assert "Traceback" not in r.stderr and not (tmp_path / "out" / "n.pptx").exists()


def test_extends_cannot_reach_outside(tmp_path) -> None:
    from deckgen.theme.load import ThemeError, load_theme
    _theme(tmp_path / "elsewhere")
    mine = tmp_path / "course" / "themes" / "mine"
    mine.mkdir(parents=True)
    (mine / "theme.toml").write_text(f'extends = "{tmp_path / "elsewhere"}"\n', encoding="utf-8")
    with pytest.raises(ThemeError, match="extends: .* is outside the built-in themes"):
        load_theme(str(mine))
