"""deckgen: Korean Markdown lecture notes -> editable PPTX decks and PDF handouts."""

__version__ = "0.1.0"
