# ckanext-vndata: every target is idempotent and starts what it needs.
#   make demo          national portal with the four plugins on http://127.0.0.1:5000
#   make demo-stop     stop the demo's portals, nginx and workers (the services keep running)
#   make cluster       the national portal's production topology (scripts/cluster.sh)
#   make test          the whole suite against real PostgreSQL, Redis and Solr
#   make test CKAN=2.12   the same on the CKAN 2.12 leg
SHELL := /bin/bash
.DEFAULT_GOAL := help

CKAN ?= 2.11
PYTHON ?= python3.11
ifeq ($(CKAN),2.11)
VENV := .venv
else
VENV := .venv-$(CKAN)
endif
PYTEST_ARGS ?=
# pytest processes of `make test` (pytest-xdist; see scripts/run-tests.sh).
VNDATA_TEST_WORKERS ?= 2

STAMP := $(VENV)/.vndata-installed
CATALOGUES := $(patsubst %.po,%.mo,$(wildcard i18n/*/LC_MESSAGES/ckanext-vndata.po))

.PHONY: help setup system services stop status test lint format demo demo-stop cluster bench i18n clean

help:
	@echo "make demo | demo-stop | cluster | test [CKAN=2.12] | setup | services | stop | status | bench | lint | format | i18n | clean"

system:
	@PYTHON=$(PYTHON) scripts/install-system.sh

$(STAMP): requirements/ckan-$(CKAN).txt requirements/dev.txt requirements.txt pyproject.toml setup.py
	@echo "[setup] Python environment $(VENV) for CKAN $(CKAN)"
	@test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	@$(VENV)/bin/pip install -q --upgrade pip 'setuptools>=77,<82' wheel
	@$(VENV)/bin/pip install -q -r requirements/ckan-$(CKAN).txt -r requirements/dev.txt
	@$(VENV)/bin/pip install -q -e .
	@touch $@

# Our catalogue over i18n/upstream/<locale>.po (see setup.py, compile_catalogues).
i18n/%/LC_MESSAGES/ckanext-vndata.mo: i18n/%/LC_MESSAGES/ckanext-vndata.po $(wildcard i18n/upstream/*.po) $(STAMP)
	@$(VENV)/bin/python -c 'import runpy; runpy.run_path("setup.py", run_name="compile")'
	@echo "[setup] compiled $@"

setup: system $(STAMP) $(CATALOGUES)

services: setup
	@scripts/services.sh start

# The cluster first: its workers use the shared PostgreSQL until they are stopped.
stop:
	@scripts/cluster.sh stop
	@scripts/services.sh stop

status:
	@scripts/services.sh status

test: setup
	@VNDATA_TEST_WORKERS=$(VNDATA_TEST_WORKERS) scripts/run-tests.sh $(VENV) $(PYTEST_ARGS)

lint: $(STAMP)
	@$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

format: $(STAMP)
	@$(VENV)/bin/ruff check --fix . && $(VENV)/bin/ruff format .

demo: services
	@scripts/demo.sh $(VENV)

demo-stop:
	@scripts/services.sh stop-recorded

cluster: services
	@scripts/cluster.sh start

bench: services
	@scripts/bench.sh $(VENV)

# Re-extract the strings of Python code and templates and merge them into each catalogue.
i18n: $(STAMP)
	@$(VENV)/bin/pybabel extract -F babel.cfg --no-location --sort-output \
	  -k tk._ -k _ -k ungettext:1,2 --project ckanext-vndata \
	  --copyright-holder "ckanext-vndata developers" -o i18n/ckanext-vndata.pot ckanext
	@$(VENV)/bin/pybabel update --no-fuzzy-matching -D ckanext-vndata \
	  -i i18n/ckanext-vndata.pot -d i18n

clean: stop
	rm -rf .dev build dist *.egg-info
