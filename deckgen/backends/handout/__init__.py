"""Handout backend: semantic model in, PDF handout out (WeasyPrint)."""
