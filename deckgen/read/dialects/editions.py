"""The marks lecturers use for instructor-only content, one spelling list for every dialect:
a pandoc div (`::: instructor`, `::: {.instructor}`), a kramdown IAL after a block
(`{: .instructor}`), an Obsidian/GitHub callout (`> [!instructor]`) and an HTML container
(`<div class="instructor" markdown="1">`).  Parsed into :class:`deckgen.model.Instructor`."""
from __future__ import annotations

__all__ = ["INSTRUCTOR_NAMES", "is_instructor", "div_name"]

INSTRUCTOR_NAMES = frozenset({"instructor", "instructor-only", "teacher", "teacher-only"})
"""Class, div and callout names that mark content for the instructor (lower case)."""


def is_instructor(name: str) -> bool:
    return name.strip().lower() in INSTRUCTOR_NAMES


def div_name(params: str) -> str:
    """The class a fenced div's opening line names: `instructor`, `{.instructor}`, `{.instructor #id}`."""
    words = params.strip().lstrip("{").rstrip("}").split()
    classes = [w[1:] for w in words if w.startswith(".")]
    return (classes[0] if classes else words[0] if words else "").lower()
