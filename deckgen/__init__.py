"""deckgen: Korean Markdown lecture notes -> editable PPTX decks and PDF handouts."""

__version__ = "0.1.0"
"""The release version, shown by ``deckgen --version`` and written into the build cache.  Kept
equal to pyproject.toml's by a test: reading it from the installed metadata (importlib.metadata)
cost 0.03 s of CPU on every run, a tenth of an up-to-date rebuild."""
