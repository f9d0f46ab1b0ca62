"""deckgen doctor: the table, what a missing part disables, and the exit code."""
from __future__ import annotations

import io

from deckgen.course import doctor
from deckgen.cli import main


def test_doctor_prints_a_table_and_passes_with_hangul_fonts(capsys):
    assert main(["doctor"]) == 0
    out = capsys.readouterr().out
    header = out.splitlines()[0]
    for col in ("component", "status", "detail", "if missing, disables"):
        assert col in header
    for role in ("heading", "body", "mono"):
        assert f"font {role} regular" in out
    for part in ("LibreOffice", "poppler", "graphviz"):
        assert part in out


def test_missing_tools_say_what_they_disable_and_do_not_fail(monkeypatch):
    monkeypatch.setattr(doctor.shutil, "which", lambda name: None)
    buf = io.StringIO()
    assert doctor.run_doctor("default", out=buf) == 0
    text = buf.getvalue()
    line = next(x for x in text.splitlines() if x.startswith("LibreOffice"))
    assert "missing" in line and "real-client tests" in line
    assert "optional part(s) missing" in text


def test_fonts_without_hangul_fail(monkeypatch):
    import deckgen.theme.fonts
    monkeypatch.setattr(deckgen.theme.fonts, "has_hangul", lambda path, index=0: False)
    buf = io.StringIO()
    assert doctor.run_doctor("default", out=buf) == 1
    assert "FAIL" in buf.getvalue() and "not ready" in buf.getvalue()


def test_unknown_theme_fails(capsys):
    assert main(["doctor", "--theme", "no-such-theme"]) == 1
    assert "unknown theme" in capsys.readouterr().out


def test_each_renderer_is_a_row_and_a_missing_one_says_what_it_disables(monkeypatch):
    from deckgen.render import diagrams
    monkeypatch.setattr(diagrams, "mermaid_available", lambda: (False, "no runtime"))
    rows = {r.component: r for r in doctor.check_renderers()}
    assert list(rows) == ["renderer mermaid", "renderer graphviz", "renderer plantuml", "renderer math",
                          "renderer svg-raster", "renderer raster"]
    mermaid = rows["renderer mermaid"]
    assert (mermaid.ok, mermaid.status, mermaid.detail) == (False, "missing", "no runtime")
    assert "mermaid diagrams" in mermaid.disables
    assert rows["renderer raster"].ok and rows["renderer raster"].detail.startswith("Pillow ")


def test_each_face_reports_its_file_fstype_and_scripts(capsys):
    assert main(["doctor"]) == 0
    rows = [x for x in capsys.readouterr().out.splitlines()
            if x.startswith("font ") and not x.startswith("font fallback")]
    assert len(rows) == 6
    for row in rows:
        assert "/" in row and "fsType 8 (editable, embeddable)" in row and "scripts: Hangul, Latin" in row


def test_a_print_only_face_is_reported_as_not_embeddable(tmp_path):
    theme = tmp_path / "square"
    theme.mkdir()
    (theme / "theme.toml").write_text('extends = "default"\n[fonts]\nheading = ["NanumSquare"]\n', encoding="utf-8")
    buf = io.StringIO()
    assert doctor.run_doctor(str(theme), out=buf) == 0      # embedding is not essential to build
    lines = buf.getvalue().splitlines()
    heading = next(x for x in lines if x.startswith("font heading bold"))
    assert "fsType 4 (preview & print, not embeddable)" in heading
    embed = next(x for x in lines if x.startswith("embed heading bold"))
    assert "missing" in embed and "PowerPoint without it substitutes another font" in embed


def test_each_fallback_script_reports_its_face_or_what_is_lost(monkeypatch):
    from dataclasses import replace

    from deckgen.theme.load import load_theme

    theme = load_theme("default")
    rows = {c.component: c for c in doctor.check_fallbacks(theme)}
    assert list(rows) == [f"font fallback {s}" for s in doctor.SCRIPTS]
    if rows["font fallback han"].ok:                  # fonts-noto-cjk, which scripts/setup.sh installs
        assert "Han" in rows["font fallback han"].detail.split("scripts:")[1]
    assert all("fsType" in c.detail for c in rows.values() if c.ok)
    bare = replace(theme, fonts=replace(theme.fonts, fallback=replace(theme.fonts.fallback, han=None)))
    han = next(c for c in doctor.check_fallbacks(bare) if c.component == "font fallback han")
    assert not han.ok and not han.essential and "measured wrongly" in han.disables
