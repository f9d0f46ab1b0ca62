"""Theme validation: key-path errors, defaults for what a theme leaves out, warned unknown keys, extends.

The cases are data (fixtures/themes/cases.yaml); a build with a broken theme ends in a diagnostic
naming the key, never in an internal error.
"""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES
from deckgen.pipeline import BuildOptions, build_one
from deckgen.theme.load import ThemeError, load_theme

CASES = yaml.safe_load((FIXTURES / "themes" / "cases.yaml").read_text(encoding="utf-8"))


def _write_themes(case: dict, root: Path) -> None:
    minimal = CASES["minimal"]
    if "minimal_without" in case:
        assert case["minimal_without"] in minimal
        minimal = minimal.replace(case["minimal_without"], "")
    for name, text in case["themes"].items():
        (root / name).mkdir()
        (root / name / "theme.toml").write_text(minimal if text == "MINIMAL" else text, encoding="utf-8")


def _attr(obj: object, dotted: str) -> object:
    for part in dotted.split("."):
        obj = getattr(obj, part)
    return list(obj) if isinstance(obj, tuple) else obj


@pytest.mark.parametrize("case", CASES["cases"], ids=[c["name"] for c in CASES["cases"]])
def test_theme_case(case: dict, tmp_path: Path) -> None:
    _write_themes(case, tmp_path)
    if "error" in case:
        with pytest.raises(ThemeError) as e:
            load_theme(case["load"], [tmp_path])
        assert case["error"] in str(e.value)
        return
    theme = load_theme(case["load"], [tmp_path])
    got = {k: _attr(theme, k) for k in case["values"]}
    assert got == case["values"]
    assert list(theme.warnings) == case["warnings"]


def test_default_theme_has_no_unknown_keys() -> None:
    assert load_theme("default").warnings == ()


def _build(tmp_path: Path, theme_toml: str) -> list[tuple[str, str, str]]:
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "theme.toml").write_text(theme_toml, encoding="utf-8")
    note = tmp_path / "note.md"
    note.write_text("# 제목\n\n## 슬라이드\n\n본문입니다.\n", encoding="utf-8")
    result = build_one(note, {"pptx": tmp_path / "note.pptx"}, BuildOptions(theme=str(tmp_path / "t")))
    return [(d.severity, d.code, d.message) for d in result.diags.items if d.severity != "info"]


def test_build_reports_a_missing_key_by_its_path(tmp_path: Path) -> None:
    minimal = CASES["minimal"].replace("line_height = 1.25\n", "")
    diags = _build(tmp_path, minimal)
    assert diags == [("error", "theme", "spacing.line_height: missing")]
    assert not (tmp_path / "note.pptx").exists()


def test_build_warns_about_an_unknown_key_and_still_builds(tmp_path: Path) -> None:
    diags = _build(tmp_path, 'extends = "default"\n[sizes]\nbodi = 30\n')
    assert diags == [("warning", "theme-key", "sizes.bodi: unknown key is ignored; did you mean 'body'?")]
    assert (tmp_path / "note.pptx").stat().st_size > 10_000


@pytest.mark.parametrize("pattern", ["NanumBarunGothic:style=Regular", "NanumBarunGothic:weight=bold",
                                     "D2Coding:style=Regular", ":lang=ko", "sans-serif", "NoSuchFamily:style=Regular"])
def test_fontconfig_in_process_answers_as_fc_match(pattern: str):
    """Theme fonts are matched through libfontconfig in-process (an fc-match process per pattern was a
    third of an up-to-date course check): the answer must be fc-match's, byte for byte."""
    import subprocess

    from deckgen.theme import fontconfig
    from deckgen.theme.fonts import FC_FORMAT

    assert fontconfig.available()
    fc_match = subprocess.run(["fc-match", "-f", FC_FORMAT, pattern], capture_output=True, text=True, timeout=30)
    assert fc_match.returncode == 0 and fontconfig.match(pattern, FC_FORMAT) == fc_match.stdout
