"""Open a template .pptx only when it is a sane zip of XML, before anything parses it.

A template comes from outside (an institution's file, a download): `templates.check_pptx_zip`
bounds its entries, sizes and ratios and refuses DTDs; here its parts are parsed with a parser
that never resolves entities or touches the network, and a template named in a project must lie
inside it.
"""
from __future__ import annotations

import functools
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

from deckgen.theme.templates import TemplateError, check_pptx_zip

if TYPE_CHECKING:
    from lxml import etree

__all__ = ["TemplateError", "check_location", "open_checked", "read_xml"]

MAX_XML_BYTES = 32 * 1024 * 1024


def open_checked(path: Path) -> zipfile.ZipFile:
    """An open ZipFile for *path* once `templates.check_pptx_zip` passed it (entries, sizes, ratios,
    no DTD) and it holds a presentation."""
    check_pptx_zip(path)
    z = zipfile.ZipFile(path)
    if "ppt/presentation.xml" not in z.namelist():
        z.close()
        raise TemplateError(f"{path}: no ppt/presentation.xml: not a PowerPoint presentation or template")
    return z


@functools.cache
def _parser() -> etree.XMLParser:
    """lxml is imported on first use: an up-to-date build checks a template's place, never its XML."""
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def read_xml(z: zipfile.ZipFile, name: str) -> etree._Element:
    """Parse one XML part, refusing DTDs (no entity tricks) and oversized parts."""
    info = z.getinfo(name)
    if info.file_size > MAX_XML_BYTES:
        raise TemplateError(f"{z.filename}: part {name} is {info.file_size // 2**20} MB of XML")
    data = z.read(name)
    if b"<!DOCTYPE" in data[:4096].upper() or b"<!ENTITY" in data.upper():
        raise TemplateError(f"{z.filename}: part {name} has a DTD (refused: templates must be plain XML)")
    from lxml import etree

    try:
        return etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as e:
        raise TemplateError(f"{z.filename}: part {name} is not well-formed XML ({e})") from None


def check_location(path: Path, allowed: list[Path]) -> Path:
    """The resolved *path* when it lies inside one of *allowed* folders (symlinks resolved)."""
    real = path.resolve()
    for root in allowed:
        try:
            real.relative_to(root.resolve())
            return real
        except ValueError:
            continue
    raise TemplateError(f"{path}: templates are read only from inside the project or a theme folder "
                        f"({', '.join(str(a) for a in allowed)})")
