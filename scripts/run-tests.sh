#!/usr/bin/env bash
# The whole suite: lint, format check, then pytest against the real services.
# Services this script had to start are stopped again when it ends.
#   run-tests.sh VENV [pytest args...]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
VENV=$1; shift
cd "$ROOT"
services=scripts/services.sh

started_here=0
if [ "$("$services" status | grep -c ' up ')" != 3 ]; then started_here=1; fi
cleanup() { if [ "$started_here" = 1 ]; then "$services" stop; fi; }
trap cleanup EXIT

"$services" start
mkdir -p .dev  # test.ini's storage and xloader's job log live here
# shellcheck source=/dev/null
eval "$(scripts/ckan-env.sh "$VENV")"
"$services" db "$VNDATA_TEST_DB"
"$services" datastore "$VNDATA_TEST_DB" "$VENV" test.ini
"$services" solr-core "$VNDATA_TEST_CORE" "$VENV/bin/python"

echo "[test] ruff check" >&2
"$VENV/bin/ruff" check .
echo "[test] ruff format --check" >&2
"$VENV/bin/ruff" format --check .
echo "[test] pytest (CKAN $("$VENV/bin/python" -c 'import ckan; print(ckan.__version__)'))" >&2
"$VENV/bin/python" -m pytest "$@"
