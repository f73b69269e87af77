#!/usr/bin/env bash
# The real services CKAN runs on: PostgreSQL, Redis and Apache Solr, all on 127.0.0.1 with
# their data under $VNDATA_DEV_DIR (default .dev/, git-ignored).  Every command is idempotent.
#
#   services.sh start                   start all three, wait until each answers
#   services.sh stop                    stop them and every process recorded in run/
#   services.sh stop-recorded [NAME...] stop only the recorded processes (the demo's portals
#                                       and workers), or those named; the services keep running
#   services.sh status                  one line per service
#   services.sh db NAME                 make sure database NAME exists (owner ckan_default)
#   services.sh datastore NAME VENV INI make sure NAME_datastore exists, with the DataStore's
#                                       read-only role and the permissions CKAN sets on it
#   services.sh solr-core NAME PYTHON   make sure Solr core NAME exists, with the schema.xml
#                                       of the CKAN installed for PYTHON
#   services.sh solr-classpath          print Solr's classpath (resolved once by Maven); the
#                                       cluster's ZooKeeper and Solr nodes run from it too
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DEV_DIR=${VNDATA_DEV_DIR:-$ROOT/.dev}
PG_PORT=${VNDATA_PG_PORT:-5433}
REDIS_PORT=${VNDATA_REDIS_PORT:-6380}
SOLR_PORT=${VNDATA_SOLR_PORT:-8983}
SOLR_HEAP=${VNDATA_SOLR_HEAP:-768m}
DB_USER=ckan_default
DB_PASSWORD=pass
# The DataStore's read-only role (datastore_search runs its queries as this role).
DATASTORE_READER=datastore_ro

RUN_DIR=$DEV_DIR/run
SOLR_DIR=$DEV_DIR/solr
REDIS_DIR=$DEV_DIR/redis

say() { printf '[services] %s\n' "$*" >&2; }
die() { printf '[services] ERROR: %s\n' "$*" >&2; exit 1; }

# shellcheck source=scripts/wait-for.sh
. "$ROOT/scripts/wait-for.sh"

# --- PostgreSQL --------------------------------------------------------------------------
pg_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$dir" ] || die "PostgreSQL server binaries not found (make setup installs them)"
  echo "$dir"
}

# PostgreSQL refuses to run as root, so as root its files belong to the 'postgres' user.
# That user may not be able to reach a checkout under a private home folder; the cluster
# then lives under /var/tmp and .dev/pg points at it.
as_pg() {
  if [ "$(id -u)" = 0 ]; then
    su postgres -s /bin/sh -c "$*"
  else
    sh -c "$*"
  fi
}

pg_dir() {  # prints the real path: postgres may not be allowed through $DEV_DIR
  local dir=$DEV_DIR/pg
  if [ -L "$dir" ] || [ -d "$dir" ]; then readlink -f "$dir"; return; fi
  mkdir -p "$DEV_DIR"
  if [ "$(id -u)" = 0 ] && ! su postgres -s /bin/sh -c "test -x '$DEV_DIR'" 2>/dev/null; then
    local elsewhere
    elsewhere=/var/tmp/vndata-pg-$(printf '%s' "$DEV_DIR" | cksum | cut -d' ' -f1)
    mkdir -p "$elsewhere"
    ln -s "$elsewhere" "$dir"
  else
    mkdir -p "$dir"
  fi
  if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$dir/"; fi
  readlink -f "$dir"
}

pg_superuser() { if [ "$(id -u)" = 0 ]; then echo postgres; else id -un; fi; }

pg_psql() {  # pg_psql DATABASE SQL
  as_pg "'$(pg_bin)/psql' -v ON_ERROR_STOP=1 -qtA -h '$(pg_dir)/run' -p $PG_PORT \
    -U $(pg_superuser) -d '$1' -c \"$2\""
}

pg_running() { as_pg "'$(pg_bin)/pg_ctl' -D '$(pg_dir)/data' status" >/dev/null 2>&1; }

pg_start() {
  local dir bin
  dir=$(pg_dir); bin=$(pg_bin)
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    say "initialising PostgreSQL cluster in $dir/data"
    as_pg "'$bin/initdb' -D '$dir/data' -E UTF8 --locale=C.UTF-8 --auth-local=trust \
      --auth-host=scram-sha-256 -U $(pg_superuser)" >"$DEV_DIR/pg-initdb.log" 2>&1 \
      || die "initdb failed, see $DEV_DIR/pg-initdb.log"
  fi
  if ! pg_running; then
    as_pg "mkdir -p '$dir/run'"
    as_pg "'$bin/pg_ctl' -D '$dir/data' -l '$dir/postgresql.log' -w -t 60 start \
      -o \"-p $PG_PORT -k '$dir/run' -c listen_addresses=127.0.0.1 -c fsync=off \
      -c synchronous_commit=off -c full_page_writes=off\"" >/dev/null \
      || die "PostgreSQL did not start, see $dir/postgresql.log"
  fi
  wait_for 30 PostgreSQL pg_psql postgres "select 1"
  if [ -z "$(pg_psql postgres "select 1 from pg_roles where rolname='$DB_USER'")" ]; then
    pg_psql postgres "create role $DB_USER login password '$DB_PASSWORD'"
  fi
  say "PostgreSQL on 127.0.0.1:$PG_PORT"
}

pg_stop() {
  local dir
  [ -e "$DEV_DIR/pg/data/PG_VERSION" ] || return 0
  dir=$(pg_dir)
  if pg_running; then
    as_pg "'$(pg_bin)/pg_ctl' -D '$dir/data' -m fast -w stop" >/dev/null
    say "PostgreSQL stopped"
  fi
}

ensure_db() {
  local name=$1
  [[ "$name" =~ ^[a-z0-9_]+$ ]] || die "bad database name: $name"
  if [ -z "$(pg_psql postgres "select 1 from pg_database where datname='$name'")" ]; then
    pg_psql postgres "create database $name owner $DB_USER encoding 'utf-8' template template0"
    say "database $name created"
  fi
}

# ensure_datastore NAME VENV INI: the DataStore database of site NAME (NAME_datastore),
# written by ckan_default and read by $DATASTORE_READER, with the permissions of CKAN's
# own `ckan datastore set-permissions` (run as the superuser: it grants and revokes).
# The environment must point INI's sqlalchemy.url at NAME and its DataStore URLs at
# NAME_datastore (ckan-env.sh does for the tests, demo.sh writes them into the ini).
ensure_datastore() {
  local name=$1 venv=$2 ini=$3 sql
  ensure_db "${name}_datastore"
  if [ -z "$(pg_psql postgres "select 1 from pg_roles where rolname='$DATASTORE_READER'")" ]; then
    pg_psql postgres "create role $DATASTORE_READER login password '$DB_PASSWORD'"
    say "role $DATASTORE_READER created"
  fi
  sql=$("$venv/bin/ckan" -c "$ini" datastore set-permissions 2>/dev/null) \
    || die "ckan datastore set-permissions failed for $name (is the datastore plugin in $ini?)"
  printf '%s\n' "$sql" | as_pg "'$(pg_bin)/psql' -v ON_ERROR_STOP=1 -qtA -h '$(pg_dir)/run' \
    -p $PG_PORT -U $(pg_superuser) -d '${name}_datastore'" >/dev/null \
    || die "the DataStore permissions of ${name}_datastore could not be set"
}

# --- Redis -------------------------------------------------------------------------------
redis_ping() { redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping | grep -q PONG; }

redis_start() {
  mkdir -p "$REDIS_DIR"
  if ! redis_ping 2>/dev/null; then
    redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$REDIS_DIR" \
      --pidfile "$REDIS_DIR/redis.pid" --logfile "$REDIS_DIR/redis.log" \
      --save '' --appendonly no >/dev/null
  fi
  wait_for 15 Redis redis_ping
  say "Redis on 127.0.0.1:$REDIS_PORT"
}

redis_stop() {
  if redis_ping 2>/dev/null; then
    redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
    say "Redis stopped"
  fi
  stop_pidfile "$REDIS_DIR/redis.pid" || true
}

# --- Solr --------------------------------------------------------------------------------
solr_url() { echo "http://127.0.0.1:$SOLR_PORT/solr"; }
solr_ping() { curl -fsS "$(solr_url)/admin/info/system?wt=json" >/dev/null; }

solr_classpath() {
  # Maven resolves Solr's jars into ~/.m2 once; later runs read the cached classpath.
  local cp_file=$SOLR_DIR/classpath.txt
  if [ ! -s "$cp_file" ] || [ "$ROOT/solr/pom.xml" -nt "$cp_file" ]; then
    mkdir -p "$SOLR_DIR"
    say "resolving Apache Solr from Maven Central (cached in ~/.m2)"
    mvn -B -q -f "$ROOT/solr/pom.xml" dependency:build-classpath \
      -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=runtime >"$SOLR_DIR/maven.log" 2>&1 \
      || die "Maven could not resolve Solr, see $SOLR_DIR/maven.log"
  fi
  cat "$cp_file"
}

solr_start() {
  local home=$SOLR_DIR/home classes=$SOLR_DIR/classes cp
  if solr_ping 2>/dev/null; then say "Solr on $(solr_url)"; return; fi
  command -v java >/dev/null || die "java not found (Java 17 is required)"
  cp=$(solr_classpath)
  if [ ! -f "$classes/VndataSolr.class" ] || [ "$ROOT/solr/src/VndataSolr.java" -nt "$classes/VndataSolr.class" ]; then
    mkdir -p "$classes"
    javac -nowarn -cp "$cp" -d "$classes" "$ROOT/solr/src/VndataSolr.java"
  fi
  mkdir -p "$home/configsets" "$RUN_DIR"
  cp "$ROOT/solr/conf/solr.xml" "$home/solr.xml"
  setsid nohup java -Xms256m -Xmx"$SOLR_HEAP" -XX:+UseSerialGC \
    -Dlog4j.configurationFile="$ROOT/solr/conf/log4j2.xml" -Dsolr.log.muteconsole=true \
    -cp "$classes:$cp" VndataSolr "$home" "$SOLR_PORT" >>"$SOLR_DIR/solr.log" 2>&1 &
  echo $! >"$RUN_DIR/solr.pid"
  wait_for 120 Solr solr_ping
  say "Solr on $(solr_url)"
}

solr_stop() {
  stop_pidfile "$RUN_DIR/solr.pid" && say "Solr stopped" || true
}

ensure_solr_core() {
  local name=$1 python=$2 version schema set conf
  [[ "$name" =~ ^[a-z0-9_]+$ ]] || die "bad core name: $name"
  version=$("$python" -c 'import ckan; print(ckan.__version__)')
  schema=$("$python" -c 'import ckan, os; print(os.path.join(os.path.dirname(ckan.__file__), "config", "solr", "schema.xml"))')
  set=ckan-$version
  conf=$SOLR_DIR/home/configsets/$set/conf
  mkdir -p "$conf"
  for f in solrconfig.xml protwords.txt synonyms.txt stopwords.txt; do
    cp "$ROOT/solr/conf/$f" "$conf/$f"
  done
  cp "$schema" "$conf/schema.xml"
  local status="$(solr_url)/admin/cores?action=STATUS&core=$name&wt=json"
  if [ -f "$SOLR_DIR/home/$name/core.properties" ]; then
    # Solr discovered this core at start and loads it in the background. Never CREATE
    # it meanwhile: a CREATE that fails cleans up by deleting the core's core.properties.
    for _ in $(seq 1 240); do
      curl -fsS "$status" 2>/dev/null | grep -q '"instanceDir"' && return 0
      sleep 0.5
    done
    die "Solr did not load core $name within 2 minutes (see $SOLR_DIR/solr.log)"
  fi
  if [ -d "$SOLR_DIR/home/$name" ]; then
    say "removing the orphaned Solr folder $name (no core.properties)"
    rm -rf "${SOLR_DIR:?}/home/$name"
  fi
  curl -fsS "$(solr_url)/admin/cores?action=CREATE&name=$name&configSet=$set&wt=json" \
    >/dev/null || die "Solr could not create core $name (see $SOLR_DIR/solr.log)"
  say "Solr core $name created (CKAN $version schema)"
}

# --- processes the project starts (CKAN servers, harvest workers) -------------------------
stop_pidfile() {  # stop_pidfile FILE: TERM the process group, then KILL what is left
  local file=$1 pid
  [ -f "$file" ] || return 1
  pid=$(cat "$file")
  rm -f "$file"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.25; done
  kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
  return 0
}

stop_recorded() {  # stop_recorded [NAME...]: every recorded process (Solr aside), or those
  local file name files=("$RUN_DIR"/*.pid)
  if [ $# -gt 0 ]; then
    files=()
    for name in "$@"; do files+=("$RUN_DIR/$name.pid"); done
  fi
  for file in "${files[@]}"; do
    [ -e "$file" ] || continue
    [ "$(basename "$file")" = solr.pid ] && continue
    stop_pidfile "$file" && say "stopped $(basename "$file" .pid)" || true
  done
}

status() {
  if pg_running 2>/dev/null; then echo "postgresql up   127.0.0.1:$PG_PORT"; else echo "postgresql down"; fi
  if redis_ping 2>/dev/null; then echo "redis      up   127.0.0.1:$REDIS_PORT"; else echo "redis      down"; fi
  if solr_ping 2>/dev/null; then echo "solr       up   $(solr_url)"; else echo "solr       down"; fi
}

case "${1:-}" in
  start) mkdir -p "$RUN_DIR"; pg_start; redis_start; solr_start ;;
  stop) stop_recorded; solr_stop; redis_stop; pg_stop ;;
  stop-recorded) shift; stop_recorded "$@" ;;
  status) status ;;
  db) [ $# -eq 2 ] || die "usage: services.sh db NAME"; ensure_db "$2" ;;
  datastore) [ $# -eq 4 ] || die "usage: services.sh datastore NAME VENV INI"; ensure_datastore "$2" "$3" "$4" ;;
  solr-core) [ $# -eq 3 ] || die "usage: services.sh solr-core NAME PYTHON"; ensure_solr_core "$2" "$3" ;;
  solr-classpath) solr_classpath ;;
  *) die "usage: services.sh start|stop|stop-recorded [NAME...]|status|db NAME|datastore NAME VENV INI|solr-core NAME PYTHON|solr-classpath" ;;
esac
