#!/usr/bin/env bash
# Set up (with the test tools: LibreOffice Impress, poppler-utils, qpdf) and run the tests.
# Extra arguments go to pytest, e.g. -k layout or -x.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh --test
echo "test: python -m pytest -q tests $*"
exec .venv/bin/python -m pytest -q tests "$@"
