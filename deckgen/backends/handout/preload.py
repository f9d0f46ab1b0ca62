"""Getting the building process ready to fork the handout's child (deckgen.bounds.deadline):
WeasyPrint imported once per process, not once per note, and the heap given back to the system.

The deck stage leaves hundreds of megabytes freed but kept by the C allocator (glibc keeps freed
memory for reuse): 350 MB after the deck of a 1,000-section note.  A forked child starts with
all of it resident, and it counts in the child's memory as much as its own pages do."""
from __future__ import annotations

import ctypes
import ctypes.util
import functools
import gc

__all__ = ["preload_weasyprint", "release_free_memory"]


def preload_weasyprint() -> None:
    import weasyprint  # noqa: F401


@functools.lru_cache(maxsize=1)
def _libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
    except OSError:
        return None
    return libc if libc is not None and hasattr(libc, "malloc_trim") else None


def release_free_memory() -> bool:
    """Collect the deck stage's garbage cycles (python-pptx and lxml objects), then hand the
    heap's free pages back to the system (glibc's malloc_trim); False where the C library has no
    such call (macOS, musl), which changes nothing but the memory figure."""
    gc.collect()
    libc = _libc()
    if libc is None:
        return False
    libc.malloc_trim(0)
    return True
