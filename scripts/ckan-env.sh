#!/usr/bin/env bash
# Print the environment that points test.ini at the database and Solr core of one CKAN leg
# (each CKAN version has its own, so both legs can share the running services; a second
# checkout sets VNDATA_TEST_DB and VNDATA_REDIS_DB to share them too).
#   eval "$(scripts/ckan-env.sh VENV)"
set -euo pipefail
VENV=$1
version=$("$VENV/bin/python" -c 'import ckan; print("".join(ckan.__version__.split(".")[:2]))')
pg_port=${VNDATA_PG_PORT:-5433}
solr_port=${VNDATA_SOLR_PORT:-8983}
redis_port=${VNDATA_REDIS_PORT:-6380}
if [ "$version" = 211 ]; then suffix=""; else suffix="_$version"; fi
# VNDATA_TEST_DB gives a parallel checkout its own database and Solr core.
db=${VNDATA_TEST_DB:-ckan_test$suffix}
cat <<ENV
export VNDATA_TEST_DB=$db
export VNDATA_TEST_CORE=$db
export CKAN_SQLALCHEMY_URL=postgresql://ckan_default:pass@127.0.0.1:$pg_port/$db
export CKAN_DATASTORE_WRITE_URL=postgresql://ckan_default:pass@127.0.0.1:$pg_port/${db}_datastore
export CKAN_DATASTORE_READ_URL=postgresql://datastore_ro:pass@127.0.0.1:$pg_port/${db}_datastore
export CKAN_SOLR_URL=http://127.0.0.1:$solr_port/solr/$db
export CKAN_REDIS_URL=redis://127.0.0.1:$redis_port/${VNDATA_REDIS_DB:-1}
export PATH="$VENV/bin:\$PATH"
ENV
