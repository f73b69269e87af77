"""The plan tables are created and dropped only by their alembic migrations."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from ckan.model import meta

PLAN_TABLES = {
    "vndata_plan",
    "vndata_plan_phase",
    "vndata_plan_item",
    "vndata_plan_item_dataset",
    "vndata_plan_event",
    "vndata_plan_body",
    "vndata_plan_link_waiting",
}


def _tables() -> set[str]:
    meta.Session.remove()
    return set(sa.inspect(meta.engine).get_table_names()) & PLAN_TABLES


@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_migrations_go_down_and_up(cli):
    from ckan.cli.cli import ckan

    assert _tables() == PLAN_TABLES

    down = cli.invoke(ckan, ["db", "downgrade", "-p", "vndata_plan", "-v", "base"])
    assert down.exit_code == 0, down.output
    assert _tables() == set()

    up = cli.invoke(ckan, ["db", "upgrade", "-p", "vndata_plan"])
    assert up.exit_code == 0, up.output
    assert _tables() == PLAN_TABLES
