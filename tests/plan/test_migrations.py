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


def _rows(sql: str, **params) -> list[tuple]:
    meta.Session.remove()
    with meta.engine.connect() as connection:
        return [tuple(row) for row in connection.execute(sa.text(sql), params)]


def _execute(sql: str, **params) -> None:
    meta.Session.remove()
    with meta.engine.begin() as connection:
        connection.execute(sa.text(sql), params)


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_harvested_items_are_rekeyed_and_duplicate_versions_dropped(
    cli, source, agency, national_copy
):
    """Revision 9a4c6e1f2b58 on plans harvested before it: the items take their
    national keys with their harvest links, the links a plan_item field made on them
    go, and of two rows of one version the last harvested stays."""
    from ckan.cli.cli import ckan

    from ckanext.vndata.plan import harvested
    from tests.plan.helpers import TRUONG_HOC, import_as, plan_record

    import_as(plan_record(), source, agency, {TRUONG_HOC["uri"]: national_copy["id"]})
    down = cli.invoke(
        ckan, ["db", "downgrade", "-p", "vndata_plan", "-v", "8e5d2b7c4a19"]
    )
    assert down.exit_code == 0, down.output
    assert _rows("SELECT key FROM vndata_plan_item ORDER BY number") == [
        ("kh-dn-1",),
        ("kh-dn-2",),
    ]
    # as before the fix: a field link on a harvested item, and a second row of v1
    _execute(
        "CREATE TEMP TABLE copied AS SELECT * FROM vndata_plan_item_dataset; "
        "UPDATE copied SET item_key = 'kh-dn-2', source = 'field'; "
        "INSERT INTO vndata_plan_item_dataset SELECT * FROM copied"
    )
    (plan_id,) = _rows("SELECT id FROM vndata_plan")[0]
    _execute(
        "INSERT INTO vndata_plan (id, series_id, version, organization_id, title, "
        "review_interval_months, status, created, modified, harvest_source_id, "
        "remote_series_id, harvested_at) SELECT 'cu', series_id, version, "
        "organization_id, title, review_interval_months, status, created, modified, "
        "harvest_source_id, remote_series_id, harvested_at - interval '1 hour' "
        "FROM vndata_plan WHERE id = :id",
        id=plan_id,
    )

    up = cli.invoke(ckan, ["db", "upgrade", "-p", "vndata_plan"])

    assert up.exit_code == 0, up.output
    assert _rows("SELECT id FROM vndata_plan") == [(plan_id,)]
    first, second = (
        harvested.national_key(source["id"], k) for k in ("kh-dn-1", "kh-dn-2")
    )
    assert _rows("SELECT key, remote_key FROM vndata_plan_item ORDER BY number") == [
        (first, "kh-dn-1"),
        (second, "kh-dn-2"),
    ]
    assert _rows("SELECT item_key, source FROM vndata_plan_item_dataset") == [
        (first, "harvest")
    ]
