#!/usr/bin/env bash
# Back up one CKAN site (databases, Solr collection, storage folder, ini) into a new folder.
#   backup.sh [--ini INI] DIR        INI defaults to $CKAN_INI
# The work is in site_backup.py (Python: it waits on Solr and checks what it wrote);
# it needs only the standard library and pg_dump, so any python3 runs it.
set -euo pipefail
exec "${VNDATA_PYTHON:-python3}" "$(dirname "$0")/site_backup.py" backup "$@"
