#!/usr/bin/env bash
# The national portal as production runs it, on one machine (127.0.0.1): ZooKeeper and two
# SolrCloud nodes holding a collection of 2 shards x 2 replicas, nginx balancing over both
# nodes, CKAN under gunicorn behind nginx, and the harvest consumers, the jobs worker and
# the scheduler under supervisord. Its own Redis (the fault tests restart it; the shared one
# must never be). Data under $VNDATA_CLUSTER_DIR; every command is idempotent.
#
#   cluster.sh start                 start everything, wait until it answers, write cluster.env
#   cluster.sh stop                  stop everything it started (nothing is left running)
#   cluster.sh status                one line per part
#   cluster.sh solr-node stop|start 1|2   stop or start one Solr node (fault tests)
#   cluster.sh redis restart         restart the cluster's Redis (fault tests)
#
# Ports derive from $VNDATA_CLUSTER_PORT (default 7100): web +0, gunicorn +1, Solr load
# balancer +2, Solr nodes +3 and +4, ZooKeeper +5, Redis +6.
set -euo pipefail
# Everything the cluster writes is its user's only: national.ini (SECRET_KEY, database
# passwords), admin-token and cluster.env (a sysadmin's API token), the data, the logs.
# Every process of the cluster runs as that user.
umask 077
# CKAN reads CKAN_SQLALCHEMY_URL, CKAN_SOLR_URL... over any ini: started from the test
# suite (scripts/ckan-env.sh exports them), every command and worker of the cluster would
# use the tests' database, core and Redis instead of the cluster's own.
for var in $(compgen -e | grep '^CKAN' || true); do unset "$var"; done

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DEV_DIR=${VNDATA_DEV_DIR:-$ROOT/.dev}
DIR=${VNDATA_CLUSTER_DIR:-$DEV_DIR/cluster}
BASE=${VNDATA_CLUSTER_PORT:-7100}
DB=${VNDATA_CLUSTER_DB:-ckan_cluster}
VENV=${VNDATA_CLUSTER_VENV:-$ROOT/.venv}
SOLR_HEAP=${VNDATA_CLUSTER_SOLR_HEAP:-512m}
WEB_WORKERS=${VNDATA_CLUSTER_WEB_WORKERS:-$(( $(nproc) * 2 + 1 ))}
WEB_PORT=$BASE GUNICORN_PORT=$((BASE + 1)) SOLR_LB_PORT=$((BASE + 2))
SOLR_PORTS=($((BASE + 3)) $((BASE + 4))) ZK_PORT=$((BASE + 5)) REDIS_PORT=$((BASE + 6))
COLLECTION=ckan
RUN_DIR=$DIR/run
ZK=127.0.0.1:$ZK_PORT

say() { printf '[cluster] %s\n' "$*" >&2; }
die() { printf '[cluster] ERROR: %s\n' "$*" >&2; exit 1; }

# The paths go into supervisord's command= lines (split on blanks, %(...)s expanded) and
# nginx's configuration (split on blanks, $ expanded, ; and { } are syntax): a path
# holding any of those would start the wrong command or serve the wrong folder.
case $DIR in /*) ;; *) DIR=$PWD/$DIR ;; esac
for path in "$ROOT" "$DIR" "$VENV"; do
  case $path in
    *[[:space:]\"\'\\%\$\;\#{}]*)
      die "'$path' holds a blank or one of \" ' \\ % \$ ; # { }, which supervisord and nginx configurations cannot carry: choose another folder (VNDATA_CLUSTER_DIR, VNDATA_CLUSTER_VENV, the checkout)" ;;
  esac
done
# Java processes of the cluster run with their working directory here: a core dump or a
# stray file never lands in the checkout.
mkdir -p "$DIR" "$RUN_DIR"
DIR=$(cd "$DIR" && pwd)

# shellcheck source=scripts/wait-for.sh
. "$ROOT/scripts/wait-for.sh"

alive() { [ -f "$RUN_DIR/$1.pid" ] && kill -0 "$(cat "$RUN_DIR/$1.pid")" 2>/dev/null; }

# background NAME COMMAND...: a long-running process in its own session, recorded in run/
# so that stop ends it and its children (services.sh's stop-recorded does the stopping).
background() {
  local name=$1; shift
  alive "$name" && return 0
  rm -f "$RUN_DIR/$name.pid"
  # The process records its own pid: setsid forks when called from a process group leader
  # (a shell with job control), and $! would then name a parent that exits at once.
  # Every descriptor goes to the log: a caller reading our output (a pipe) is not held open.
  (cd "$DIR" && exec setsid bash -c 'echo $$ >"$0"; exec "$@"' "$RUN_DIR/$name.pid" "$@") \
    </dev/null >>"$DIR/logs/$name.log" 2>&1 &
  for _ in $(seq 1 40); do [ -s "$RUN_DIR/$name.pid" ] && return 0; sleep 0.05; done
}

stop_recorded() { VNDATA_DEV_DIR=$DIR "$ROOT/scripts/services.sh" stop-recorded "$@" 2>/dev/null || true; }

# --- ZooKeeper and the Solr nodes (both from the jars services.sh resolves) ---------------
classpath() {
  local cp
  # Resolved into the cluster's own folder: the shared services' cache is never rewritten.
  cp=$(VNDATA_DEV_DIR=$DIR "$ROOT/scripts/services.sh" solr-classpath)
  # The cluster compiles its own copy of the launcher: the shared standalone Solr's
  # classes (under $VNDATA_DEV_DIR) are never rewritten by a cluster.
  if [ ! -f "$DIR/classes/VndataSolr.class" ] || [ "$ROOT/solr/src/VndataSolr.java" -nt "$DIR/classes/VndataSolr.class" ]; then
    mkdir -p "$DIR/classes"
    javac -nowarn -cp "$cp" -d "$DIR/classes" "$ROOT/solr/src/VndataSolr.java"
  fi
  echo "$DIR/classes:$cp"
}

zk_ping() {  # ZooKeeper's four-letter 'ruok' (whitelisted in zoo.cfg) answers 'imok'
  local answer
  exec 3<>"/dev/tcp/127.0.0.1/$ZK_PORT" || return 1
  printf ruok >&3
  read -r -t 2 answer <&3 || true
  exec 3>&-
  [ "$answer" = imok ]
}

zk_start() {
  mkdir -p "$DIR/zookeeper/data"
  cat >"$DIR/zookeeper/zoo.cfg" <<CFG
tickTime=2000
dataDir=$DIR/zookeeper/data
clientPort=$ZK_PORT
clientPortAddress=127.0.0.1
maxClientCnxns=0
4lw.commands.whitelist=ruok,stat,mntr
admin.enableServer=false
autopurge.snapRetainCount=3
autopurge.purgeInterval=1
CFG
  if ! zk_ping 2>/dev/null; then
    background zookeeper java -Xms64m -Xmx256m -XX:+UseSerialGC \
      -Dlog4j.configurationFile="$ROOT/solr/conf/log4j2.xml" -Dzookeeper.jmx.log4j.disable=true \
      -cp "$CP" org.apache.zookeeper.server.ZooKeeperServerMain "$DIR/zookeeper/zoo.cfg"
    wait_for 60 ZooKeeper zk_ping
  fi
  say "ZooKeeper on $ZK"
}

node_url() { echo "http://127.0.0.1:${SOLR_PORTS[$(($1 - 1))]}/solr"; }
node_ping() { curl -fsS "$(node_url "$1")/admin/info/system?wt=json" >/dev/null; }

solr_node_start() {
  local n=$1 home=$DIR/solr-$1
  if node_ping "$n" 2>/dev/null; then return 0; fi
  mkdir -p "$home"
  cp "$ROOT/solr/conf/solr-cloud.xml" "$home/solr.xml"
  # Backups (scripts/backup.sh) go under $DIR/backups: Solr itself writes a collection's
  # backup there, and writes only inside its allowPaths.
  mkdir -p "$DIR/backups"
  background "solr-$n" java -Xms128m -Xmx"$SOLR_HEAP" -XX:+UseSerialGC \
    -Dlog4j.configurationFile="$ROOT/solr/conf/log4j2.xml" -Dsolr.log.muteconsole=true \
    -Dsolr.allowPaths="$DIR/backups" \
    -cp "$CP" VndataSolr "$home" "${SOLR_PORTS[$((n - 1))]}" "$ZK"
  wait_for 120 "Solr node $n" node_ping "$n"
  say "Solr node $n on $(node_url "$n")"
}

solr_node_stop() { stop_recorded "solr-$1"; say "Solr node $1 stopped"; }

# The configset: CKAN's schema.xml of the installed CKAN (its _version_ field a long, as
# SolrCloud's update log needs: cluster_solr.py cloud-schema) with our solrconfig.xml,
# uploaded to ZooKeeper through Solr's Configsets API (once per CKAN version).
configset_upload() {
  local version set conf
  version=$("$VENV/bin/python" -c 'import ckan; print(ckan.__version__)')
  set=ckan-$version-cloud
  if curl -fsS "$(node_url 1)/admin/configs?action=LIST&wt=json" | grep -q "\"$set\""; then
    echo "$set"; return 0
  fi
  conf=$DIR/configset/$set
  rm -rf "$conf"; mkdir -p "$conf"
  for f in solrconfig.xml protwords.txt synonyms.txt stopwords.txt; do cp "$ROOT/solr/conf/$f" "$conf/"; done
  "$VENV/bin/python" -c 'import ckan, os, shutil, sys; shutil.copy(os.path.join(os.path.dirname(ckan.__file__), "config", "solr", "schema.xml"), sys.argv[1])' "$conf"
  "$VENV/bin/python" "$ROOT/scripts/cluster_solr.py" cloud-schema "$conf/schema.xml"
  (cd "$conf" && "$VENV/bin/python" -m zipfile -c ../"$set".zip ./*)
  curl -fsS -X POST -H 'Content-Type: application/octet-stream' --data-binary @"$DIR/configset/$set.zip" \
    "$(node_url 1)/admin/configs?action=UPLOAD&name=$set&wt=json" >/dev/null \
    || die "the configset $set could not be uploaded (see $DIR/logs/solr-1.log)"
  say "configset $set uploaded to ZooKeeper" 
  echo "$set"
}

# The collection: 2 shards, each with one replica on each node, so that either node alone
# holds the whole index. Replicas are placed explicitly (not left to the placement plugin).
collection_create() {
  local set=$1 node1=127.0.0.1:${SOLR_PORTS[0]}_solr node2=127.0.0.1:${SOLR_PORTS[1]}_solr
  local api
  api="$(node_url 1)/admin/collections"
  if ! curl -fsS "$api?action=LIST&wt=json" | grep -q "\"$COLLECTION\""; then
    curl -fsS "$api?action=CREATE&name=$COLLECTION&numShards=2&replicationFactor=1&collection.configName=$set&createNodeSet=$node1&waitForFinalState=true&wt=json" >/dev/null \
      || die "collection $COLLECTION not created (see $DIR/logs/solr-1.log)"
    for shard in shard1 shard2; do
      curl -fsS "$api?action=ADDREPLICA&collection=$COLLECTION&shard=$shard&node=$node2&waitForFinalState=true&wt=json" >/dev/null \
        || die "replica of $shard not added on node 2"
    done
    say "collection $COLLECTION created: 2 shards x 2 replicas"
  fi
  wait_for 120 "every replica of $COLLECTION" "$VENV/bin/python" "$ROOT/scripts/cluster_solr.py" \
    all-active "$(node_url 1)" "$COLLECTION"
}

# --- nginx: the Solr load balancer and, in front of gunicorn, the web ---------------------
# The web tier is configured and nginx started as the demo's (scripts/portal.sh nginx-start);
# the Solr load balancer, the cluster's alone, goes in the file its configuration includes.
solr_balancer_conf() {
  mkdir -p "$DIR/nginx"
  cat >"$DIR/nginx/solr.conf" <<CONF
# Written by scripts/cluster.sh: edit the script, not this file.
# Solr: one address over both nodes. A node that refuses or fails (down, restarting,
# 502/503 while its replicas recover) is skipped for 10 s and the request goes to the
# other node. Updates are retried too (non_idempotent): Solr writes by id, so a batch
# sent twice leaves one copy of each document.
upstream solr_nodes {
  server 127.0.0.1:${SOLR_PORTS[0]} max_fails=1 fail_timeout=10s;
  server 127.0.0.1:${SOLR_PORTS[1]} max_fails=1 fail_timeout=10s;
  keepalive 16;
}
server {
  listen 127.0.0.1:$SOLR_LB_PORT;
  client_max_body_size 200m;
  location /solr/ {
    proxy_pass http://solr_nodes;
    proxy_http_version 1.1;
    proxy_set_header Connection "";
    proxy_connect_timeout 2s;
    proxy_read_timeout 600s;
    proxy_next_upstream error timeout http_502 http_503 non_idempotent;
    proxy_next_upstream_tries 2;
  }
}
CONF
}

# The national portal's static files, for nginx (scripts/portal.sh public-tree).
public_tree() {
  "$ROOT/scripts/portal.sh" public-tree "$VENV" "$DIR/national.ini" "$DIR/public" \
    2>>"$DIR/logs/public-tree.log" \
    || die "the public folders of the plugins could not be listed (see $DIR/logs/public-tree.log)"
}

# --- the national portal's CKAN ----------------------------------------------------------
# Each of its ~8 processes (gunicorn workers, consumers, jobs, scheduler) is single-threaded:
# one pooled connection to each database is enough, and PostgreSQL's 100 connections are
# shared with the test suite and other clusters.
portal_setup() {
  local ini=$DIR/national.ini token_file=$DIR/admin-token ckan=$VENV/bin/ckan
  "$ROOT/scripts/services.sh" db "$DB"
  mkdir -p "$DIR/storage"
  "$ROOT/scripts/portal.sh" ini "$VENV" "$ini" "$DB" "http://127.0.0.1:$SOLR_LB_PORT/solr/$COLLECTION" \
    "redis://127.0.0.1:$REDIS_PORT/0" "http://127.0.0.1:$WEB_PORT" \
    "ckan.site_id = vndata-cluster" \
    "ckan.site_title = Cổng dữ liệu mở quốc gia" \
    "ckan.storage_path = $DIR/storage" \
    "ckanext.xloader.jobs_db.uri = sqlite:///$DIR/xloader-jobs.db" \
    "ckanext.vndata.portal_level = national" \
    "ckanext.vndata.portal_province_code = " \
    "ckanext.vndata.dcat.publisher_name = Cổng dữ liệu mở quốc gia" \
    "ckanext.vndata.web.trusted_proxies = 1" \
    "sqlalchemy.pool_size = 1" "sqlalchemy.max_overflow = 4" \
    "ckan.datastore.sqlalchemy.pool_size = 1" "ckan.datastore.sqlalchemy.max_overflow = 4"
  # umask covers new files; these may be left 0644 by a cluster of an earlier version.
  touch "$token_file"; chmod 600 "$ini" "$token_file"
  # The rest takes minutes (migrations, loading every plugin): skipped when neither the
  # ini, nor CKAN, nor our migrations changed since it last succeeded.
  if [ -s "$token_file" ] && [ "$(cat "$DIR/portal.stamp" 2>/dev/null)" = "$(portal_stamp)" ]; then
    return 0
  fi
  PORTAL_CHANGED=1
  "$ROOT/scripts/portal.sh" migrate "$VENV" "$ini" "$DB"
  if ! "$ckan" -c "$ini" user show admin 2>/dev/null | grep -q "name=admin"; then
    # The password through stdin, never in a command line (/proc/*/cmdline is readable
    # by every user): `user add` without password= prompts for it twice, and reads stdin
    # when it has no terminal (setsid: none, even when cluster.sh is run from one).
    local password=${VNDATA_CLUSTER_PASSWORD:-Quantri-Cluster-2026}
    printf '%s\n%s\n' "$password" "$password" \
      | setsid -w "$ckan" -c "$ini" user add admin email=admin@cluster.vndata >/dev/null 2>&1
    "$ckan" -c "$ini" sysadmin add admin >/dev/null 2>&1
  fi
  # A token is kept while its id (the JWT's jti) is still in the database.
  if [ ! -s "$token_file" ] || ! "$ckan" -c "$ini" user token list admin 2>/dev/null \
      | grep -qF "$(token_id "$token_file")"; then
    "$ckan" -c "$ini" user token add admin cluster 2>/dev/null | tail -n 1 | tr -d '\t ' >"$token_file"
  fi
  "$ckan" config-tool "$ini" "ckanext.xloader.api_token = $(cat "$token_file")" >/dev/null
  public_tree
  portal_stamp >"$DIR/portal.stamp"
}

# What the portal's setup depends on: its ini, CKAN's version and our migrations.
portal_stamp() {
  (cat "$DIR/national.ini"; "$VENV/bin/python" -c 'import ckan; print(ckan.__version__)'
    ls "$ROOT"/ckanext/vndata/migration/*/versions/) | sha256sum
}

token_id() {  # token_id FILE: the id (jti) of the API token in FILE, as CKAN lists it
  local payload
  payload=$(cut -d. -f2 "$1")
  "$VENV/bin/python" -c 'import base64, json, sys; p = sys.argv[1]; print(json.loads(base64.urlsafe_b64decode(p + "=" * (-len(p) % 4)))["jti"])' "$payload"
}

# --- supervisord and its programs --------------------------------------------------------
supervisor_conf() {
  local ini=$DIR/national.ini ckan=$VENV/bin/ckan
  cat >"$DIR/supervisord.conf.new" <<CONF
; Written by scripts/cluster.sh: edit the script, not this file.
[unix_http_server]
file=$DIR/supervisor.sock
chmod=0700

[supervisord]
logfile=$DIR/logs/supervisord.log
pidfile=$DIR/supervisord.pid
childlogdir=$DIR/logs
nodaemon=true
minfds=1024

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

[supervisorctl]
serverurl=unix://$DIR/supervisor.sock

; What every program shares: restarted when it dies, its whole process group stopped.
[program:web]
command=$ROOT/scripts/serve.sh $VENV $ini $GUNICORN_PORT $WEB_WORKERS
$(program_common)

$(for n in 1 2; do printf '[program:gather-%s]
command=%s -c %s vndata_harvester gather-consumer
%s

' "$n" "$ckan" "$ini" "$(program_common)"; done)
$(for n in 1 2; do printf '[program:fetch-%s]
command=%s -c %s vndata_harvester fetch-consumer
%s

' "$n" "$ckan" "$ini" "$(program_common)"; done)
[program:jobs]
command=$ckan -c $ini jobs worker
$(program_common)

[program:scheduler]
command=$ckan -c $ini vndata_harvester scheduler --every ${VNDATA_CLUSTER_SCHEDULER_EVERY:-10}
$(program_common)
CONF
  mv "$DIR/supervisord.conf.new" "$DIR/supervisord.conf"
}

program_common() {
  cat <<CONF
directory=$DIR
environment=CKAN_INI="$DIR/national.ini"
autostart=true
autorestart=true
startsecs=3
startretries=100
stopasgroup=true
killasgroup=true
stopwaitsecs=15
redirect_stderr=true
stdout_logfile=$DIR/logs/%(program_name)s.log
stdout_logfile_maxbytes=20MB
stdout_logfile_backups=2
CONF
}

ctl() { supervisorctl -c "$DIR/supervisord.conf" "$@"; }

supervisor_start() {
  local before
  before=$(cat "$DIR/supervisord.conf" 2>/dev/null || true)
  supervisor_conf
  if alive supervisord && ctl pid >/dev/null 2>&1; then
    # Running: programs whose command changed are restarted, the others keep running.
    [ "$before" = "$(cat "$DIR/supervisord.conf")" ] || ctl update >/dev/null
    # A changed ini (or new migrations) is read by every program only when it starts.
    [ -z "${PORTAL_CHANGED:-}" ] || ctl restart all >/dev/null
  else
    background supervisord supervisord -c "$DIR/supervisord.conf"
    wait_for 30 supervisord ctl pid
  fi
  wait_for 120 "CKAN behind nginx" curl -fsS "http://127.0.0.1:$WEB_PORT/api/3/action/status_show"
  say "supervisord: $(ctl status | awk '{print $1"="$2}' | tr '\n' ' ')"
  say "CKAN on http://127.0.0.1:$WEB_PORT (gunicorn on $GUNICORN_PORT, $WEB_WORKERS workers)"
}

supervisor_stop() {
  if alive supervisord; then
    # supervisord stops its programs (each whole process group) before it exits.
    ctl shutdown >/dev/null 2>&1 || true
    for _ in $(seq 1 120); do alive supervisord || break; sleep 0.25; done
  fi
  stop_recorded supervisord
}

nginx_start() {
  solr_balancer_conf
  "$ROOT/scripts/portal.sh" nginx-start "$DIR/nginx" "$DIR/logs" "$RUN_DIR/nginx.pid" \
    --workers 2 --include "$DIR/nginx/solr.conf" "$WEB_PORT,$GUNICORN_PORT,$DIR/public,$DIR/storage" \
    || die "nginx did not start (see $DIR/logs/nginx-error.log)"
  wait_for 20 "the Solr load balancer" curl -fsS "http://127.0.0.1:$SOLR_LB_PORT/solr/$COLLECTION/select?q=*:*&rows=0"
  say "nginx: Solr load balancer on http://127.0.0.1:$SOLR_LB_PORT/solr/$COLLECTION"
}

# --- the cluster's own Redis -------------------------------------------------------------
redis_ping() { redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; }

redis_start() {
  mkdir -p "$DIR/redis"
  if ! redis_ping; then
    # Persistence on (appendonly): a restart mid-job keeps the queued harvest objects,
    # as a production Redis configured for ckanext-harvest does.
    background redis redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$DIR/redis" \
      --appendonly yes --save ''
    wait_for 15 Redis redis_ping
  fi
  say "Redis on 127.0.0.1:$REDIS_PORT"
}

redis_stop() {
  redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown >/dev/null 2>&1 || true
  for _ in $(seq 1 40); do alive redis || break; sleep 0.25; done
  stop_recorded redis
}

write_env() {
  local tmp=$DIR/cluster.env.tmp
  cat >"$tmp" <<ENV
CLUSTER_WEB_URL=http://127.0.0.1:$WEB_PORT
CLUSTER_SOLR_URL=http://127.0.0.1:$SOLR_LB_PORT/solr/$COLLECTION
CLUSTER_SOLR_NODES="$(node_url 1) $(node_url 2)"
CLUSTER_ZK=$ZK
CLUSTER_REDIS_PORT=$REDIS_PORT
CLUSTER_INI=$DIR/national.ini
CLUSTER_DB=$DB
CLUSTER_SUPERVISOR_CONF=$DIR/supervisord.conf
CLUSTER_CKAN=$VENV/bin/ckan
CLUSTER_ADMIN_TOKEN=$(cat "$DIR/admin-token")
ENV
  chmod 600 "$tmp"
  mv "$tmp" "$DIR/cluster.env"
}

start() {
  command -v java >/dev/null || die "java not found (make system installs it)"
  command -v nginx >/dev/null || die "nginx not found (make system installs nginx-light)"
  mkdir -p "$DIR/logs"
  CP=$(classpath)
  redis_start
  zk_start
  solr_node_start 1
  solr_node_start 2
  collection_create "$(configset_upload)"
  portal_setup
  nginx_start
  supervisor_start
  write_env
  say "ready: $DIR/cluster.env"
}

stop() {
  supervisor_stop
  stop_recorded nginx
  solr_node_stop 2
  solr_node_stop 1
  stop_recorded zookeeper
  redis_stop
  rm -f "$DIR/cluster.env"
  say "stopped"
}

status() {
  local n
  if zk_ping 2>/dev/null; then echo "zookeeper  up   $ZK"; else echo "zookeeper  down"; fi
  for n in 1 2; do
    if node_ping "$n" 2>/dev/null; then echo "solr-$n     up   $(node_url "$n")"; else echo "solr-$n     down"; fi
  done
  if alive nginx; then echo "nginx      up   http://127.0.0.1:$WEB_PORT (Solr: $SOLR_LB_PORT)"; else echo "nginx      down"; fi
  if redis_ping; then echo "redis      up   127.0.0.1:$REDIS_PORT"; else echo "redis      down"; fi
  if alive supervisord; then ctl status || true; else echo "supervisord down"; fi
}

case "${1:-} ${2:-}" in
  "start "*) start ;;
  "stop "*) stop ;;
  "status "*) status ;;
  "solr-node stop") solr_node_stop "${3:?node 1 or 2}" ;;
  "solr-node start") CP=$(classpath); mkdir -p "$DIR/logs"; solr_node_start "${3:?node 1 or 2}"
    wait_for 120 "every replica of $COLLECTION" "$VENV/bin/python" "$ROOT/scripts/cluster_solr.py" \
      all-active "$(node_url "${3}")" "$COLLECTION" ;;
  "redis restart") redis_stop; redis_start ;;
  *) die "usage: cluster.sh start|stop|status|solr-node stop|start 1|2|redis restart" ;;
esac
