"""Resource bounds shared by every stage: the limits themselves (``limits``: defaults and the
``[limits]`` table of deckgen.toml), opening images within them before decoding (``images``), and
running a stage in a child killed at a wall-clock limit (``deadline``)."""
