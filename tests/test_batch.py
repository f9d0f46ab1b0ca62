"""Folder builds: discovery, collisions, failure isolation, the incremental cache, --prune, --json, --jobs.

Notes are tiny and generated in tmp_path; decks only (``--format pptx``) to stay fast.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from deckgen.course.batch import Job, run_jobs
from deckgen.cli import main
from deckgen.course.discover import IgnoreRules, discover, output_stem, plan
from deckgen.pipeline import BuildOptions, BuildResult


def note(path: Path, title: str, body: str = "- 첫째\n- 둘째\n", front: str = "") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fm = f"---\n{front}---\n" if front else ""
    path.write_text(f"{fm}# {title}\n\n## 슬라이드\n\n{body}", encoding="utf-8")
    return path


def png(path: Path, color: str) -> Path:
    from PIL import Image
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (40, 30), color).save(path)
    return path


def build_json(capsys, *args: str) -> tuple[int, dict]:
    code = main(["build", *args, "--format", "pptx", "--json"])
    out = capsys.readouterr().out
    return code, json.loads(out)


def statuses(report: dict) -> dict[str, str]:
    return {Path(n["path"]).name: n["status"] for n in report["notes"]}


@pytest.fixture
def course(tmp_path: Path) -> Path:
    src = tmp_path / "course"
    note(src / "week01" / "intro.md", "소개")
    note(src / "week02" / "shell.markdown", "셸")
    note(src / "_posts" / "2024-03-10-later.md", "나중")
    note(src / "_posts" / "2024-03-02-earlier.md", "먼저")
    note(src / ".hidden" / "secret.md", "숨김")
    note(src / "node_modules" / "pkg" / "readme.md", "패키지")
    note(src / "_site" / "page.md", "사이트")
    note(src / "drafts" / "wip.md", "초안")
    note(src / "week02" / "scratch.tmp.md", "임시")
    (src / ".deckgenignore").write_text("# comments are fine\ndrafts/\n*.tmp.md\n", encoding="utf-8")
    return src


def test_walk_ignores_and_orders_posts_by_date(course: Path, tmp_path: Path):
    out = course / "out"
    note(out / "stale.md", "출력 폴더")  # inside the output folder: never a note
    found = [p.relative_to(course).as_posix() for p in discover(course, out)]
    assert found == ["_posts/2024-03-02-earlier.md", "_posts/2024-03-10-later.md",
                     "week01/intro.md", "week02/shell.markdown"]


def test_posts_drop_their_date_and_the_tree_is_mirrored(course: Path, tmp_path: Path, capsys):
    out = tmp_path / "out"
    code, report = build_json(capsys, str(course), "-o", str(out))
    assert code == 0, report
    built = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.pptx"))
    assert built == ["_posts/earlier.pptx", "_posts/later.pptx", "week01/intro.pptx", "week02/shell.pptx"]
    assert [Path(n["path"]).name for n in report["notes"]][:2] == ["2024-03-02-earlier.md", "2024-03-10-later.md"]
    assert output_stem(Path("_posts/2024-01-01-x.md")) == Path("_posts/x")
    assert output_stem(Path("notes/2024-01-01-x.md")) == Path("notes/2024-01-01-x")


def test_ignore_rules_are_gitignore_like():
    rules = IgnoreRules(["build/", "/top.md", "**/old/*.md", "*.bak.md", "!keep.bak.md"])
    assert rules.ignored("build", True) and rules.ignored("a/build", True)
    assert not rules.ignored("build", False)          # trailing slash: folders only
    assert rules.ignored("top.md", False) and not rules.ignored("a/top.md", False)
    assert rules.ignored("x/old/y.md", False) and rules.ignored("old/y.md", False)
    assert rules.ignored("a/b.bak.md", False) and not rules.ignored("a/keep.bak.md", False)


def test_two_notes_writing_one_output_is_an_error_naming_both(tmp_path: Path, capsys):
    src = tmp_path / "c"
    note(src / "_posts" / "2024-01-01-same.md", "하나")
    note(src / "_posts" / "2024-02-01-same.md", "둘")
    code = main(["build", str(src), "-o", str(tmp_path / "out"), "--format", "pptx"])
    err = capsys.readouterr().err
    assert code == 1
    assert "2024-01-01-same.md" in err and "2024-02-01-same.md" in err
    assert not (tmp_path / "out").exists()
    code, report = build_json(capsys, str(src), "-o", str(tmp_path / "out"))
    assert code == 1 and report["notes"] == [] and "2024-02-01-same.md" in report["errors"][0]


def test_broken_front_matter_fails_alone_with_path_line(tmp_path: Path, capsys):
    src = tmp_path / "c"
    note(src / "a.md", "가")
    aliases = ",".join(["*a"] * 101)      # refused front matter (invalid YAML is read loosely instead)
    bad = note(src / "b.md", "나", front=f"a: &a x\nb: [{aliases}]\n")
    note(src / "c.md", "다")
    out = tmp_path / "out"
    code = main(["build", str(src), "-o", str(out), "--format", "pptx"])
    captured = capsys.readouterr()
    assert code == 1
    assert f"{bad}:2: error:" in captured.err or f"{bad}:3: error:" in captured.err, captured.err
    assert (out / "a.pptx").is_file() and (out / "c.pptx").is_file() and not (out / "b.pptx").exists()
    assert "2 built, 0 skipped, 1 failed" in captured.out
    # the failure is not cached: the next run tries it again and still skips the good ones
    code, report = build_json(capsys, str(src), "-o", str(out))
    assert code == 1 and statuses(report) == {"a.md": "skipped", "b.md": "failed", "c.md": "skipped"}


def test_second_build_skips_and_one_edit_rebuilds_one(tmp_path: Path, capsys):
    src = tmp_path / "c"
    for i in range(3):
        note(src / f"n{i}.md", f"노트 {i}")
    out = tmp_path / "out"
    code, first = build_json(capsys, str(src), "-o", str(out))
    assert code == 0 and set(statuses(first).values()) == {"built"}
    assert (out / ".deckgen-cache.json").is_file()
    code, second = build_json(capsys, str(src), "-o", str(out))
    assert code == 0 and set(statuses(second).values()) == {"skipped"}
    assert second["totals"]["skipped"] == 3 and second["totals"]["built"] == 0
    note(src / "n1.md", "노트 1", body="- 바뀐 내용\n")
    code, third = build_json(capsys, str(src), "-o", str(out))
    assert statuses(third) == {"n0.md": "skipped", "n1.md": "built", "n2.md": "skipped"}
    # a touch without a change is still a skip: content hashes, not mtimes
    os.utime(src / "n2.md", (1, 1))
    code, fourth = build_json(capsys, str(src), "-o", str(out))
    assert set(statuses(fourth).values()) == {"skipped"}
    # options that change output invalidate; a missing output forces a rebuild
    code, lvl = build_json(capsys, str(src), "-o", str(out), "--slide-level", "1")
    assert set(statuses(lvl).values()) == {"built"}
    (out / "n0.pptx").unlink()
    code, gone = build_json(capsys, str(src), "-o", str(out), "--slide-level", "1")
    assert statuses(gone) == {"n0.md": "built", "n1.md": "skipped", "n2.md": "skipped"}


def test_editing_a_used_image_rebuilds_its_note(tmp_path: Path, capsys):
    src = tmp_path / "c"
    (src).mkdir()
    (src / "deckgen.toml").write_text("", encoding="utf-8")  # project root for assets
    img = png(src / "img" / "fig.png", "red")
    note(src / "with-image.md", "그림", body="![그림](img/fig.png)\n")
    note(src / "plain.md", "글")
    out = tmp_path / "out"
    code, first = build_json(capsys, str(src), "-o", str(out))
    assert code == 0, first
    cache = json.loads((out / ".deckgen-cache.json").read_text(encoding="utf-8"))
    deps = cache["entries"][str((src / "with-image.md").resolve())]["deps"]
    assert list(deps) == [str(img.resolve())]
    png(img, "blue")
    code, second = build_json(capsys, str(src), "-o", str(out))
    assert statuses(second) == {"with-image.md": "built", "plain.md": "skipped"}


def test_a_note_missing_an_image_rebuilds_until_the_image_appears(tmp_path: Path, capsys):
    src = tmp_path / "c"
    note(src / "later.md", "그림", body="![그림](fig.png)\n")
    out = tmp_path / "out"
    build_json(capsys, str(src), "-o", str(out))
    code, second = build_json(capsys, str(src), "-o", str(out))
    assert statuses(second) == {"later.md": "built"}      # the image could have appeared
    png(src / "fig.png", "green")
    code, third = build_json(capsys, str(src), "-o", str(out))
    assert statuses(third) == {"later.md": "built"} and third["notes"][0]["diagnostics"] == []
    code, fourth = build_json(capsys, str(src), "-o", str(out))
    assert statuses(fourth) == {"later.md": "skipped"}


def test_force_rebuilds_everything(tmp_path: Path, capsys):
    src = tmp_path / "c"
    note(src / "a.md", "가")
    note(src / "b.md", "나")
    out = tmp_path / "out"
    build_json(capsys, str(src), "-o", str(out))
    code, report = build_json(capsys, str(src), "-o", str(out), "--force")
    assert code == 0 and set(statuses(report).values()) == {"built"}


def test_prune_removes_outputs_of_deleted_notes_only(tmp_path: Path, capsys):
    src = tmp_path / "c"
    note(src / "keep.md", "유지")
    gone = note(src / "sub" / "gone.md", "삭제")
    out = tmp_path / "out"
    build_json(capsys, str(src), "-o", str(out))
    (out / "mine.pptx").write_bytes(b"not deckgen's")  # never recorded: never pruned
    gone.unlink()
    code, report = build_json(capsys, str(src), "-o", str(out))
    assert (out / "sub" / "gone.pptx").is_file()  # without --prune, nothing is deleted
    code = main(["build", str(src), "-o", str(out), "--format", "pptx", "--prune"])
    text = capsys.readouterr().out
    assert code == 0 and "removed" in text
    assert not (out / "sub").exists()
    assert (out / "keep.pptx").is_file() and (out / "mine.pptx").is_file()
    cache = json.loads((out / ".deckgen-cache.json").read_text(encoding="utf-8"))
    assert list(cache["entries"]) == [str((src / "keep.md").resolve())]
    # a note that is now ignored counts as gone too; --json lists what was removed
    (src / ".deckgenignore").write_text("keep.md\n", encoding="utf-8")
    note(src / "new.md", "새 노트")
    code, report = build_json(capsys, str(src), "-o", str(out), "--prune")
    assert report["pruned"] == [str((out / "keep.pptx").resolve())] and not (out / "keep.pptx").exists()


def test_a_single_note_built_beside_itself_does_not_hide_its_folder(tmp_path: Path, capsys):
    src = tmp_path / "c"
    one = note(src / "sub" / "one.md", "하나")
    note(src / "two.md", "둘")
    assert main(["build", str(one), "--format", "pptx", "-q"]) == 0
    assert (src / "sub" / "one.pptx").is_file() and (src / "sub" / ".deckgen-cache.json").is_file()
    code, report = build_json(capsys, str(src), "-o", str(tmp_path / "out"))
    assert statuses(report) == {"one.md": "built", "two.md": "built"}


def test_json_report_structure(tmp_path: Path, capsys):
    src = tmp_path / "c"
    note(src / "ok.md", "좋음", body="![없는 그림](missing.png)\n")
    note(src / "bad.md", "나쁨", front="a: &a x\nb: [" + ",".join(["*a"] * 101) + "]\n")
    code, report = build_json(capsys, str(src), "-o", str(tmp_path / "out"))
    assert code == 1
    assert set(report) == {"notes", "totals"}   # "errors" / "pruned" appear only when there are some
    assert set(report["totals"]) >= {"built", "skipped", "failed", "warnings", "seconds"}
    assert report["totals"]["built"] == 1 and report["totals"]["failed"] == 1
    for n in report["notes"]:
        assert set(n) == {"path", "status", "outputs", "diagnostics", "seconds"}
        assert n["status"] in ("built", "skipped", "failed")
        for d in n["diagnostics"]:
            assert set(d) == {"severity", "code", "message", "path", "line"}
    by = {Path(n["path"]).name: n for n in report["notes"]}
    assert by["ok.md"]["outputs"] and any(d["severity"] == "warning" for d in by["ok.md"]["diagnostics"])
    assert by["bad.md"]["outputs"] == [] and by["bad.md"]["diagnostics"][0]["line"] > 0


def test_strict_fails_warned_notes_even_when_skipped(tmp_path: Path, capsys):
    src = tmp_path / "c"
    note(src / "warn.md", "경고", body="![원격 그림](https://example.com/x.png)\n")
    note(src / "fine.md", "좋음")
    out = tmp_path / "out"
    code, _ = build_json(capsys, str(src), "-o", str(out))
    assert code == 0
    code, report = build_json(capsys, str(src), "-o", str(out), "--strict")
    assert code == 1 and statuses(report) == {"fine.md": "skipped", "warn.md": "failed"}


def test_jobs_2_builds_everything_in_parallel(tmp_path: Path, capsys):
    src = tmp_path / "c"
    for i in range(4):
        note(src / f"p{i}.md", f"병렬 {i}")
    bad = note(src / "zz-bad.md", "깨짐", front="a: &a x\nb: [" + ",".join(["*a"] * 101) + "]\n")
    out = tmp_path / "out"
    code, report = build_json(capsys, str(src), "-o", str(out), "--jobs", "2")
    assert code == 1
    assert [n["status"] for n in report["notes"]] == ["built"] * 4 + ["failed"]
    assert [n["path"] for n in report["notes"]][-1] == str(bad)   # stable plan order
    assert all((out / f"p{i}.pptx").is_file() for i in range(4))


def _crash_on_boom(job: Job, options: BuildOptions) -> BuildResult:
    if job.note.stem == "boom":
        os._exit(3)  # a segfault or an OOM kill, as far as the pool can tell
    return BuildResult(job.display, outputs=list(job.outputs.values()))


def test_a_dying_worker_fails_only_its_note(tmp_path: Path):
    notes = [note(tmp_path / f"{n}.md", n) for n in ("a", "boom", "c", "d")]
    jobs = plan(notes, tmp_path / "out", ("pptx",))
    results = {job.note.stem: res for _, job, res in
               run_jobs(list(enumerate(jobs)), BuildOptions(formats=("pptx",)), 2, worker=_crash_on_boom)}
    assert set(results) == {"a", "boom", "c", "d"}
    assert results["boom"].failed and "worker died" in results["boom"].diags.items[0].message
    assert not any(results[k].failed for k in "acd")


def test_usage_errors_exit_2(tmp_path: Path, capsys):
    assert main(["build", str(tmp_path / "nope")]) == 2
    with pytest.raises(SystemExit) as e:
        main(["build", str(tmp_path), "--jobs", "0"])
    assert e.value.code == 2
    note(tmp_path / "a.md", "가")
    assert main(["build", str(tmp_path), "-o", str(tmp_path / "o"), "--theme", "no-such-theme"]) == 2
    assert "no-such-theme" in capsys.readouterr().err


def test_killing_a_build_midway_keeps_finished_outputs_and_cache(tmp_path: Path):
    import signal
    import subprocess
    import sys
    import zipfile

    from conftest import ROOT
    sys.path.insert(0, str(ROOT / "bench"))
    from notegen import make_note

    src = tmp_path / "c"
    src.mkdir()
    for i in range(4):
        (src / f"k{i}.md").write_text(make_note(20, seed=i), encoding="utf-8")
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "deckgen", "build", str(src), "-o", str(out), "--format", "pptx", "--jobs", "1"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                            start_new_session=True)
    first = proc.stdout.readline()          # one note is done; the next is being built
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert ": ok" in first
    cache = json.loads((out / ".deckgen-cache.json").read_text(encoding="utf-8"))
    assert 1 <= len(cache["entries"]) < 4
    for entry in cache["entries"].values():
        with zipfile.ZipFile(entry["outputs"]["pptx"]) as z:   # recorded outputs are whole files
            assert z.testzip() is None
    done = subprocess.run(cmd + ["--json"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    report = json.loads(done.stdout)
    assert report["totals"]["skipped"] == len(cache["entries"])
    assert report["totals"]["built"] == 4 - len(cache["entries"]) and done.returncode == 0


def test_a_single_jekyll_post_is_named_by_its_slug(tmp_path: Path):
    from deckgen.course.discover import plan
    posts = tmp_path / "_posts"
    posts.mkdir()
    note = posts / "2024-05-02-process.md"
    note.write_text("# 프로세스\n", encoding="utf-8")
    [job] = plan([note], tmp_path / "out", ("pptx",))
    assert job.outputs["pptx"] == tmp_path / "out" / "process.pptx"
    [job] = plan([tmp_path / "n.md"], None, ("pptx",))
    assert job.outputs["pptx"] == tmp_path / "n.pptx"


def test_output_names_are_nfc_without_invisible_characters(tmp_path) -> None:
    import unicodedata
    from deckgen.course.discover import cache_key, clean_name, output_stem, plan
    assert clean_name(unicodedata.normalize("NFD", "강의")) == "강의"
    assert clean_name("lec\u202egpj.exe") == "lecgpj.exe" and clean_name("a\u200bb\u2066c\ufeff") == "abc"
    assert output_stem(Path(unicodedata.normalize("NFD", "주차/1\u202e강.md"))) == Path("주차/1강")
    nfd = tmp_path / unicodedata.normalize("NFD", "노트.md")
    nfd.write_text("# 제목\n", encoding="utf-8")
    assert cache_key(nfd) == unicodedata.normalize("NFC", str(nfd.resolve()))
    bidi = tmp_path / "x\u202ey.md"
    bidi.write_text("# 제목\n", encoding="utf-8")
    jobs = {j.note.name: j for j in plan([tmp_path], tmp_path / "out", ("pptx",))}
    assert jobs[bidi.name].outputs["pptx"].name == "xy.pptx" and jobs[bidi.name].renamed == "x<U+202E>y.md"
    assert "\u202e" not in jobs[bidi.name].display and jobs[nfd.name].renamed == ""
    assert jobs[nfd.name].outputs["pptx"].name == "노트.pptx"


def test_a_name_that_is_not_utf8_is_cleaned_and_cached(tmp_path, capsys) -> None:
    from deckgen.course.discover import cache_key, clean_name, visible_name
    bad = os.fsdecode(b"lec\xff.md")
    assert clean_name(bad) == "lec_.md" and visible_name(bad) == "lec<0xFF>.md"
    assert "\udcff" not in cache_key(tmp_path / bad)
    src = tmp_path / "c"
    src.mkdir()
    Path(os.fsdecode(os.fsencode(str(src)) + b"/lec\xff.md")).write_text("# 제목\n\n본문\n", encoding="utf-8")
    code, report = build_json(capsys, str(src), "-o", str(tmp_path / "out"), "--format", "pptx")
    assert code == 0 and (tmp_path / "out" / "lec_.pptx").is_file()
    assert (tmp_path / "out" / ".deckgen-cache.json").is_file()
    assert [d["code"] for d in report["notes"][0]["diagnostics"]] == ["file-name"]
