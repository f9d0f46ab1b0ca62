#!/usr/bin/env bash
# Set up a Debian/Ubuntu machine for deckgen: system libraries, Korean fonts,
# a .venv with deckgen installed in editable mode.  Idempotent: a second run
# installs nothing and takes about a second.
#
#   bash scripts/setup.sh          # what building decks needs
#   bash scripts/setup.sh --test   # also LibreOffice Impress, poppler-utils, qpdf, strace, chromium, eot2ttf
#
# Environment: PYTHON=/path/to/python3.11+ picks the interpreter for a new .venv.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
VENV=$ROOT/.venv
STAMP=$VENV/.deckgen-install-stamp
EXTRAS="test"

with_test=0
for arg in "$@"; do
  case $arg in
    --test) with_test=1 ;;
    -h|--help) sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "setup: unknown option: $arg (usage: setup.sh [--test])" >&2; exit 2 ;;
  esac
done

say() { printf 'setup: %s\n' "$*"; }
die() { printf 'setup: error: %s\n' "$*" >&2; exit 1; }

# --- privileges ---------------------------------------------------------------
as_root() {  # run a command as root: directly when root, else through sudo
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    die "need root or sudo to run: $*"
  fi
}

# --- system packages ----------------------------------------------------------
is_installed() {  # is_installed PKG -> 0 when dpkg says "install ok installed"
  [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]
}

has_candidate() {  # has_candidate PKG -> 0 when apt could install PKG
  local c
  c=$(apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ {print $2}')
  [ -n "$c" ] && [ "$c" != "(none)" ]
}

apt_updated=0
apt_update() {  # apt-get update, once per run
  [ $apt_updated -eq 0 ] || return 0
  say "apt-get update"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  apt_updated=1
}

apt_install() {  # apt_install PKG...
  [ $# -gt 0 ] || return 0
  apt_update
  say "apt-get install $*"
  as_root env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

need_fonts() {  # 0 when no Korean font, or the default theme's NanumBarunGothic, is installed
  command -v fc-list >/dev/null 2>&1 || return 0
  [ -n "$(fc-list :lang=ko family 2>/dev/null)" ] || return 0
  [ -n "$(fc-list 'NanumBarunGothic' family 2>/dev/null)" ] || return 0
  return 1
}

find_python() {  # prints the first python3 >= 3.11 found
  local py
  for py in "${PYTHON:-}" python3 python3.13 python3.12 python3.11; do
    [ -n "$py" ] || continue
    command -v "$py" >/dev/null 2>&1 || continue
    if "$py" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      command -v "$py"
      return 0
    fi
  done
  return 1
}

if command -v dpkg-query >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  missing=()   # must be installed
  optional=()  # installed when this release packages it
  # WeasyPrint's runtime; libcairo2 for CairoSVG, graphviz for ```dot diagrams
  for pkg in libpango-1.0-0 libpangoft2-1.0-0 fontconfig libcairo2 graphviz; do
    is_installed "$pkg" || missing+=("$pkg")
  done
  # WeasyPrint warns when HarfBuzz-subset is missing; older releases lack the
  # package, so it is looked for only when the package lists are absent or have it.
  if ! is_installed libharfbuzz-subset0 && ! ldconfig -p 2>/dev/null | grep -q 'libharfbuzz-subset\.so\.0'; then
    if has_candidate libharfbuzz-subset0 || ! has_candidate fontconfig; then
      optional+=(libharfbuzz-subset0)
    fi
  fi
  if need_fonts && ! is_installed fonts-nanum; then missing+=(fonts-nanum); fi
  # The theme's per-script fallback faces ([fonts.fallback]): Noto Sans CJK for Han and
  # Kana, Symbola for emoji and symbols (outlines: LibreOffice leaves colour-bitmap emoji
  # blank in PDF).  Without them a deck still builds, with a warning per missing script.
  for pkg in fonts-noto-cjk fonts-symbola; do
    is_installed "$pkg" || optional+=("$pkg")
  done
  if [ $with_test -eq 1 ]; then
    # eot2ttf (libeot): the tests turn the deck's embedded EOT fonts back into TrueType
    for pkg in libreoffice-impress poppler-utils qpdf strace eot2ttf; do
      is_installed "$pkg" || missing+=("$pkg")
    done
    # headless Chromium screenshots the course pack's index.html (Debian names it chromium;
    # where it is not packaged, e.g. Ubuntu's snap-only build, that one test is skipped)
    if ! is_installed chromium && ! command -v chromium >/dev/null 2>&1; then optional+=(chromium); fi
  fi
  if ! find_python >/dev/null; then
    missing+=(python3 python3-venv)
  fi
  if [ ${#missing[@]} -gt 0 ] || [ ${#optional[@]} -gt 0 ]; then
    apt_update
    for pkg in ${optional[@]+"${optional[@]}"}; do
      if has_candidate "$pkg"; then missing+=("$pkg"); else say "$pkg is not packaged here: skipped"; fi
    done
    apt_install ${missing[@]+"${missing[@]}"}
  else
    say "system packages: ok"
  fi
  if need_fonts; then
    say "warning: NanumBarunGothic not found; the default theme falls back to another Korean font"
  fi
else
  say "no apt-get: install Pango, fontconfig and Korean fonts (Nanum) yourself"
fi

# --- Python virtual environment ------------------------------------------------
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -m pip --version >/dev/null 2>&1; then
  PY=$(find_python) || die "need Python 3.11 or newer (set PYTHON=/path/to/python3.11+)"
  if ! "$PY" -c 'import venv, ensurepip' >/dev/null 2>&1; then
    # Debian and Ubuntu ship venv's pip bootstrap (ensurepip) in a separate package.
    command -v apt-get >/dev/null 2>&1 || die "$PY lacks the venv/ensurepip modules"
    ver=$("$PY" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
    apt_update
    venv_pkgs=(python3-venv)
    if has_candidate "python$ver-venv"; then venv_pkgs+=("python$ver-venv"); fi
    apt_install "${venv_pkgs[@]}"
    "$PY" -c 'import venv, ensurepip' >/dev/null 2>&1 \
      || die "$PY still lacks ensurepip; install python$ver-venv or set PYTHON=..."
  fi
  rm -rf "$VENV"
  say "creating .venv with $PY ($("$PY" --version 2>&1))"
  "$PY" -m venv "$VENV"
fi

want="$(cat pyproject.toml setup.py | sha256sum | cut -d' ' -f1) extras=$EXTRAS $("$VENV/bin/python" --version 2>&1)"
have=$(cat "$STAMP" 2>/dev/null || true)
installed_here() {  # the .venv's deckgen is this checkout's deckgen/ (editable)
  [ -x "$VENV/bin/deckgen" ] && (cd / && "$VENV/bin/python" -c '
import importlib.util, sys
spec = importlib.util.find_spec("deckgen")
sys.exit(not (spec and sys.argv[1] in list(spec.submodule_search_locations or ())))
' "$ROOT/deckgen") >/dev/null 2>&1
}
if [ "$want" != "$have" ] || ! installed_here; then
  say "pip install -e '.[$EXTRAS]' into .venv"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check -e ".[$EXTRAS]"
  printf '%s\n' "$want" >"$STAMP"
else
  say ".venv: up to date"
fi
