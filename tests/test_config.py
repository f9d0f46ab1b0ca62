"""Project config (deckgen.toml / [tool.deckgen]): discovery, checks, precedence, cache key; deckgen init."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from deckgen.cli import main
from deckgen.course.config import ConfigError, config_for, find_config, load_config
from deckgen.model import Document, Meta
from deckgen.pipeline import BuildOptions, _prose_to_notes, _with_config, make_deck


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_found_by_walking_up_and_paths_resolve_beside_it(tmp_path: Path):
    write(tmp_path / "deckgen.toml", 'output = "build"\nasset_dirs = ["assets"]\nformats = ["pdf"]\n'
                                     'theme = "mine"\n[handout]\ntoc = false\n')
    (tmp_path / "assets").mkdir()
    write(tmp_path / "themes" / "mine" / "theme.toml", 'extends = "default"\n')
    note = write(tmp_path / "content" / "week1" / "a.md", "# a\n")
    assert find_config(note) == tmp_path / "deckgen.toml"
    cfg = config_for(note.parent)
    assert cfg.output == (tmp_path / "build").resolve()
    assert cfg.asset_dirs == ((tmp_path / "assets").resolve(),)
    assert cfg.formats == ("pdf",)
    assert cfg.theme == str((tmp_path / "themes" / "mine").resolve())
    assert cfg.handout == {"toc": False} and not cfg.warnings


def test_pyproject_tool_table(tmp_path: Path):
    write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n[tool.deckgen]\nslide_level = 2\n')
    cfg = config_for(tmp_path)
    assert cfg.path == tmp_path / "pyproject.toml" and cfg.slide_level == 2
    write(tmp_path / "pyproject.toml", '[tool.deckgen]\nformats = "pptx, pdf"\n')
    with pytest.raises(ConfigError, match=r'^pyproject.toml: tool.deckgen: formats: expected a list of "pptx"/"pdf"'):
        config_for(tmp_path)
    write(tmp_path / "sub" / "pyproject.toml", '[project]\nname = "no deckgen table"\n')
    assert find_config(tmp_path / "sub") == tmp_path / "pyproject.toml"


@pytest.mark.parametrize("text, message", [
    ('formats = ["pptx", "docx"]', 'deckgen.toml: formats: expected a list of "pptx"/"pdf"'),
    ("slide_level = 9", "deckgen.toml: slide_level: expected a number from 1 to 6, got 9"),
    ('jobs = "many"', "deckgen.toml: jobs: expected a whole number of 1 or more"),
    ('[handout]\ntoc = "yes"', "deckgen.toml: handout.toc: expected true or false"),
    ("prose_to_notes = 1", "deckgen.toml: prose_to_notes: expected true or false"),
    ('[handout]\nlayout = "slides-4"', 'deckgen.toml: handout.layout: expected "document" or "slides-2" or '
                                      '"slides-3" or "slides-6" or "notes", got \'slides-4\''),
    ("output = [", "deckgen.toml: not valid TOML"),
])
def test_errors_name_the_key_path(tmp_path: Path, text: str, message: str):
    write(tmp_path / "deckgen.toml", text + "\n")
    with pytest.raises(ConfigError) as e:
        load_config(tmp_path / "deckgen.toml")
    assert str(e.value).startswith(message)


def test_slides_format_and_handout_layout(tmp_path: Path):
    write(tmp_path / "deckgen.toml", 'formats = ["pdf", "slides"]\n[handout]\nlayout = "slides-3"\ntoc = false\n')
    cfg = load_config(tmp_path / "deckgen.toml")
    assert cfg.formats == ("pdf", "slides") and cfg.handout_layout == "slides-3"
    assert cfg.handout == {"toc": False} and not cfg.warnings
    write(tmp_path / "deckgen.toml", 'formats = ["pdf", "slides"]\n[handout]\nlayout = "slides-6"\ntoc = false\n')
    assert load_config(tmp_path / "deckgen.toml").digest != cfg.digest     # a new layout rebuilds


def test_unknown_keys_warn_with_a_hint(tmp_path: Path):
    write(tmp_path / "deckgen.toml", 'themes = "x"\nslidelevel = 2\n[handout]\nspeaker_note = false\n')
    cfg = load_config(tmp_path / "deckgen.toml")
    assert any("unknown key 'themes'" in w and "did you mean 'theme'?" in w for w in cfg.warnings)
    assert any("did you mean 'slide_level'?" in w for w in cfg.warnings)
    assert any("'handout.speaker_note'" in w and "did you mean 'speaker_notes'?" in w for w in cfg.warnings)


def test_cli_reports_config_errors_and_exits_2(tmp_path: Path, capsys):
    write(tmp_path / "deckgen.toml", "slide_level = 0\n")
    write(tmp_path / "a.md", "# a\n\n## b\n\n- c\n")
    assert main(["build", str(tmp_path / "a.md")]) == 2
    assert "deckgen.toml: slide_level: expected a number from 1 to 6" in capsys.readouterr().err


def doc(fm_level: int | None = None, lang: str = "ko-KR", extra=()) -> Document:
    return Document(Meta(title="t", lang=lang, slide_level=fm_level, extra=tuple(extra)), (), "x.md")


def test_front_matter_wins_over_config_and_cli_over_both():
    config = BuildOptions(default_slide_level=3, default_lang="en-US", default_prose_to_notes=True)
    # slide level: config applies only when neither the CLI nor the front matter says
    from deckgen import pipeline
    seen = []
    real = pipeline.split_slides
    pipeline.split_slides = lambda d, slide_level=None: seen.append(slide_level) or real(d, slide_level=slide_level)
    try:
        make_deck(doc(), config)
        make_deck(doc(fm_level=2), config)
        make_deck(doc(fm_level=2), BuildOptions(slide_level=1, default_slide_level=3))
    finally:
        pipeline.split_slides = real
    assert seen == [3, None, 1]  # None: split_slides then uses the front matter's level
    # language
    assert _with_config(doc(), config, front_matter_lang=False).meta.lang == "en-US"
    assert _with_config(doc(lang="ja-JP"), config, front_matter_lang=True).meta.lang == "ja-JP"
    # prose_to_notes
    assert _prose_to_notes(doc(), config) is True
    assert _prose_to_notes(doc(extra=[("prose_to_notes", "false")]), config) is False
    assert _prose_to_notes(doc(), BuildOptions(prose_to_notes=False, default_prose_to_notes=True)) is False


def test_config_sets_output_and_formats_and_is_part_of_the_cache_key(tmp_path: Path, capsys):
    proj = tmp_path / "proj"
    write(proj / "deckgen.toml", 'output = "build"\nformats = ["pptx"]\n')
    write(proj / "content" / "a.md", "# 가\n\n## 나\n\n- 다\n")
    assert main(["build", str(proj / "content"), "--json"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert [Path(o).name for o in first["notes"][0]["outputs"]] == ["a.pptx"]
    assert (proj / "build" / "a.pptx").is_file() and not (proj / "build" / "a.pdf").exists()
    assert main(["build", str(proj / "content"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["totals"]["skipped"] == 1
    write(proj / "deckgen.toml", 'output = "build"\nformats = ["pptx"]\nprose_to_notes = true\n')
    assert main(["build", str(proj / "content"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["totals"]["built"] == 1  # config changed: rebuilt
    # the command line wins over the config
    assert main(["build", str(proj / "content"), "-o", str(tmp_path / "cli-out"), "--format", "pdf", "--json"]) == 0
    capsys.readouterr()
    assert (tmp_path / "cli-out" / "a.pdf").is_file() and not (tmp_path / "cli-out" / "a.pptx").exists()


def test_init_scaffolds_without_overwriting(tmp_path: Path, capsys):
    proj = tmp_path / "p"
    write(proj / "content" / "01-sample.md", "mine\n")
    assert main(["init", str(proj)]) == 0
    out = capsys.readouterr().out
    assert "kept" in out and (proj / "content" / "01-sample.md").read_text(encoding="utf-8") == "mine\n"
    assert (proj / "themes" / "my-theme" / "theme.toml").read_text(encoding="utf-8").startswith("#")
    assert 'extends = "default"' in (proj / "themes" / "my-theme" / "theme.toml").read_text(encoding="utf-8")
    cfg = load_config(proj / "deckgen.toml")
    assert not cfg.warnings and cfg.theme == str((proj / "themes" / "my-theme").resolve())
    before = (proj / "deckgen.toml").read_bytes()
    assert main(["init", str(proj)]) == 0
    assert (proj / "deckgen.toml").read_bytes() == before


def test_init_sample_builds_with_its_theme(tmp_path: Path, capsys):
    proj = tmp_path / "p"
    assert main(["init", str(proj)]) == 0
    capsys.readouterr()
    assert main(["build", str(proj / "content"), "--format", "pptx", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["totals"]["built"] == 1 and report["totals"]["warnings"] == 0, report
    assert (proj / "out" / "01-sample.pptx").is_file()
