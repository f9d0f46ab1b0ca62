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
    assert parse_config({"theme": "mine"}, project / "deckgen.toml").theme == str(project / "themes" / "mine")
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


HOSTILE_DOT = """digraph G {{
  a [image="{secret}", label="image=words stay"];
  b [shapefile="{secret}"];
  graph [imagepath="{folder}"; fontpath="{folder}"]
  c [label=<<TABLE><TR><TD><IMG SRC="{secret}"/></TD></TR></TABLE>>];
  d [fontname="{secret}"];
  a -> b -> c -> d
}}"""


def test_file_attributes_are_stripped_token_by_token() -> None:
    from deckgen.render.dotsafe import strip_file_refs
    out, removed = strip_file_refs(HOSTILE_DOT.format(secret="/etc/passwd", folder="/etc"))
    assert "/etc" not in out and 'label="image=words stay"' in out and "a -> b -> c -> d" in out
    assert removed == [(1, "image"), (2, "shapefile"), (3, "imagepath"), (3, "fontpath"),
                       (4, "<IMG> in a label"), (5, "fontname (a file path)")]
    assert strip_file_refs('digraph { a [fontname="Nanum Gothic"]; myimage=1 }')[1] == []


def _opened(log: Path, needle: str) -> list[str]:
    return [line for line in log.read_text(errors="replace").splitlines() if needle in line]


def test_dot_opens_nothing_outside_the_project(tmp_path) -> None:
    """strace: neither the build (attributes stripped) nor dot on the raw source (its sandbox:
    an empty folder, SERVER_NAME and GV_FILE_PATH) touches a file outside the project."""
    from conftest import need
    need("strace", "dot")
    outside = tmp_path / "outside"
    outside.mkdir()
    from PIL import Image as PILImage
    PILImage.new("RGB", (30, 30), "red").save(outside / "secret.png")
    secret = str(outside / "secret.png")
    project = tmp_path / "course"
    project.mkdir()
    (project / "deckgen.toml").write_text("", encoding="utf-8")
    dot = HOSTILE_DOT.format(secret=secret, folder=outside)
    (project / "n.md").write_text(f"# 그래프\n\n## 그림\n\n```dot\n{dot}\n```\n", encoding="utf-8")
    log = tmp_path / "build.log"
    r = subprocess.run(["strace", "-f", "-e", "trace=%file", "-o", str(log), sys.executable, "-m", "deckgen",
                        "build", "n.md", "-o", "out", "--format", "pptx"], cwd=project, capture_output=True,
                       text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert "n.md:7: warning: image removed from the graphviz diagram" in r.stderr
    assert "n.md:10: warning: <IMG> in a label removed" in r.stderr
    assert _opened(log, "execve(\"/usr/bin/dot\"") or _opened(log, "/dot\""), "dot did not run"
    assert _opened(log, str(outside)) == []
    raw = tmp_path / "raw.log"
    code = ("from deckgen.render.diagrams import Fonts, render_dot\nimport sys\n"
            "try:\n    render_dot(sys.stdin.read(), Fonts('DejaVu Sans', '', ''))\nexcept Exception as e:\n"
            "    print(e)\n")
    subprocess.run(["strace", "-f", "-e", "trace=%file", "-o", str(raw), sys.executable, "-c", code],
                   input=dot, capture_output=True, text=True, timeout=120)
    assert _opened(raw, "execve(\"/usr/bin/dot\"") or _opened(raw, "/dot\"")
    assert [line for line in _opened(raw, str(outside)) if "execve" not in line] == []
