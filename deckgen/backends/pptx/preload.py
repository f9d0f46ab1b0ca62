"""Getting a course build's parent ready to fork the deck workers: the libraries the deck writer
imports on its first note (fontTools and the font tables it reads, Pillow's format plugins for
pictures) are imported once, before the pool forks, instead of once in every worker (about
0.15 s of CPU per worker)."""
from __future__ import annotations

__all__ = ["preload_deck_writer"]


def preload_deck_writer() -> None:
    from fontTools.misc import sstruct  # noqa: F401
    from fontTools.ttLib import TTFont  # noqa: F401
    from fontTools.ttLib.tables import O_S_2f_2, _c_m_a_p, _h_e_a_d, _m_a_x_p, _n_a_m_e, _p_o_s_t  # noqa: F401
    from PIL import Image

    from deckgen.backends.pptx import writer  # noqa: F401  (python-pptx, lxml)
    from deckgen.render import raster  # noqa: F401

    Image.init()
