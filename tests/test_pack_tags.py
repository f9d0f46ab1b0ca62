"""course.pdf is a tagged PDF: the front pages' and every lecture's structure trees merged into one.

The course is tests/fixtures/taggedpack (a table, a figure with alt text and web links in week 1, a
table in week 2, an English lecture in week 3), built with --pack and checked with pikepdf, the
`pdfua` checker, qpdf and pdftotext against the lectures' own handouts."""
from __future__ import annotations

import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pikepdf
import pytest
from pdfua import validate

from deckgen.cli import main

FIXTURE = Path(__file__).parent / "fixtures" / "taggedpack"
LECTURES = ["week01/network.pdf", "week02/shell.pdf", "week03/english.pdf"]
TITLES = ["네트워크 기초", "셸과 파이프", "Reading Week"]


@pytest.fixture(scope="module")
def pack(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("taggedpack") / "out"
    assert main(["build", str(FIXTURE), "-o", str(out), "--pack", "-q", "--jobs", "1"]) == 0
    return out


def walk(node, out: list) -> list:
    """Structure elements under *node*, depth first."""
    if isinstance(node, pikepdf.Array):
        for kid in node:
            walk(kid, out)
    elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
        out.append(node)
        if "/K" in node:
            walk(node.K, out)
    return out


def roles(elements: list, leave_out: tuple[str, ...] = ()) -> Counter:
    return Counter(str(e.S) for e in elements if str(e.S) not in leave_out)


def parts(pdf: pikepdf.Pdf) -> list:
    document = pdf.Root.StructTreeRoot.K
    assert len(document) == 1 and document[0].S == "/Document"
    return list(document[0].K)


def test_one_tree_with_a_part_per_lecture_holding_its_elements(pack: Path):
    with pikepdf.open(pack / "course.pdf") as pdf:
        course_parts = parts(pdf)
        assert [str(p.S) for p in course_parts] == ["/Part"] * 4
        assert [str(p.get("/T", "")) for p in course_parts] == ["", *TITLES]
        front = roles(walk(course_parts[0].K, []))
        assert front["/H1"] == 1 and front["/H2"] == 1 and front["/LI"] == len(LECTURES)  # cover, contents
        expected = front + Counter({"/Document": 1, "/Part": len(course_parts)})
        for part, name in zip(course_parts[1:], LECTURES):
            with pikepdf.open(pack / name) as lecture:
                own = roles(walk(lecture.Root.StructTreeRoot.K, []), leave_out=("/Document",))
            assert roles(walk(part.K, [])) == own and own["/H1"] >= 1
            expected += own
        total = roles(walk(pdf.Root.StructTreeRoot.K, []))
        assert total == expected and total["/Table"] == 2 and total["/Figure"] == 1


def test_every_marked_content_id_is_reachable_from_the_parent_tree(pack: Path):
    with pikepdf.open(pack / "course.pdf") as pdf:
        parent_tree = pikepdf.NumberTree(pdf.Root.StructTreeRoot.ParentTree)
        seen_keys = set()
        for page in pdf.pages:
            mcids = [ops[1].MCID for ops, op in pikepdf.parse_content_stream(page)
                     if str(op) == "BDC" and isinstance(ops[1], pikepdf.Dictionary) and "/MCID" in ops[1]]
            assert mcids, "every page has tagged content"
            key = int(page.obj.StructParents)
            assert key not in seen_keys
            seen_keys.add(key)
            owners = parent_tree[key]
            for mcid in mcids:
                owner = owners[int(mcid)]
                assert owner.Pg.objgen == page.obj.objgen and int(mcid) in [k for k in owner.K if isinstance(k, int)]


def test_no_dangling_page_or_annotation_reference(pack: Path):
    with pikepdf.open(pack / "course.pdf") as pdf:
        pages = {p.obj.objgen for p in pdf.pages}
        parent_tree = pikepdf.NumberTree(pdf.Root.StructTreeRoot.ParentTree)
        elements = walk(pdf.Root.StructTreeRoot.K, [])
        assert all(e.Pg.objgen in pages for e in elements if "/Pg" in e)
        links = 0
        for page in pdf.pages:
            for annot in page.obj.get("/Annots", []):
                owner = parent_tree[int(annot.StructParent)]
                objrs = [k for k in owner.K if isinstance(k, pikepdf.Dictionary) and k.get("/Type") == "/OBJR"]
                assert [o.Obj.objgen for o in objrs] == [annot.objgen] and owner.S == "/Link"
                links += 1
        assert links >= 4  # the contents pages' links and the two web links


def test_ids_are_unique_and_cells_name_headers_of_their_own_table(pack: Path):
    with pikepdf.open(pack / "course.pdf") as pdf:
        elements = walk(pdf.Root.StructTreeRoot.K, [])
        ids = [bytes(e.ID) for e in elements if "/ID" in e]
        assert len(ids) == len(set(ids)) and ids
        id_tree = pikepdf.NameTree(pdf.Root.StructTreeRoot.IDTree)
        assert {k.encode() for k in id_tree} == set(ids)
        for table in (e for e in elements if e.S == "/Table"):
            cells = walk(table.K, [])
            headers = {bytes(c.ID) for c in cells if c.S == "/TH"}
            assert all({bytes(h) for h in c.A.Headers} <= headers for c in cells if c.S == "/TD")


def test_language_title_and_viewer_preferences(pack: Path):
    with pikepdf.open(pack / "course.pdf") as pdf:
        assert str(pdf.Root.Lang) == "ko-KR" and bool(pdf.Root.MarkInfo.Marked) is True
        assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle) is True
        assert [str(p.get("/Lang", "")) for p in parts(pdf)] == ["", "", "", "en-US"]
        with pdf.open_metadata() as xmp:
            assert xmp.get("dc:title") == "taggedpack" and xmp.get("pdfuaid:part") == "1"
        assert str(pdf.docinfo.Title) == "taggedpack"


def test_pdfua_checker_finds_no_more_than_in_the_lectures(pack: Path):
    def findings(path: Path) -> Counter:
        return Counter((f.rule_id, f.severity.name) for f in validate(str(path)).findings)

    lectures = sum((findings(pack / name) for name in LECTURES), Counter())
    course = findings(pack / "course.pdf")
    assert course - lectures == Counter()
    assert not [f for f in course if f[1] == "ERROR"]


def test_internal_links_stay_in_their_own_lecture(pack: Path):
    """Every handout names its sections sec-1, sec-2...: each contents link lands in its lecture."""
    with pikepdf.open(pack / "course.pdf") as pdf:
        index = {p.obj.objgen: i for i, p in enumerate(pdf.pages)}
        bounds, first = [], 2
        for name in LECTURES:
            with pikepdf.open(pack / name) as lecture:
                bounds.append(range(first, first + len(lecture.pages)))
                first += len(lecture.pages)
        internal = 0
        for i, page in enumerate(pdf.pages):
            for annot in page.obj.get("/Annots", []):
                if "/Dest" in annot:
                    internal += 1
                    own = next(b for b in bounds if i in b)
                    assert index[annot.Dest[0].objgen] in own


@pytest.mark.skipif(shutil.which("qpdf") is None or shutil.which("pdftotext") is None,
                    reason="qpdf or poppler-utils not installed")
def test_qpdf_check_is_clean_and_the_text_is_the_parts_text(pack: Path):
    check = subprocess.run(["qpdf", "--check", str(pack / "course.pdf")], capture_output=True, text=True)
    assert check.returncode == 0 and "WARNING" not in check.stdout + check.stderr

    def text(path: Path, first: int = 1) -> str:
        return subprocess.run(["pdftotext", "-f", str(first), "-enc", "UTF-8", str(path), "-"],
                              capture_output=True, text=True, check=True).stdout

    assert text(pack / "course.pdf", first=3) == "".join(text(pack / name) for name in LECTURES)


def test_the_structure_costs_little_space(pack: Path):
    """pypdf writes each structure element as an uncompressed object (course.pdf was 2x the sum of
    its parts here, 3x on a 40-lecture course); packed in object streams it is barely more."""
    parts = sum((pack / name).stat().st_size for name in LECTURES)
    assert (pack / "course.pdf").stat().st_size < 1.25 * parts
    with pikepdf.open(pack / "course.pdf") as pdf:
        assert pdf.pdf_version >= "1.5" and pdf.Root.MarkInfo.Marked


class Packed:
    """A lecture as write_course_pdf takes it."""

    def __init__(self, title: str, pdf: Path) -> None:
        self.title, self.display, self.pdf = title, f"{title}.md", pdf


def test_clashing_ids_and_roles_are_renamed_and_an_untagged_handout_is_named(pack: Path, tmp_path: Path):
    """The same handout twice (its table header ids clash), each copy mapping a custom role to a
    different standard one, and a third copy without a structure tree."""
    from deckgen.backends.pack import write_course_pdf

    copies = []
    for n, target in enumerate(["/P", "/Span", None]):
        with pikepdf.open(pack / LECTURES[0]) as pdf:
            tree = pdf.Root.StructTreeRoot
            if target is None:
                del pdf.Root.StructTreeRoot
            else:
                tree.RoleMap = pikepdf.Dictionary({"/Aside": pikepdf.Name(target)})
                next(e for e in walk(tree.K, []) if e.S == "/P").S = pikepdf.Name("/Aside")
            pdf.save(tmp_path / f"copy{n}.pdf")
        copies.append(Packed(f"copy{n}", tmp_path / f"copy{n}.pdf"))
    warnings = write_course_pdf(copies, tmp_path / "course.pdf", "copies")
    assert warnings == ["copy2.md: warning: " + f"{tmp_path / 'copy2.pdf'} is not tagged; its pages in course.pdf "
                        "have no structure for screen readers"]
    with pikepdf.open(tmp_path / "course.pdf") as pdf:
        tree = pdf.Root.StructTreeRoot
        assert dict(tree.RoleMap.items()) == {"/Aside": "/P", "/Aside-p3": "/Span"}  # part 1 is the front
        first, second = (walk(part.K, []) for part in parts(pdf)[1:3])
        assert [str(e.S) for e in first if "Aside" in str(e.S)] == ["/Aside"]
        assert [str(e.S) for e in second if "Aside" in str(e.S)] == ["/Aside-p3"]
        ids = [bytes(e.ID) for e in first + second if "/ID" in e]
        assert len(ids) == 6 and len(set(ids)) == 6
        for cell in (e for e in second if e.S == "/TD"):
            assert all(bytes(h).endswith(b"-p3") for h in cell.A.Headers)
        assert len(parts(pdf)) == 3     # the untagged copy has pages but no part
