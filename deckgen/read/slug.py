"""Heading anchors: the slug a `#anchor` link and a handout bookmark use."""
from __future__ import annotations

import re


def slugify(text: str) -> str:
    s = re.sub(r"[^\w\s-]", "", text.lower(), flags=re.U).strip()
    return re.sub(r"[\s]+", "-", s) or "section"
