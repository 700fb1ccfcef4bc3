#!/usr/bin/env bash
# The whole test suite: sets up what is missing (npm packages, GDAL, PostGIS), type-checks, then runs
# every test file against real PostgreSQL/PostGIS (PG_TEST_URL, default the local server) and PGlite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --for-tests
export PG_TEST_URL="${PG_TEST_URL:-postgres://postgres@127.0.0.1:5432/test}"
if ! pg_isready -q -d "$PG_TEST_URL"; then
  echo "PostgreSQL does not answer at $PG_TEST_URL." >&2
  echo "Start it (Debian: pg_ctlcluster 15 main start) or set PG_TEST_URL to a server with PostGIS available." >&2
  exit 1
fi
npx tsc -p tsconfig.json
exec node --import tsx scripts/run-tests.ts "$@"
