#!/usr/bin/env bash
# Set up (with the test tools: LibreOffice Impress, poppler-utils, qpdf, strace, eot2ttf, Chromium), lint (ruff), type-check
# (mypy) and run the tests; any failure fails the script.  Extra arguments go to pytest, e.g. -k layout or -x.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh --test
echo "test: ruff check deckgen tests"
.venv/bin/ruff check deckgen tests
echo "test: mypy deckgen"
.venv/bin/mypy deckgen
echo "test: python -m pytest -q tests $*"
exec .venv/bin/python -m pytest -q tests "$@"
