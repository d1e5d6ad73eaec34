#!/usr/bin/env bash
# `make run`: the web server and one background worker, stopped together (Ctrl+C).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
ADDR=${1:-127.0.0.1:8000}
$BIN/netral worker &
WORKER=$!
trap 'kill $WORKER 2>/dev/null; wait $WORKER 2>/dev/null' EXIT INT TERM
$BIN/netral runserver "$ADDR"
