"""Fixtures shared by the whole suite (CKAN's pytest plugin provides the rest)."""

from __future__ import annotations

import pytest

import ckan.plugins as p

# Plugins that own tables (alembic migrations); clean_db re-creates them after a reset.
PLUGINS_WITH_MIGRATIONS = ("activity", "harvest", "vndata_plan")


@pytest.fixture
def clean_db(reset_db, migrate_db_for):
    """CKAN's clean_db resets the core schema only; plugin tables must come back too.

    List ``with_plugins`` before ``clean_db`` so the plugins are loaded at this point.
    """
    reset_db()
    for plugin in PLUGINS_WITH_MIGRATIONS:
        if p.plugin_loaded(plugin):
            migrate_db_for(plugin)
