#!/usr/bin/env bash
# Run every benchmark in bench/ against the real services, in a database and Solr core of
# its own (ckan_bench), and print its figures.
#   bench.sh VENV [bench/bench_x.py [ARG ...]]
# With a benchmark named, only that one runs (with its arguments). $VNDATA_BENCH_DB names
# the database and core, so that two engineers' benchmarks do not clean each other's.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
VENV=$1
shift
cd "$ROOT"
DB=${VNDATA_BENCH_DB:-ckan_bench}
scripts/services.sh db "$DB"
scripts/services.sh solr-core "$DB" "$VENV/bin/python"
export CKAN_SQLALCHEMY_URL=postgresql://ckan_default:pass@127.0.0.1:${VNDATA_PG_PORT:-5433}/$DB
export CKAN_SOLR_URL=http://127.0.0.1:${VNDATA_SOLR_PORT:-8983}/solr/$DB
# test.ini loads the DataStore, which needs a database of its own.
export CKAN_DATASTORE_WRITE_URL=postgresql://ckan_default:pass@127.0.0.1:${VNDATA_PG_PORT:-5433}/${DB}_datastore
export CKAN_DATASTORE_READ_URL=postgresql://datastore_ro:pass@127.0.0.1:${VNDATA_PG_PORT:-5433}/${DB}_datastore
scripts/services.sh datastore "$DB" "$VENV" test.ini
# The harvest queues of bench_national's consumers: a Redis database of their own.
export CKAN_REDIS_URL=redis://127.0.0.1:${VNDATA_REDIS_PORT:-6380}/${VNDATA_REDIS_DB:-1}
ckan="$VENV/bin/ckan -c test.ini"
benches=(bench/bench_*.py)
args=()
if [ $# -gt 0 ]; then
  benches=("$1")
  args=("${@:2}")
fi
for bench in "${benches[@]}"; do
  # Each benchmark starts from an empty, fully migrated site.
  $ckan db clean --yes >/dev/null 2>&1
  $ckan db init >/dev/null 2>&1
  $ckan db upgrade -p activity >/dev/null 2>&1
  $ckan db upgrade -p harvest >/dev/null 2>&1
  $ckan db upgrade -p vndata_plan >/dev/null 2>&1
  $ckan db upgrade -p vndata_harvester >/dev/null 2>&1
  $ckan db upgrade -p vndata_quality >/dev/null 2>&1
  $ckan search-index clear >/dev/null 2>&1  # db clean leaves the core's documents
  echo "== $bench"
  "$VENV/bin/python" "$bench" "${args[@]}"
done
