"""Cheaper handouts, the same documents: code blocks without spans for unstyled Pygments tokens
(handout/codetokens.py), children that start warm and share one font configuration
(handout/warmup.py, fontshare.py), the largest notes of a batch first (course/batch.py)."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from conftest import FIXTURES, ROOT
from deckgen.backends.handout.codetokens import pygments_rules, styled_tokens
from deckgen.backends.handout.document import render_handout_html
from deckgen.course.batch import Job, longest_first
from deckgen.diagnostics import Diagnostics
from deckgen.pipeline import cached_theme
from deckgen.read.parse import parse_note

CODE_NOTE = FIXTURES / "handout" / "code-tokens.md"
EXPECTED = yaml.safe_load((FIXTURES / "handout" / "code-tokens.yaml").read_text(encoding="utf-8"))


def test_code_blocks_keep_spans_only_for_styled_tokens() -> None:
    theme, _ = cached_theme("default")
    diags = Diagnostics()
    page = render_handout_html(parse_note(CODE_NOTE, diags), theme, diags, base_dir=CODE_NOTE.parent)
    classes = set(re.findall(r'class="(pg-[\w-]+)"', page))
    assert sorted(classes) == EXPECTED["kept"]
    assert not classes & set(EXPECTED["dropped"])
    first = re.search(r'<pre class="code hl"><code>(.*?)</code></pre>', page, re.S)
    assert first is not None
    text = re.sub(r"<[^>]+>", "", first.group(1)).replace("&quot;", '"').replace("&gt;", ">")
    assert text == EXPECTED["code_text"]          # nothing of the code lost with the spans


def test_a_handout_css_styling_code_spans_keeps_every_span(tmp_path: Path) -> None:
    rules = pygments_rules("default") or ""
    named, general = tmp_path / "named.css", tmp_path / "general.css"
    named.write_text(".hl .pg-n { color: red; }\n.image-missing > span { display: block; }\n")
    general.write_text("/* .pg-x */\npre.code span { text-decoration: underline; }\n")
    with_names = styled_tokens(rules, (named,))
    assert with_names is not None and {"n", "k", "c1"} <= with_names and "p" not in with_names
    assert styled_tokens(rules, (general,)) is None
    assert styled_tokens(rules, (tmp_path / "missing.css",)) is None


WARM = """
import os, sys, tempfile
from pathlib import Path
from deckgen.backends.handout.document import build_handout_pdf
from deckgen.backends.handout.warmup import warm_up
from deckgen.bounds.deadline import run_with_deadline
from deckgen.diagnostics import Diagnostics
from deckgen.pipeline import cached_theme
from deckgen.read.parse import parse_note

note = Path(sys.argv[1])
theme = cached_theme("default")[0]
doc = parse_note(note, Diagnostics())
def pdf(edition):
    return build_handout_pdf(doc, theme, Diagnostics(), base_dir=note.parent, edition=edition)
cold = [pdf(e) for e in ("student", "instructor")]         # this process: a configuration per render
warm = warm_up(theme)
import gc; gc.freeze()      # as the course build does before its pool forks
shared = [run_with_deadline(lambda: pdf(e), 120) for e in ("student", "instructor")]
left = sorted(n for n in os.listdir(tempfile.gettempdir()) if n.startswith("weasyprint-"))
print(warm, cold == shared, len(left))
"""


def test_warm_children_write_the_same_pdfs_and_leave_no_font_copies(tmp_path: Path) -> None:
    folder, temp = tmp_path / "note", tmp_path / "tmp"
    shutil.copytree(CODE_NOTE.parent, folder)
    temp.mkdir()
    out = subprocess.run([sys.executable, "-c", WARM, str(folder / CODE_NOTE.name)], capture_output=True,
                         text=True, check=True, cwd=ROOT, env={"TMPDIR": str(temp), "PATH": "/usr/bin:/bin"})
    warmed, same, left = out.stdout.split()
    assert warmed == "True"          # Linux: the children share the warmed configuration
    assert same == "True"            # byte for byte, both editions
    assert left == "1"               # the shared configuration's own folder, while its process lives
    assert not list(temp.glob("weasyprint-*"))   # and nothing once it has ended


def test_a_batch_starts_with_its_largest_notes(tmp_path: Path) -> None:
    sizes = {"a.md": 10, "b.md": 3000, "c.md": 10, "d.md": 700}
    jobs = []
    for n, (name, size) in enumerate(sizes.items()):
        (tmp_path / name).write_text("x" * size)
        jobs.append((n, Job(tmp_path / name, name, {}, tmp_path)))
    jobs.append((4, Job(tmp_path / "gone.md", "gone.md", {}, tmp_path)))
    assert [job.display for _, job in longest_first(jobs)] == ["b.md", "d.md", "a.md", "c.md", "gone.md"]


def test_folder_builds_leave_no_font_copies(tmp_path: Path) -> None:
    """A pool worker that warmed up itself (`--jobs 1`) ends without atexit: its shared font copies
    were left in $TMPDIR, 18 MB per build (4,460 folders, 78 GB, filled this machine's disk)."""
    folder, temp = tmp_path / "notes", tmp_path / "tmp"
    folder.mkdir()
    temp.mkdir()
    for name in ("a.md", "b.md"):
        shutil.copy(CODE_NOTE, folder / name)
    env = {"TMPDIR": str(temp), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    for jobs in ("1", "2"):
        subprocess.run([sys.executable, "-m", "deckgen", "build", str(folder), "-o", str(tmp_path / "out"),
                        "--format", "pdf", "--jobs", jobs, "--force"], capture_output=True, text=True,
                       check=True, cwd=ROOT, env=env)
        assert sorted(tmp_path.glob("out/*.pdf")) and not list(temp.glob("weasyprint-*")), jobs
