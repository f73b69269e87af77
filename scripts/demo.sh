#!/usr/bin/env bash
# Bring up the demo national portal on http://127.0.0.1:5000 (idempotent; make stop ends it).
#   demo.sh VENV
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
VENV=$(cd "$ROOT" && cd "$1" && pwd)
DEV_DIR=${VNDATA_DEV_DIR:-$ROOT/.dev}
PORT=${VNDATA_DEMO_PORT:-5000}
PG_PORT=${VNDATA_PG_PORT:-5433}
REDIS_PORT=${VNDATA_REDIS_PORT:-6380}
SOLR_PORT=${VNDATA_SOLR_PORT:-8983}
SITE_DIR=$DEV_DIR/demo
INI=$SITE_DIR/national.ini
ADMIN=admin
ADMIN_PASSWORD=${VNDATA_DEMO_PASSWORD:-Quantri-Demo-2026}
CKAN="$VENV/bin/ckan"
URL=http://127.0.0.1:$PORT

say() { printf '[demo] %s\n' "$*" >&2; }
cd "$ROOT"
mkdir -p "$SITE_DIR/storage" "$DEV_DIR/run"

scripts/services.sh db ckan_demo
scripts/services.sh solr-core ckan_demo "$VENV/bin/python"

if [ ! -f "$INI" ]; then
  say "writing $INI"
  "$CKAN" generate config "$INI" >/dev/null
fi
"$CKAN" config-tool "$INI" \
  "sqlalchemy.url = postgresql://ckan_default:pass@127.0.0.1:$PG_PORT/ckan_demo" \
  "solr_url = http://127.0.0.1:$SOLR_PORT/solr/ckan_demo" \
  "ckan.redis.url = redis://127.0.0.1:$REDIS_PORT/0" \
  "ckan.site_url = $URL" \
  "ckan.site_id = vndata-national-demo" \
  "ckan.site_title = Cổng dữ liệu mở quốc gia (demo)" \
  "ckan.storage_path = $SITE_DIR/storage" \
  "ckan.plugins = activity vndata_metadata scheming_datasets scheming_organizations vndata_plan dcat vndata_dcat harvest vndata_dcat_harvester vndata_ckan_harvester" \
  "scheming.dataset_schemas = ckanext.vndata.schemas:vndata_dataset.yaml" \
  "scheming.organization_schemas = ckanext.vndata.schemas:vndata_organization.yaml" \
  "scheming.presets = ckanext.scheming:presets.json" \
  "ckanext.dcat.rdf.profiles = euro_dcat_ap_3 vn_dcat_ap" \
  "ckanext.vndata.dcat.publisher_name = Trung tâm Dữ liệu quốc gia (demo)" \
  "ckanext.vndata.portal_level = national" \
  "ckan.locale_default = vi" \
  "ckan.locales_offered = vi en" \
  "ckan.locale_order = vi en" \
  "ckan.harvest.mq.type = redis" \
  "ckan.harvest.mq.hostname = 127.0.0.1" \
  "ckan.harvest.mq.port = $REDIS_PORT" \
  "ckan.harvest.mq.redis_db = 0" >/dev/null

say "database migrations"
"$CKAN" -c "$INI" db init >/dev/null 2>&1
"$CKAN" -c "$INI" db upgrade -p activity >/dev/null 2>&1
"$CKAN" -c "$INI" db upgrade -p harvest >/dev/null 2>&1
"$CKAN" -c "$INI" db upgrade -p vndata_plan >/dev/null 2>&1
# The Solr core may outlive the database (make clean, a reset): index what the database has.
"$CKAN" -c "$INI" search-index rebuild --clear --quiet >/dev/null 2>&1

if ! "$CKAN" -c "$INI" user show "$ADMIN" 2>/dev/null | grep -q "name=$ADMIN"; then
  say "creating sysadmin $ADMIN"
  "$CKAN" -c "$INI" user add "$ADMIN" email=admin@demo.vndata "password=$ADMIN_PASSWORD" >/dev/null 2>&1
  "$CKAN" -c "$INI" sysadmin add "$ADMIN" >/dev/null 2>&1
fi

if ! curl -fsS "$URL/api/3/action/status_show" >/dev/null 2>&1; then
  say "starting CKAN on $URL"
  setsid nohup "$CKAN" -c "$INI" run --host 127.0.0.1 --port "$PORT" --disable-reloader \
    >"$SITE_DIR/national.log" 2>&1 &
  echo $! >"$DEV_DIR/run/ckan-national.pid"
  for _ in $(seq 1 120); do
    curl -fsS "$URL/api/3/action/status_show" >/dev/null 2>&1 && break
    sleep 0.5
  done
  curl -fsS "$URL/api/3/action/status_show" >/dev/null || { say "CKAN did not start, see $SITE_DIR/national.log"; exit 1; }
fi

if [ ! -s "$SITE_DIR/admin-token" ]; then
  "$CKAN" -c "$INI" user token add "$ADMIN" demo 2>/dev/null | tail -n 1 | tr -d '\t ' >"$SITE_DIR/admin-token"
fi
say "sample content"
"$VENV/bin/python" demo/seed.py "$URL" "$(cat "$SITE_DIR/admin-token")"

cat <<MSG

  Cổng dữ liệu mở quốc gia (demo) / national open-data portal demo
  Address:  $URL
  Login:    $ADMIN / $ADMIN_PASSWORD
  Stop:     make stop

MSG
