#!/usr/bin/env bash
# The whole suite: checks, then pytest on SQLite, then on PostgreSQL when reachable.
# REQUIRE_POSTGRES=1 (set by .ci/run) turns "PostgreSQL unreachable" into a failure,
# and REQUIRE_BROWSER=1 makes the browser tests fail instead of skip without Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
PG_URL=${NETRAL_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/test}
WORKERS=${PYTEST_WORKERS:-2}

echo "== migrations are up to date"
DATABASE_URL= $BIN/netral makemigrations --check --dry-run >/dev/null

echo "== pytest on SQLite"
DATABASE_URL= $BIN/pytest -q -n "$WORKERS" "$@"

pg_reachable() {
  $BIN/python - "$PG_URL" <<'PY'
import sys, psycopg
try:
    psycopg.connect(sys.argv[1].replace("postgres://", "postgresql://"), connect_timeout=3).close()
except Exception as exc:
    print(f"PostgreSQL not reachable: {exc}", file=sys.stderr)
    sys.exit(1)
PY
}

if pg_reachable; then
  echo "== pytest on PostgreSQL ($PG_URL)"
  DATABASE_URL=$PG_URL $BIN/pytest -q -n "$WORKERS" --create-db "$@"
elif [[ "${REQUIRE_POSTGRES:-0}" == "1" ]]; then
  echo "PostgreSQL was required (REQUIRE_POSTGRES=1) but is not reachable" >&2
  exit 1
else
  echo "== PostgreSQL not reachable: skipped (set REQUIRE_POSTGRES=1 to make this fail)"
fi
