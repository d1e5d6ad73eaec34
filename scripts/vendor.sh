#!/usr/bin/env bash
# Refresh the vendored front-end libraries from the npm registry (run by hand, never at build time).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
npm pack --silent htmx.org@2.0.11 @picocss/pico@2.1.1 chart.js@4.5.1 >/dev/null
for t in *.tgz; do mkdir -p "${t%.tgz}" && tar xzf "$t" -C "${t%.tgz}"; done
v="$here/static/vendor"
cp htmx.org-2.0.11/package/dist/htmx.min.js htmx.org-2.0.11/package/LICENSE "$v/htmx/"
cp picocss-pico-2.1.1/package/css/pico.min.css picocss-pico-2.1.1/package/LICENSE.md "$v/pico/"
mkdir -p "$v/chartjs"
cp chart.js-4.5.1/package/dist/chart.umd.min.js chart.js-4.5.1/package/LICENSE.md "$v/chartjs/"
