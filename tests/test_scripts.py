"""Every character is measured, written and typeset with the face that draws it.

Data in, structure out: clusters.yaml (text -> clusters and scripts) and
faces.yaml (text -> pieces and the fallback script drawing each)."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
import yaml
from lxml import etree

from conftest import FIXTURES, build
from deckgen.backends.handout.scripts import script_html
from deckgen.layout.measure import Measurer, Piece
from deckgen.theme.fallback import Fallbacks, split_faces
from deckgen.theme.load import ThemeError, load_theme
from deckgen.theme.scripts import clusters

DATA = FIXTURES / "scripts"
CLUSTERS = yaml.safe_load((DATA / "clusters.yaml").read_text(encoding="utf-8"))
FACES = yaml.safe_load((DATA / "faces.yaml").read_text(encoding="utf-8"))
NS = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main"}


@pytest.mark.parametrize("name", sorted(CLUSTERS))
def test_clusters_and_scripts(name: str) -> None:
    case = CLUSTERS[name]
    got = clusters(case["text"])
    assert "".join(c for c, _ in got) == case["text"]
    assert [[c, s] for c, s in got] == case["want"]


@pytest.mark.parametrize("name", sorted(FACES))
def test_text_is_cut_where_the_face_changes(theme, name: str) -> None:
    case = FACES[name]
    pieces = split_faces(case["text"], theme.fonts.body, theme.fonts.fallback)
    assert [[p.text, p.script] for p in pieces] == case["want"]
    chain = theme.fonts.fallback
    for p in pieces:
        assert p.face == (getattr(chain, p.script) if p.script else theme.fonts.body)


def test_default_theme_resolves_every_fallback_script(theme) -> None:
    chain = theme.fonts.fallback
    assert chain.han and chain.han.family.startswith("Noto Sans CJK")
    assert chain.kana and chain.emoji and chain.symbols
    # LibreOffice leaves the colour-bitmap Noto Color Emoji blank in PDF export: outlines first
    assert chain.emoji.family == "Symbola"


def test_each_piece_is_measured_with_its_own_face(theme) -> None:
    f = theme.fonts
    with_chain = Measurer(f.heading, f.body, f.mono, slack=1.0, fallback=f.fallback)
    without = Measurer(f.heading, f.body, f.mono, slack=1.0)
    han = "學而時習之不亦說乎"
    kor = "배우고 때때로 익히면"
    # Korean text is measured exactly as before; Han with the CJK face (1 em per ideograph)
    assert with_chain.width(kor, "body", False, 24) == without.width(kor, "body", False, 24)
    assert with_chain.width(han, "body", False, 24) == pytest.approx(24 * len(han), abs=0.01)
    alone = sum(with_chain.width(p.text, "body", False, 24)
                for p in split_faces(kor + han, f.body, f.fallback))
    assert with_chain.width(kor + han, "body", False, 24) == pytest.approx(alone, abs=1e-6)


def test_an_emoji_cluster_never_breaks(theme) -> None:
    f = theme.fonts
    m = Measurer(f.heading, f.body, f.mono, slack=1.0, fallback=f.fallback)
    text = "👨‍👩‍👧‍👦👍🏽1️⃣" * 6
    lines = m.wrap([Piece(text)], 24, m.width("👨‍👩‍👧‍👦👍🏽", "body", False, 24) * 1.5)
    assert len(lines) > 2
    for line in lines:
        assert "".join(c for c, _ in clusters(line)) == line
        assert not line.startswith(("\u200d", "\ufe0f", "\u20e3", "🏽"))


def test_handout_wraps_han_kana_and_emoji_in_script_spans() -> None:
    html = script_html("가 學而，ろ 1️⃣ → 나")
    assert html == ('가 <span class="script-han">學而，</span><span class="script-kana">ろ </span>'
                    '<span class="script-emoji">1️⃣ </span>→ 나')
    assert script_html("그냥 <b> 텍스트") == "그냥 &lt;b&gt; 텍스트"


def _runs(deck: bytes) -> list[tuple[str, dict[str, str]]]:
    out = []
    with zipfile.ZipFile(io.BytesIO(deck)) as z:
        for name in sorted(n for n in z.namelist() if n.startswith("ppt/slides/slide")):
            root = etree.fromstring(z.read(name))
            for r in root.iterfind(".//a:r", NS):
                rpr = r.find("a:rPr", NS)
                slots = {el.tag.split("}")[1]: el.get("typeface") for el in rpr if el.get("typeface")}
                out.append((r.findtext("a:t", namespaces=NS), slots))
    return out


def test_each_pptx_run_names_its_face_in_the_right_slots(tmp_path: Path, theme) -> None:
    note = tmp_path / "n.md"
    note.write_text("# 제목\n\n## 한자와 이모지\n\n- 學而時習之，不亦說乎 배우고 익힌다\n- 1️⃣ 준비 ✅ 완료 👍🏽\n",
                    encoding="utf-8")
    r = build(note, tmp_path, "--format", "pptx")
    assert r.returncode == 0, r.stderr
    runs = _runs((tmp_path / "n.pptx").read_bytes())
    body, chain = theme.fonts.body.family, theme.fonts.fallback
    han = [s for t, s in runs if "學" in t]
    assert han == [{"latin": chain.han.family, "ea": chain.han.family, "cs": body, "sym": chain.han.family}]
    emoji = [(t, s) for t, s in runs if s.get("sym") == chain.emoji.family]
    assert [t.strip() for t, _ in emoji] == ["1️⃣", "✅", "👍🏽"]
    korean = [s for t, s in runs if "배우고" in t or "준비" in t]
    assert korean and all(s == {"latin": body, "ea": body, "cs": body} for s in korean)


def test_fallback_table_errors_and_warnings(tmp_path: Path) -> None:
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "theme.toml").write_text('extends = "default"\n[fonts.fallback]\nhan = ["No Such Face 123"]\n'
                                       'emojis = ["Symbola"]\n', encoding="utf-8")
    t = load_theme(str(folder))
    assert t.fonts.fallback.han is None and t.fonts.fallback.emoji is not None
    assert any("fonts.fallback.han: none of 'No Such Face 123'" in w for w in t.warnings)
    assert any("fonts.fallback.emojis: unknown script" in w and "did you mean 'emoji'" in w for w in t.warnings)
    (folder / "theme.toml").write_text('extends = "default"\n[fonts.fallback]\nhan = 3\n', encoding="utf-8")
    with pytest.raises(ThemeError, match="fonts.fallback.han: expected a list"):
        load_theme(str(folder))


def test_no_chain_means_one_piece() -> None:
    from deckgen.theme.fonts import FontFace, FontFile
    face = FontFace("X", FontFile("/nonexistent.ttf"), FontFile("/nonexistent.ttf"))
    assert [p.text for p in split_faces("學 ✅ 가", face, Fallbacks())] == ["學 ✅ 가"]
