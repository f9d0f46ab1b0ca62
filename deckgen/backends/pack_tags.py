"""course.pdf's structure tree: every part's tags merged, so the pack stays a tagged PDF.

pypdf's append copies pages and annotations but not the structure tree (and drops each page's
/StructParents), so a screen reader would get the pack as untagged pages.  Here each part's tree
(the front pages', then every lecture's, in page order) is copied under one /Document element as a
/Part, with /Pg and /Obj pointing at the copied pages and annotations, the parents' keys renumbered
into one /ParentTree, role and class names and element ids renamed where two parts clash, and a
lecture in another language keeping its /Lang on its /Part.
"""
from __future__ import annotations

from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (ArrayObject, BooleanObject, DictionaryObject, IndirectObject, NameObject,
                           NumberObject, StreamObject, TextStringObject)


def number_tree(node: Any) -> dict[int, Any]:
    """A PDF number tree (/Nums leaves under /Kids) as a dict."""
    out: dict[int, Any] = {}
    node = node.get_object() if node is not None else None
    if not isinstance(node, DictionaryObject):
        return out
    nums = node.get("/Nums")
    if nums is not None:
        nums = nums.get_object()
        for i in range(0, len(nums) - 1, 2):
            out[int(nums[i])] = nums[i + 1]
    for kid in node.get("/Kids", ()):
        out.update(number_tree(kid))
    return out


def _deref(x: Any) -> Any:
    """The object behind a reference, typed loosely (pypdf's getters return PdfObject | None)."""
    return x.get_object()


def _kids(k: Any) -> list:
    """A /K entry as a list (an array, one kid, or none)."""
    obj = k.get_object() if k is not None else None
    return list(obj) if isinstance(obj, ArrayObject) else [k] if k is not None else []


def _renamed(name: str, taken: set[str] | dict[str, Any], part: int) -> str:
    """*name* made unique against *taken* by a part suffix (and a counter if even that is taken)."""
    new, n = f"{name}-p{part}", 1
    while new in taken:
        n += 1
        new = f"{name}-p{part}.{n}"
    return new


class _PartCopy:
    """Copies one part's structure elements into the writer; *memo* maps the reader's object
    numbers to the writer's references (its pages, annotations and already copied elements)."""

    def __init__(self, merge: StructureMerge, part: int) -> None:
        self.merge = merge
        self.part = part
        self.memo: dict[int, IndirectObject] = {}
        self.ids: dict[str, str] = {}
        self.roles: dict[str, str] = {}
        self.classes: dict[str, str] = {}

    def element_id(self, value: Any) -> TextStringObject:
        """An element id, renamed when an earlier part already used it (TH ids are per handout)."""
        old = str(value)
        if old not in self.ids:
            taken = self.merge.ids
            self.ids[old] = _renamed(old, taken.keys() | set(self.ids.values()), self.part) if old in taken else old
        return TextStringObject(self.ids[old])

    def copy(self, obj: Any) -> Any:
        if isinstance(obj, IndirectObject):
            return self._copy_indirect(obj)
        if isinstance(obj, DictionaryObject):
            new = DictionaryObject()
            self._fill(new, obj)
            return new
        if isinstance(obj, ArrayObject):
            return ArrayObject(self.copy(x) for x in obj if not self._dangling(x))
        return obj

    def _copy_indirect(self, ref: IndirectObject) -> Any:
        hit = self.memo.get(ref.idnum)
        if hit is not None:
            return hit
        target = ref.get_object()
        if isinstance(target, StreamObject):  # a marked-content reference into a form XObject
            new_ref = target.clone(self.merge.writer).indirect_reference
            assert new_ref is not None
            self.memo[ref.idnum] = new_ref
            return new_ref
        if not isinstance(target, (DictionaryObject, ArrayObject)):
            return self.copy(target)
        shell: Any = DictionaryObject() if isinstance(target, DictionaryObject) else ArrayObject()
        new_ref = self.merge.writer._add_object(shell)
        self.memo[ref.idnum] = new_ref
        if isinstance(target, DictionaryObject):
            self._fill(shell, target)
            if "/ID" in shell:
                self.merge.ids[str(shell["/ID"])] = new_ref
        else:
            shell.extend(self.copy(target))
        return new_ref

    def _dangling(self, item: Any) -> bool:
        """An object reference to an annotation pypdf did not copy (a link to a page left out)."""
        obj = item.get_object() if isinstance(item, IndirectObject) else item
        if not isinstance(obj, DictionaryObject) or obj.get("/Type") != "/OBJR":
            return False
        target = obj.get("/Obj")
        return not isinstance(target, IndirectObject) or target.idnum not in self.memo

    def _fill(self, new: DictionaryObject, src: DictionaryObject) -> None:
        for key, value in src.items():
            if key == "/S" and str(value) in self.roles:
                new[NameObject(key)] = NameObject(self.roles[str(value)])
            elif key == "/C":
                names = value if isinstance(value, ArrayObject) else [value]
                renamed = [NameObject(self.classes.get(str(c), str(c))) if isinstance(c, NameObject) else c
                           for c in names]
                new[NameObject(key)] = ArrayObject(renamed) if isinstance(value, ArrayObject) else renamed[0]
            elif key == "/ID":
                new[NameObject(key)] = self.element_id(value)
            elif key == "/Headers":
                new[NameObject(key)] = ArrayObject(self.element_id(h) for h in value.get_object())
            else:
                new[NameObject(key)] = self.copy(value)


class StructureMerge:
    """Collects the parts' structure in page order; :meth:`finish` writes the catalog entries."""

    def __init__(self, writer: PdfWriter) -> None:
        self.writer = writer
        self.root = DictionaryObject({NameObject("/Type"): NameObject("/StructTreeRoot")})
        self.root_ref = writer._add_object(self.root)
        self.document = DictionaryObject({NameObject("/Type"): NameObject("/StructElem"),
                                          NameObject("/S"): NameObject("/Document"),
                                          NameObject("/P"): self.root_ref, NameObject("/K"): ArrayObject()})
        self.document_ref = writer._add_object(self.document)
        self.parents: dict[int, Any] = {}
        self.next_key = 0
        self.ids: dict[str, IndirectObject] = {}
        self.role_map = DictionaryObject()
        self.class_map = DictionaryObject()
        self.parts = 0

    def add_part(self, reader: PdfReader, first_page: int, lang: str | None = None, title: str | None = None) -> bool:
        """Copy *reader*'s tree for its pages, appended at *first_page*; False if it has none."""
        found = _deref(reader.trailer["/Root"]).get("/StructTreeRoot")
        if found is None:
            return False
        tree = found.get_object()
        self.parts += 1
        part = _PartCopy(self, self.parts)
        self._merge_names(tree, part)
        base, high = self.next_key, self._map_pages(reader, first_page, part)
        part_el, kids = self._part_element(tree, part, lang, title)
        part_el[NameObject("/K")] = part.copy(ArrayObject(kids))
        for key, value in number_tree(tree.get("/ParentTree")).items():
            self.parents[key + base] = part.copy(value)
            high = max(high, key)
        self.next_key = base + max(high, int(tree.get("/ParentTreeNextKey", 0)) - 1) + 1
        return True

    def _merge_names(self, tree: DictionaryObject, part: _PartCopy) -> None:
        """RoleMap and ClassMap entries: kept when new or equal, else renamed for this part."""
        for key, merged, renames in (("/RoleMap", self.role_map, part.roles),
                                     ("/ClassMap", self.class_map, part.classes)):
            names: Any = (tree.get(key) or DictionaryObject()).get_object()
            for name, value in names.items():
                if name in merged and merged[name] != value:
                    renames[name] = _renamed(name, merged, part.part)
                merged[NameObject(renames.get(name, name))] = part.copy(value)

    def _map_pages(self, reader: PdfReader, first_page: int, part: _PartCopy) -> int:
        """Point the part's pages and annotations at the copies; renumber their parent keys.
        Returns the highest key the pages and annotations used (before renumbering)."""
        base, high = self.next_key, -1
        for i, page in enumerate(reader.pages):
            copied: Any = self.writer.pages[first_page + i]
            assert page.indirect_reference is not None and copied.indirect_reference is not None
            part.memo[page.indirect_reference.idnum] = copied.indirect_reference
            if "/StructParents" in page:
                key = int(_deref(page["/StructParents"]))
                copied[NameObject("/StructParents")] = NumberObject(key + base)
                high = max(high, key)
            by_key = {int(_deref(a)["/StructParent"]): a for a in copied.get("/Annots", ())
                      if isinstance(a, IndirectObject) and "/StructParent" in _deref(a)}
            annots: Any = page.get("/Annots", ())
            for annot in _deref(annots) if annots else ():
                key = _deref(annot).get("/StructParent")
                if isinstance(annot, IndirectObject) and key is not None and int(key) in by_key:
                    new = by_key[int(key)]
                    part.memo[annot.idnum] = new
                    _deref(new)[NameObject("/StructParent")] = NumberObject(int(key) + base)
                    high = max(high, int(key))
        return high

    def _part_element(self, tree: DictionaryObject, part: _PartCopy, lang: str | None,
                      title: str | None) -> tuple[DictionaryObject, list]:
        """A /Part under the document for this part; its kids are the part's top elements (the
        children of its own /Document element, which the /Part stands in for)."""
        el = DictionaryObject({NameObject("/Type"): NameObject("/StructElem"), NameObject("/S"): NameObject("/Part"),
                               NameObject("/P"): self.document_ref})
        ref = self.writer._add_object(el)
        assert tree.indirect_reference is not None
        part.memo[tree.indirect_reference.idnum] = ref
        kids = _kids(tree.get("/K"))
        if len(kids) == 1 and kids[0].get_object().get("/S") == "/Document":
            doc = kids[0].get_object()
            if isinstance(kids[0], IndirectObject):
                part.memo[kids[0].idnum] = ref
            if "/Pg" in doc:
                el[NameObject("/Pg")] = part.copy(doc["/Pg"])
            kids = _kids(doc.get("/K"))
        if lang:
            el[NameObject("/Lang")] = TextStringObject(lang)
        if title:
            el[NameObject("/T")] = TextStringObject(title)
        self.document["/K"].append(ref)  # type: ignore[attr-defined]
        return el, kids

    def finish(self, lang: str, title: str) -> None:
        """Write /StructTreeRoot, /MarkInfo, /Lang, the viewer's title preference and XMP into the catalog."""
        nums = ArrayObject()
        for key in sorted(self.parents):
            nums.extend((NumberObject(key), self.parents[key]))
        self.root[NameObject("/K")] = ArrayObject([self.document_ref])
        self.root[NameObject("/ParentTree")] = self.writer._add_object(DictionaryObject({NameObject("/Nums"): nums}))
        self.root[NameObject("/ParentTreeNextKey")] = NumberObject(self.next_key)
        if self.role_map:
            self.root[NameObject("/RoleMap")] = self.role_map
        if self.class_map:
            self.root[NameObject("/ClassMap")] = self.class_map
        if self.ids:
            names = ArrayObject()
            for name in sorted(self.ids):
                names.extend((TextStringObject(name), self.ids[name]))
            self.root[NameObject("/IDTree")] = DictionaryObject({NameObject("/Names"): names})
        catalog = self.writer._root_object
        catalog[NameObject("/StructTreeRoot")] = self.root_ref
        catalog[NameObject("/MarkInfo")] = DictionaryObject({NameObject("/Marked"): BooleanObject(True)})
        catalog[NameObject("/Lang")] = TextStringObject(lang)
        catalog[NameObject("/ViewerPreferences")] = DictionaryObject(
            {NameObject("/DisplayDocTitle"): BooleanObject(True)})
        xmp = StreamObject()
        xmp.set_data(xmp_packet(title, lang).encode("utf-8"))
        xmp.update({NameObject("/Type"): NameObject("/Metadata"), NameObject("/Subtype"): NameObject("/XML")})
        catalog[NameObject("/Metadata")] = self.writer._add_object(xmp)


def xmp_packet(title: str, lang: str) -> str:
    """XMP with the course title, language and the PDF/UA-1 claim the lectures' handouts make."""
    from xml.sax.saxutils import escape

    return f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(title)}</rdf:li></rdf:Alt></dc:title>
<dc:language><rdf:Bag><rdf:li>{escape(lang)}</rdf:li></rdf:Bag></dc:language>
<pdf:Producer>deckgen</pdf:Producer>
<pdfuaid:part>1</pdfuaid:part>
</rdf:Description></rdf:RDF></x:xmpmeta>
<?xpacket end="w"?>"""

