#!/usr/bin/env bash
# Serve one CKAN site as production does: gunicorn workers running
# ckanext.vndata.wsgi:application, never Werkzeug's development server and its debugger.
#   serve.sh VENV INI PORT [WORKERS]        runs in the foreground (exec)
set -euo pipefail
VENV=$1 INI=$2 PORT=$3 WORKERS=${4:-${VNDATA_WEB_WORKERS:-2}}
export CKAN_INI
CKAN_INI=$(cd "$(dirname "$INI")" && pwd)/$(basename "$INI")
# --timeout: a harvest source page or an Excel upload may take a while on 2 cores.
exec "$VENV/bin/gunicorn" ckanext.vndata.wsgi:application \
  --bind "127.0.0.1:$PORT" --workers "$WORKERS" --timeout 180 --graceful-timeout 10 \
  --access-logfile - --error-logfile -
