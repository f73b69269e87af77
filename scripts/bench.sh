#!/usr/bin/env bash
# Run every benchmark in bench/ against the real services, in a database and Solr core of
# its own (ckan_bench), and print its figures.
#   bench.sh VENV
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
VENV=$1
cd "$ROOT"
scripts/services.sh db ckan_bench
scripts/services.sh solr-core ckan_bench "$VENV/bin/python"
export CKAN_SQLALCHEMY_URL=postgresql://ckan_default:pass@127.0.0.1:${VNDATA_PG_PORT:-5433}/ckan_bench
export CKAN_SOLR_URL=http://127.0.0.1:${VNDATA_SOLR_PORT:-8983}/solr/ckan_bench
# test.ini loads the DataStore, which needs a database of its own.
export CKAN_DATASTORE_WRITE_URL=postgresql://ckan_default:pass@127.0.0.1:${VNDATA_PG_PORT:-5433}/ckan_bench_datastore
export CKAN_DATASTORE_READ_URL=postgresql://datastore_ro:pass@127.0.0.1:${VNDATA_PG_PORT:-5433}/ckan_bench_datastore
scripts/services.sh datastore ckan_bench "$VENV" test.ini
ckan="$VENV/bin/ckan -c test.ini"
for bench in bench/bench_*.py; do
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
  "$VENV/bin/python" "$bench"
done
