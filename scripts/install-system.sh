#!/usr/bin/env bash
# Install the Debian packages the stack needs, only those that are missing (idempotent).
# Java 17 and Maven are expected on the machine; they are installed too when absent.
set -euo pipefail

missing=()
need() {  # need PACKAGE TEST-COMMAND...
  local package=$1; shift
  "$@" >/dev/null 2>&1 || missing+=("$package")
}

need postgresql sh -c 'ls /usr/lib/postgresql/*/bin/initdb'
need redis-server command -v redis-server
need redis-tools command -v redis-cli
need libpq-dev command -v pg_config
need libmagic1 sh -c 'ls /usr/lib/*/libmagic.so.1'
need build-essential command -v gcc
need curl command -v curl
need openjdk-17-jdk-headless command -v javac
need maven command -v mvn
# make cluster: the reverse proxy, the process supervisor, and the load generator of its
# tests (Debian's nginx-light is nginx with the modules a proxy needs).
need nginx-light command -v nginx
need supervisor command -v supervisord
need wrk command -v wrk
if [ "${VNDATA_WITH_BROWSER:-1}" = 1 ]; then  # the browser tests drive it
  need chromium command -v chromium
fi
# A Debian python3.11 needs its venv module and headers; a pyenv build has both.
python=${PYTHON:-python3.11}
if [ "$("$python" -c 'import sys; print(sys.prefix)' 2>/dev/null)" = /usr ]; then
  need python3-venv "$python" -c 'import ensurepip'
  need python3-dev sh -c "test -f /usr/include/python3.11/Python.h"
fi

if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" != 0 ]; then
  echo "Missing Debian packages: ${missing[*]}" >&2
  echo "Install them with: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
echo "[setup] installing Debian packages: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# Debian's postgresql and redis packages try to start system-wide services; the project
# runs its own on other ports, so package scripts are told not to start anything.
policy=/usr/sbin/policy-rc.d
created_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy"; chmod +x "$policy"; created_policy=1
fi
apt-get update -q >/dev/null
apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
if [ "$created_policy" = 1 ]; then rm -f "$policy"; fi
