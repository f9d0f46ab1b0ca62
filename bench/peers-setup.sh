#!/usr/bin/env bash
# Install the peers deckgen is measured against, outside git: pandoc (Debian package) and
# Marp CLI (npm, pinned) into bench/.peers/, driving Debian's Chromium.  Safe to run twice:
# a second run installs nothing.
#
#   bash bench/peers-setup.sh          # then: bench/.peers/env.sh is sourced by the bench scripts
#
# Marp CLI renders through Chromium (puppeteer-core: it never downloads a browser itself).
# CHROME_PATH points it at /usr/bin/chromium.  As root Chromium refuses to start without
# --no-sandbox; Marp CLI adds that flag itself when it runs as root or when CHROME_NO_SANDBOX is
# set (both are honoured by marp-cli 4.x), so env.sh sets CHROME_NO_SANDBOX=1 for other users in
# containers too.  puppeteer-core launches Chromium with --disable-background-networking,
# --disable-sync, --disable-default-apps, --no-first-run, --metrics-recording-only and Marp adds
# --disable-component-update: the browser makes no network calls of its own.
set -euo pipefail

MARP_VERSION=4.5.1
cd "$(dirname "${BASH_SOURCE[0]}")"
PEERS=$PWD/.peers

say() { printf 'peers-setup: %s\n' "$*"; }
die() { printf 'peers-setup: error: %s\n' "$*" >&2; exit 1; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else die "need root for: $*"; fi; }
is_installed() { [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]; }

# --- Debian packages: pandoc, Chromium, Node.js with npm -------------------------
want=()
is_installed pandoc || command -v pandoc >/dev/null || want+=(pandoc)
is_installed chromium || command -v chromium >/dev/null || want+=(chromium)
command -v node >/dev/null || want+=(nodejs)
command -v npm >/dev/null || want+=(npm)
if [ ${#want[@]} -gt 0 ]; then
  command -v apt-get >/dev/null || die "no apt-get: install ${want[*]} yourself"
  say "apt-get install ${want[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${want[@]}" >/dev/null
else
  say "pandoc, chromium, node, npm: ok"
fi

# --- Marp CLI, pinned, in bench/.peers/ (listed in .gitignore) ----------------------
mkdir -p "$PEERS"
have=$(cd "$PEERS" && node -p 'require("@marp-team/marp-cli/package.json").version' 2>/dev/null || true)
if [ "$have" != "$MARP_VERSION" ]; then
  say "npm install @marp-team/marp-cli@$MARP_VERSION into $PEERS"
  [ -f "$PEERS/package.json" ] || printf '{ "private": true }\n' >"$PEERS/package.json"
  # PUPPETEER_SKIP_DOWNLOAD: never fetch a browser; Debian's Chromium is the one used
  (cd "$PEERS" && PUPPETEER_SKIP_DOWNLOAD=1 npm install --no-audit --no-fund --loglevel=error \
     --save-exact "@marp-team/marp-cli@$MARP_VERSION")
else
  say "marp-cli $MARP_VERSION: ok"
fi

CHROME=$(command -v chromium || true)
[ -n "$CHROME" ] || die "chromium not found (Ubuntu ships it as a snap: set CHROME_PATH to a Chrome binary)"
cat >"$PEERS/env.sh" <<EOF
# written by bench/peers-setup.sh: the peers' commands and their browser
export MARP="$PEERS/node_modules/.bin/marp"
export PANDOC="$(command -v pandoc)"
export CHROME_PATH="\${CHROME_PATH:-$CHROME}"
export CHROME_NO_SANDBOX=1
EOF
say "marp $("$PEERS/node_modules/.bin/marp" --version | head -1 | tr -d '\n'), $(pandoc --version | head -1), $("$CHROME" --version 2>/dev/null | head -1)"
