#!/usr/bin/env bash
# The demo: a national portal on http://127.0.0.1:5000 that harvests three provincial
# portals (Đà Nẵng on :5001 publishing DCAT, Huế on :5002 through the CKAN API, Cần Thơ
# on :5003, custom software with a JSON API of its own behind a login). The
# provinces' officers make their open-data plans on their own portal (Đà Nẵng through
# its forms and Excel upload, Huế through the action API) and publish them there; the
# national portal gets datasets and plans from the harvest only. Each portal is a real
# CKAN with its own database and Solr core, served as production serves it: gunicorn on a
# private loopback port (5100, 5101, 5102) behind one nginx on the public ports, which
# serves the static files itself and passes on the client's address; the same nginx
# serves Cần Thơ's API from files (demo/json_portal.py). Idempotent (a second
# run restarts only what changed); make demo-stop ends the portals, nginx and the workers
# it starts, make stop the services too.
#   demo.sh VENV
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
VENV=$(cd "$ROOT" && cd "$1" && pwd)
DEV_DIR=${VNDATA_DEV_DIR:-$ROOT/.dev}
PORT=${VNDATA_DEMO_PORT:-5000}
# gunicorn's ports, +0 national, +1 Đà Nẵng, +2 Huế; only nginx talks to them.
GUNICORN_PORT=${VNDATA_DEMO_GUNICORN_PORT:-5100}
PG_PORT=${VNDATA_PG_PORT:-5433}
REDIS_PORT=${VNDATA_REDIS_PORT:-6380}
SOLR_PORT=${VNDATA_SOLR_PORT:-8983}
SITE_DIR=$DEV_DIR/demo
ADMIN=admin
ADMIN_PASSWORD=${VNDATA_DEMO_PASSWORD:-Quantri-Demo-2026}
export VNDATA_DEMO_PASSWORD=$ADMIN_PASSWORD  # the provincial officers' too (demo/officers.py)
CKAN="$VENV/bin/ckan"

say() { printf '[demo] %s\n' "$*" >&2; }
cd "$ROOT"
mkdir -p "$SITE_DIR" "$DEV_DIR/run"

# What nginx serves (portal.sh nginx-conf's SITEs), one per portal.
SITES=()

# portal NAME PORT GUNICORN_PORT LEVEL PROVINCE PUBLISHER [REVIEWER]: configure, migrate
# and start one CKAN site, gunicorn on GUNICORN_PORT (nginx, started after the three
# portals, answers on PORT). REVIEWER approves and publishes the plans of a provincial
# portal's agencies.
portal() {
  local name=$1 port=$2 gport=$3 level=$4 province=$5 publisher=$6 reviewer=${7:-}
  local db=ckan_demo${name:+_$name} ini=$SITE_DIR/${name:-national}.ini url=http://127.0.0.1:$port
  local pidname=ckan-${name:-national} before backend=http://127.0.0.1:$gport
  local public=$SITE_DIR/public-${name:-national} storage=$SITE_DIR/storage-${name:-national}
  [ "$name" = "" ] && db=ckan_demo
  # A new (or re-created) database has no user yet: its old API token is void.
  # (Not `tee /dev/stderr`: it re-opens, and so truncates, a log file stderr goes to.)
  local made
  made=$(scripts/services.sh db "$db" 2>&1)
  [ -z "$made" ] || printf '%s\n' "$made" >&2
  if grep -q created <<<"$made"; then
    rm -f "$SITE_DIR/${name:-national}-token"
  fi
  scripts/services.sh solr-core "$db" "$VENV/bin/python"
  mkdir -p "$storage"
  before=$(sha256sum "$ini" 2>/dev/null || true)
  scripts/portal.sh ini "$VENV" "$ini" "$db" "http://127.0.0.1:$SOLR_PORT/solr/$db" \
    "redis://127.0.0.1:$REDIS_PORT/0" "$url" \
    "ckanext.vndata.plan.reviewers = $reviewer" \
    "ckanext.xloader.jobs_db.uri = sqlite:///$SITE_DIR/xloader-jobs-${name:-national}.db" \
    "ckan.site_id = vndata-demo-${name:-national}" \
    "ckan.site_title = $publisher" \
    "ckan.storage_path = $storage" \
    "ckanext.vndata.web.trusted_proxies = 1" \
    "ckanext.vndata.portal_level = $level" \
    "ckanext.vndata.portal_province_code = $province" \
    "ckanext.vndata.dcat.publisher_name = $publisher"
  scripts/portal.sh migrate "$VENV" "$ini" "$db"
  # The Solr core may outlive the database (make clean, a reset): index what it has.
  "$CKAN" -c "$ini" search-index rebuild --clear --quiet >/dev/null 2>&1
  if ! "$CKAN" -c "$ini" user show "$ADMIN" 2>/dev/null | grep -q "name=$ADMIN"; then
    "$CKAN" -c "$ini" user add "$ADMIN" email=admin@demo.vndata "password=$ADMIN_PASSWORD" >/dev/null 2>&1
    "$CKAN" -c "$ini" sysadmin add "$ADMIN" >/dev/null 2>&1
  fi
  local token_file=$SITE_DIR/${name:-national}-token
  if [ ! -s "$token_file" ]; then
    "$CKAN" -c "$ini" user token add "$ADMIN" demo 2>/dev/null | tail -n 1 | tr -d '\t ' >"$token_file"
  fi
  # xloader submits its jobs, and its worker writes the DataStore, as the site's admin.
  "$CKAN" config-tool "$ini" "ckanext.xloader.api_token = $(cat "$token_file")" >/dev/null
  # nginx serves the public folders of CKAN and the plugins from one tree of links.
  if [ "$(sha256sum "$ini")" != "$before" ] || [ ! -d "$public" ]; then
    scripts/portal.sh public-tree "$VENV" "$ini" "$public" 2>>"$SITE_DIR/public-tree.log" \
      || { say "the public folders not listed, see $SITE_DIR/public-tree.log"; exit 1; }
  fi
  SITES+=("$port,$gport,$public,$storage")
  # A portal left running by an earlier demo serves its old settings: restart it. So is
  # one recorded but not answering on its port (an earlier demo's gunicorn on the public
  # port, where nginx goes now).
  if { [ "$(sha256sum "$ini")" != "$before" ] || ! curl -fsS "$backend/api/3/action/status_show" >/dev/null 2>&1; } \
      && [ -f "$DEV_DIR/run/$pidname.pid" ] && kill -0 "$(cat "$DEV_DIR/run/$pidname.pid")" 2>/dev/null; then
    say "restarting ${name:-national} portal: its settings changed, or it does not answer on $backend"
    scripts/services.sh stop-recorded "$pidname" "xloader-${name:-national}"
  fi
  if ! curl -fsS "$backend/api/3/action/status_show" >/dev/null 2>&1; then
    say "starting ${name:-national} portal: gunicorn on $backend"
    # Production's way (gunicorn, debug off), never `ckan run` and its Werkzeug debugger.
    setsid nohup scripts/serve.sh "$VENV" "$ini" "$gport" \
      >"$SITE_DIR/${name:-national}.log" 2>&1 &
    echo $! >"$DEV_DIR/run/$pidname.pid"
    for _ in $(seq 1 120); do
      curl -fsS "$backend/api/3/action/status_show" >/dev/null 2>&1 && break
      sleep 0.5
    done
    curl -fsS "$backend/api/3/action/status_show" >/dev/null \
      || { say "CKAN did not start, see $SITE_DIR/${name:-national}.log"; exit 1; }
  fi
  # The worker that runs xloader's jobs: every tabular resource, uploaded or linked,
  # goes into the DataStore (a preview table and the Data API).
  background "xloader-${name:-national}" "$CKAN" -c "$ini" jobs worker
}

# background PIDNAME COMMAND...: a long-running process recorded for make stop.
background() {
  local pidfile=$DEV_DIR/run/$1.pid; shift
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then return; fi
  setsid nohup "$@" >"$SITE_DIR/$(basename "$pidfile" .pid).log" 2>&1 &
  echo $! >"$pidfile"
}

# One nginx in front of the three portals, configured and started as the cluster's
# (scripts/portal.sh nginx-start): reloaded when its configuration changed, else left alone.
front() {
  local site url
  command -v nginx >/dev/null || { say "nginx not found (make system installs nginx-light)"; exit 1; }
  scripts/portal.sh nginx-start "$SITE_DIR/nginx" "$SITE_DIR" "$DEV_DIR/run/nginx-demo.pid" \
    --include "$CANTHO_SERVER" "${SITES[@]}" \
    || { say "nginx did not start, see $SITE_DIR/nginx-error.log"; exit 1; }
  for site in "${SITES[@]}"; do
    url=http://127.0.0.1:${site%%,*}
    for _ in $(seq 1 40); do
      curl -fsS "$url/api/3/action/status_show" >/dev/null 2>&1 && break
      sleep 0.25
    done
    curl -fsS "$url/api/3/action/status_show" >/dev/null \
      || { say "no portal through nginx on $url, see $SITE_DIR/nginx-error.log"; exit 1; }
  done
  # Cần Thơ's API answers 401 to a request without its login.
  for _ in $(seq 1 40); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$CANTHO/api/dulieu?trang=1")" = 401 ] && return
    sleep 0.25
  done
  say "Cần Thơ's API does not answer on $CANTHO, see $SITE_DIR/nginx-error.log"; exit 1
}

seed() { "$VENV/bin/python" demo/seed.py "$1" "$(cat "$SITE_DIR/$2-token")" "${@:3}"; }

reviewer() { "$VENV/bin/python" demo/officers.py reviewer "$1"; }

portal "" "$PORT" "$GUNICORN_PORT" national "" "Cổng dữ liệu mở quốc gia (demo)"
portal danang 5001 $((GUNICORN_PORT + 1)) province 48 "Cổng dữ liệu mở thành phố Đà Nẵng (demo)" "$(reviewer danang)"
portal hue 5002 $((GUNICORN_PORT + 2)) province 46 "Cổng dữ liệu mở thành phố Huế (demo)" "$(reviewer hue)"
# Cần Thơ has no CKAN: its portal's API, as files nginx serves behind a login.
CANTHO=http://127.0.0.1:5003
CANTHO_SERVER=$("$VENV/bin/python" demo/json_portal.py "$SITE_DIR/json-portal" 5003)
front
NATIONAL=http://127.0.0.1:$PORT

say "provincial content and officers"
seed http://127.0.0.1:5001 danang danang
seed http://127.0.0.1:5002 hue hue
say "open-data plans, made and published on the provincial portals"
seed http://127.0.0.1:5001 danang danang-plans
seed http://127.0.0.1:5002 hue hue-plans
say "national agencies and harvest sources"
seed "$NATIONAL" national national http://127.0.0.1:5001 http://127.0.0.1:5002 "$CANTHO"

say "harvesting the provincial portals (datasets and plans)"
for source in cong-du-lieu-da-nang cong-du-lieu-hue cong-du-lieu-can-tho; do
  job_log=$SITE_DIR/harvest-$source.log status=0
  "$CKAN" -c "$SITE_DIR/national.ini" vndata_harvester run "$source" >"$job_log" 2>&1 || status=$?
  cat "$job_log" >>"$SITE_DIR/harvest.log"
  [ "$status" = 0 ] || { say "harvest of $source failed, see $SITE_DIR/harvest.log"; exit 1; }
  # The job's report (datasets, and plans, added, updated, unchanged...), without the log.
  say "$source:"; grep -v '^[0-9]\{4\}-[0-9][0-9]-[0-9][0-9] ' "$job_log" | sed 's/^/  /' >&2 || true
done
# Later jobs (from the harvest pages or `ckan harvester job-all`) go through the queues.
background harvest-gather "$CKAN" -c "$SITE_DIR/national.ini" vndata_harvester gather-consumer
background harvest-fetch "$CKAN" -c "$SITE_DIR/national.ini" vndata_harvester fetch-consumer
# What finishes jobs (and starts scheduled ones): without it a "Reharvest" stays Running.
background harvest-scheduler "$CKAN" -c "$SITE_DIR/national.ini" vndata_harvester scheduler

say "what the harvest brought"
seed "$NATIONAL" national arrived

# Metadata quality: every dataset scored and today's snapshot of each agency and source
# (an operator runs it daily from cron), then every link checked in the background by
# the national portal's `jobs worker` (started above for xloader; the "default" queue),
# each verdict re-scoring its dataset.
say "metadata quality: scores and today's snapshot"
"$CKAN" -c "$SITE_DIR/national.ini" vndata_quality score >>"$SITE_DIR/quality.log" 2>&1 \
  || { say "scoring failed, see $SITE_DIR/quality.log"; exit 1; }
tail -n 1 "$SITE_DIR/quality.log" | sed 's/^/  /' >&2
# DCAT-AP conformance of datasets no write has queued yet (those of a demo database
# from before the plugin); unchanged ones are skipped.
"$CKAN" -c "$SITE_DIR/national.ini" vndata_quality check-conformance >>"$SITE_DIR/quality.log" 2>&1 \
  || { say "conformance not checked, see $SITE_DIR/quality.log"; exit 1; }
tail -n 1 "$SITE_DIR/quality.log" | sed 's/^/  /' >&2
"$CKAN" -c "$SITE_DIR/national.ini" vndata_quality check-links >>"$SITE_DIR/quality.log" 2>&1 \
  || { say "link checks not queued, see $SITE_DIR/quality.log"; exit 1; }

harvested=$(curl -fsS "$NATIONAL/api/3/action/package_search?rows=0" | "$VENV/bin/python" -c 'import json,sys; print(json.load(sys.stdin)["result"]["count"])')
cat <<MSG

  Cổng dữ liệu mở quốc gia (demo) / national open-data portal demo
  Address:   $NATIONAL   ($harvested datasets harvested from the provincial portals)
  Provinces: http://127.0.0.1:5001 (Đà Nẵng, DCAT)   http://127.0.0.1:5002 (Huế, CKAN API)
             $CANTHO/api/dulieu?trang=1 (Cần Thơ, a JSON API of its own; login
             cong-quoc-gia / the password below; mapped in demo/json_portal.py)
  Login:     $ADMIN / $ADMIN_PASSWORD (on every portal); the provinces' officers, same password:
$("$VENV/bin/python" demo/officers.py logins | sed 's/^/             /')
  Plans:     $NATIONAL/ke-hoach/tong-hop   (national dashboard: every province and
             ministry, harvested plans; .csv and .json too)
             http://127.0.0.1:5001/organization/ke-hoach/so-khcn-da-nang   (made there:
             form and Excel; a draft at .../so-xay-dung-da-nang stays there)
             http://127.0.0.1:5002/organization/ke-hoach/ubnd-thanh-pho-hue   (made there: API)
  Harvests:  $NATIONAL/thu-thap/tong-quan   (overview by province, for sysadmins;
             each source's metadata quality)
             $NATIONAL/harvest   and   ckan -c .dev/demo/national.ini vndata_harvester overview
  Quality:   $NATIONAL/chat-luong/tong-hop.csv?scope=nation   (and .json; each agency's
             page shows its score and trend)   ckan -c .dev/demo/national.ini vndata_quality score
  Served:    nginx on the ports above (static files, the client's address to CKAN),
             gunicorn behind it on $GUNICORN_PORT-$((GUNICORN_PORT + 2)); logs in $SITE_DIR
  Stop:      make demo-stop   (the portals, nginx and workers; make stop: the services too)

MSG
