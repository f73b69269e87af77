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

# The database, DataStore and Solr core that the environment in effect points at.
prepare() {
  "$services" db "$VNDATA_TEST_DB"
  "$services" datastore "$VNDATA_TEST_DB" "$VENV" test.ini
  "$services" solr-core "$VNDATA_TEST_CORE" "$VENV/bin/python"
}

# VNDATA_TEST_WORKERS pytest processes (pytest-xdist; `make test` runs 2; tests/workers.py):
# worker gwN has its own database, DataStore and Solr core (<db>_gwN), Redis database
# (VNDATA_REDIS_DB+1+N), storage folder and SMTP port, written to
# .dev/test-workers/<db>/gwN.env, which tests/conftest.py applies in that worker.
workers=${VNDATA_TEST_WORKERS:-1}
[[ "$workers" =~ ^[1-9][0-9]*$ ]] || { echo "VNDATA_TEST_WORKERS must be a number: $workers" >&2; exit 2; }
if [ "$workers" -gt 1 ]; then
  base_db=$(scripts/ckan-env.sh "$VENV" | sed -n 's/^export VNDATA_TEST_DB=//p')
  base_redis=${VNDATA_REDIS_DB:-1}
  if [ $((base_redis + workers)) -gt 15 ]; then
    echo "VNDATA_REDIS_DB=$base_redis leaves no Redis database for $workers workers (0-15)" >&2
    exit 2
  fi
  env_dir="$ROOT/.dev/test-workers/$base_db"
  mkdir -p "$env_dir"
  for n in $(seq 0 $((workers - 1))); do
    {
      VNDATA_TEST_DB="${base_db}_gw$n" VNDATA_REDIS_DB=$((base_redis + 1 + n)) \
        scripts/ckan-env.sh "$VENV"
      echo "export CKAN_STORAGE_PATH=$ROOT/.dev/test-storage-${base_db}_gw$n"
      echo "export CKAN_SMTP_SERVER=127.0.0.1:$((6676 + n))"
    } > "$env_dir/gw$n.env"
    # shellcheck source=/dev/null
    (eval "$(cat "$env_dir/gw$n.env")" && prepare)
  done
  export VNDATA_TEST_WORKER_ENV="$env_dir"
  # A worker that dies is not replaced: its replacement (gw2...) has no services.
  set -- -n "$workers" --dist loadgroup --max-worker-restart=0 "$@"
fi
# shellcheck source=/dev/null
eval "$(scripts/ckan-env.sh "$VENV")"
prepare  # with workers too: the controlling process loads CKAN over it

echo "[test] ruff check" >&2
"$VENV/bin/ruff" check .
echo "[test] ruff format --check" >&2
"$VENV/bin/ruff" format --check .
echo "[test] pytest (CKAN $("$VENV/bin/python" -c 'import ckan; print(ckan.__version__)'))" >&2
"$VENV/bin/python" -m pytest "$@"
