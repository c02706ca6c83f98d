#!/usr/bin/env bash
# Shrink the vendored flag-icons SVGs (themes/default/static/vendor/flag-icons/4x3) for
# the size glyph shows them at (20×15): svgo 3 from npm, with the rounding and the
# hairline-dropping of scripts/svgo-flags.config.mjs. Run after updating the vendored
# flags from a fresh `npm pack flag-icons@7`; the output is committed. Idempotent.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
flags="$here/../themes/default/static/vendor/flag-icons/4x3"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm init -y >/dev/null && npm install --silent svgo@3 >/dev/null)
cp "$here/svgo-flags.config.mjs" "$tmp/"
before=$(du -cb "$flags"/*.svg | tail -1 | cut -f1)
"$tmp/node_modules/.bin/svgo" --config "$tmp/svgo-flags.config.mjs" -q -f "$flags"
after=$(du -cb "$flags"/*.svg | tail -1 | cut -f1)
echo "flags: $before → $after bytes"
