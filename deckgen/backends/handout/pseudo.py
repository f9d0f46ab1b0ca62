"""Pseudo-element styles computed when WeasyPrint asks for them, not for every element upfront.

WeasyPrint's user-agent stylesheet has universal rules for six pseudo-elements (`::marker`,
`::footnote-call`, `::footnote-marker`, `::note-call`, `::note-marker`, `::note-callback`), so
its cascade (`css.StyleFor`) computes six styles for every element of the page, before any box
exists, and keeps them all until the last page is laid out.  Boxes ask for few of them (a
marker for list items, a footnote call for footnotes): on a 100-section handout that was 25,722
styles computed for 4,287 elements, with their cascaded and specified dictionaries a third of
the memory held while pages are laid out.

install_lazy_pseudo_styles has StyleFor keep each such pseudo-element's cascaded declarations
(one shared dictionary per distinct set of declarations) and compute its style the first time a
box asks for it: the same style from the same declarations and parent, so the same pages.  A
pseudo-element declaring an anchor is computed at once as before (anchors are collected as
styles are computed, in document order, for target-counter()).
"""
from __future__ import annotations

from typing import Any

__all__ = ["install_lazy_pseudo_styles"]


def install_lazy_pseudo_styles() -> bool:
    """Have WeasyPrint's cascade compute pseudo-element styles on first use (idempotent);
    False, leaving WeasyPrint as it is, when its cascade is not shaped as expected."""
    from weasyprint import css

    base = getattr(css, "StyleFor", None)
    if base is None or not all(hasattr(base, name) for name in
                               ("set_computed_styles", "get_cascaded_styles", "__call__")):
        return False
    if not getattr(base, "deckgen_lazy", False):
        css.StyleFor = _lazy(base)
    return True


def _lazy(base: Any) -> Any:
    """A StyleFor that notes pseudo-elements during its cascade and computes them when asked."""

    class LazyStyleFor(base):
        __doc__ = base.__doc__
        deckgen_lazy = True

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            self.deckgen_deferred: dict[tuple[Any, str], dict[str, Any]] = {}
            self.deckgen_context: tuple[Any, ...] = ()
            self.deckgen_shared: dict[tuple[Any, ...], dict[str, Any]] | None = {}
            try:
                base.__init__(self, *args, **kwargs)
            finally:
                self.deckgen_shared = None          # the cascade is over: compute at once again

        def set_computed_styles(self, element: Any, parent: Any, root: Any = None,
                                pseudo_type: str | None = None, base_url: Any = None,
                                target_collector: Any = None) -> None:
            cascaded = self.get_cascaded_styles().get((element, pseudo_type))
            if (self.deckgen_shared is None or not pseudo_type or parent is not element or not cascaded
                    or "anchor" in cascaded):
                base.set_computed_styles(self, element, parent, root=root, pseudo_type=pseudo_type,
                                         base_url=base_url, target_collector=target_collector)
                return
            key = tuple((name, id(values), weight) for name, (values, weight) in cascaded.items())
            shared = self.deckgen_shared.setdefault(key, cascaded)
            self.deckgen_deferred[element, pseudo_type] = shared
            self.deckgen_context = (root, base_url, target_collector)   # the same for all of them

        def __call__(self, element: Any, pseudo_type: str | None = None) -> Any:
            cascaded = self.deckgen_deferred.pop((element, pseudo_type), None) if pseudo_type else None
            if cascaded is not None:
                root, base_url, collector = self.deckgen_context
                cascade = self.get_cascaded_styles()
                cascade[element, pseudo_type] = cascaded   # read by set_computed_styles only
                try:
                    base.set_computed_styles(self, element, element, root=root, pseudo_type=pseudo_type,
                                             base_url=base_url, target_collector=collector)
                finally:
                    del cascade[element, pseudo_type]
            return base.__call__(self, element, pseudo_type)

    return LazyStyleFor
