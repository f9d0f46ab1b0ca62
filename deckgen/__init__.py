"""deckgen: Korean Markdown lecture notes -> editable PPTX decks and PDF handouts."""

from importlib import metadata

try:
    __version__ = metadata.version("deckgen")
    """The installed distribution's version (pyproject.toml), shown by ``deckgen --version``."""
except metadata.PackageNotFoundError:      # imported from a checkout that was never installed
    __version__ = "0+unknown"
