#!/usr/bin/env bash
# Restore a folder written by backup.sh into the site an ini names, replacing its data.
# Stop the site's web server and workers first (supervisorctl stop all).
#   restore.sh [--ini INI] DIR --yes     INI defaults to $CKAN_INI
set -euo pipefail
exec "${VNDATA_PYTHON:-python3}" "$(dirname "$0")/site_backup.py" restore "$@"
