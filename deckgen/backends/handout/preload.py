"""Import WeasyPrint before the handout stage forks its child (deckgen.bounds.deadline), so the
import happens once per process, not once per note."""
from __future__ import annotations


def preload_weasyprint() -> None:
    import weasyprint  # noqa: F401
