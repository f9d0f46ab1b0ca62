#!/usr/bin/env bash
# Build the sample lecture notes in content/ into out/ (PPTX deck + PDF handout each).
# Extra arguments go to `deckgen build`, e.g. --format pptx or -v.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
echo "build-samples: deckgen build content -o out $*"
exec .venv/bin/deckgen build content -o out "$@"
