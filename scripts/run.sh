#!/usr/bin/env bash
# `make run`: the web server and two background workers (one for every job, one for the short
# ones only, so a mail never waits behind an import: docs/how-to/deploy.md), stopped together.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
ADDR=${1:-127.0.0.1:8000}
$BIN/netral worker &
WORKER=$!
$BIN/netral worker --queues default &
SHORT=$!
trap 'kill $WORKER $SHORT 2>/dev/null; wait $WORKER $SHORT 2>/dev/null' EXIT INT TERM
$BIN/netral runserver "$ADDR"
