#!/usr/bin/env bash
# Refresh the vendored front-end libraries from the npm registry (run by hand, never at build time).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
npm pack --silent htmx.org@2.0.11 @picocss/pico@2.1.1 chart.js@4.5.1 altcha@3.2.2 >/dev/null
for t in *.tgz; do mkdir -p "${t%.tgz}" && tar xzf "$t" -C "${t%.tgz}"; done
v="$here/static/vendor"
cp htmx.org-2.0.11/package/dist/htmx.min.js htmx.org-2.0.11/package/LICENSE "$v/htmx/"
cp picocss-pico-2.1.1/package/css/pico.min.css picocss-pico-2.1.1/package/LICENSE.md "$v/pico/"
mkdir -p "$v/chartjs"
cp chart.js-4.5.1/package/dist/chart.umd.min.js chart.js-4.5.1/package/LICENSE.md "$v/chartjs/"
# ALTCHA (proof-of-work challenge, issue 14 point 3): the "external" ES module build, which
# injects no <style> and no data:/blob: worker, so it runs under the Content Security Policy;
# its stylesheet, the PBKDF2 worker it needs, and the Indonesian/English strings.
mkdir -p "$v/altcha"
a=altcha-3.2.2/package
cp "$a/dist/external/altcha.min.js" "$a/dist/external/altcha.css" "$a/LICENSE.txt" "$v/altcha/"
cp "$a/dist/workers/pbkdf2.js" "$v/altcha/worker-pbkdf2.js"
cp "$a/dist/i18n/id.js" "$v/altcha/i18n-id.js"
cp "$a/dist/i18n/en.js" "$v/altcha/i18n-en.js"
