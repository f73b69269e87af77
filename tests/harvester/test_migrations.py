"""The harvester's table and index are made and removed only by its migrations, and a
site migrated under the plugin's former name upgrades under the new one."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from ckan.model import meta
from ckanext.harvest.model import HarvestObject

from ckanext.vndata.harvester import duplicates
from tests.harvester.sources import harvest_source, objects_of_a_running_job

PAGE_TABLE = "vndata_harvester_page"
SAME_AS_INDEX = "vndata_harvester_object_extra_same_as"


def _schema() -> set[str]:
    meta.Session.remove()
    inspector = sa.inspect(meta.engine)
    found = {PAGE_TABLE} & set(inspector.get_table_names())
    indexes = inspector.get_indexes("harvest_object_extra")
    return found | ({SAME_AS_INDEX} & {index["name"] for index in indexes})


@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_migrations_go_down_and_up(cli):
    from ckan.cli.cli import ckan

    assert _schema() == {PAGE_TABLE, SAME_AS_INDEX}

    args = ["db", "downgrade", "-p", "vndata_harvester", "-v", "base"]
    down = cli.invoke(ckan, args)
    assert down.exit_code == 0, down.output
    assert _schema() == set()

    up = cli.invoke(ckan, ["db", "upgrade", "-p", "vndata_harvester"])
    assert up.exit_code == 0, up.output
    assert _schema() == {PAGE_TABLE, SAME_AS_INDEX}


FORMER = "vndata_dcat_harvester"
BEFORE_RENAME = "c4e8a1f3b605"  # the last revision made under the former name
SECRET = "Bearer tinh-cu-91c2"


def _rows(query: str, **params) -> list[tuple]:
    meta.Session.remove()
    return [tuple(row) for row in meta.Session.execute(sa.text(query), params)]


def _tables() -> set[str]:
    meta.Session.remove()
    return set(sa.inspect(meta.engine).get_table_names())


@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_a_site_migrated_under_the_former_name_upgrades_keeping_its_rows(cli):
    from ckan.cli.cli import ckan

    source = harvest_source("http://127.0.0.1:9/catalog.ttl", auth_header=SECRET)
    # The site as it stood under vndata_dcat_harvester: its tables, its version table.
    down = cli.invoke(
        ckan, ["db", "downgrade", "-p", "vndata_harvester", "-v", BEFORE_RENAME]
    )
    assert down.exit_code == 0, down.output
    with meta.engine.begin() as connection:
        connection.exec_driver_sql(
            f"ALTER TABLE vndata_harvester_alembic_version "
            f"RENAME TO {FORMER}_alembic_version"
        )
        connection.exec_driver_sql(
            f"INSERT INTO {FORMER}_page (id, job_id, source_id, digest, guids, "
            "skipped, created) VALUES ('trang-1', 'job-1', 'nguon-1', 'd1', '[]', "
            "true, now())"
        )
    assert {f"{FORMER}_page", f"{FORMER}_source_secret"} <= _tables()

    up = cli.invoke(ckan, ["db", "upgrade", "-p", "vndata_harvester"])

    assert up.exit_code == 0, up.output
    tables = _tables()
    assert "vndata_harvester_alembic_version" in tables
    assert not {t for t in tables if t.startswith(FORMER)}
    assert _rows("SELECT id FROM vndata_harvester_page") == [("trang-1",)]
    assert _rows(
        "SELECT key, value FROM vndata_harvester_source_secret WHERE source_id = :id",
        id=source["id"],
    ) == [("auth_header", SECRET)]
    assert _schema() == {PAGE_TABLE, SAME_AS_INDEX}
    indexes = {i["name"] for i in sa.inspect(meta.engine).get_indexes(PAGE_TABLE)}
    assert indexes == {
        "ix_vndata_harvester_page_job_id",
        "vndata_harvester_page_source_digest",
    }
    assert _rows(
        "SELECT conname FROM pg_constraint WHERE contype = 'p' AND conrelid IN "
        "('vndata_harvester_page'::regclass, "
        "'vndata_harvester_source_secret'::regclass) ORDER BY conname"
    ) == [("vndata_harvester_page_pkey",), ("vndata_harvester_source_secret_pkey",)]


@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_a_site_migrated_under_both_names_stops_with_a_clear_error(cli):
    from ckan.cli.cli import ckan

    # An old deploy ran `db upgrade -p vndata_dcat_harvester` after the rename.
    with meta.engine.begin() as connection:
        connection.exec_driver_sql(
            f"CREATE TABLE {FORMER}_alembic_version (version_num varchar(32))"
        )
    try:
        up = cli.invoke(ckan, ["db", "upgrade", "-p", "vndata_harvester"])

        assert up.exit_code != 0
        message = str(up.exception)
        assert f"{FORMER}_alembic_version" in message
        assert "vndata_harvester_alembic_version" in message
        assert "vndata_harvester_alembic_version" in _tables()  # nothing renamed
    finally:
        with meta.engine.begin() as connection:
            connection.exec_driver_sql(f"DROP TABLE {FORMER}_alembic_version")


def _many_addresses_stored(count: int) -> None:
    """``count`` current harvest objects of a job, each naming one address, as on a
    site that has harvested a while (the planner chooses by both tables' sizes)."""
    (first,) = objects_of_a_running_job(1)
    rows = {"job": first.harvest_job_id, "source": first.harvest_source_id}
    meta.Session.execute(
        sa.text(
            "INSERT INTO harvest_object (id, guid, current, state, harvest_job_id, "
            "harvest_source_id) SELECT 'ho-' || n, 'ds-' || n, true, 'COMPLETE', "
            ":job, :source FROM generate_series(1, :count) AS n"
        ),
        {**rows, "count": count},
    )
    meta.Session.execute(
        sa.text(
            "INSERT INTO harvest_object_extra (id, harvest_object_id, key, value) "
            "SELECT 'hoe-' || n, 'ho-' || n, :key, 'https://tinh.gov.vn/dataset/' || n "
            "FROM generate_series(1, :count) AS n"
        ),
        {"key": duplicates.SAME_AS, "count": count},
    )
    meta.Session.commit()
    meta.Session.execute(sa.text("ANALYZE harvest_object"))
    meta.Session.execute(sa.text("ANALYZE harvest_object_extra"))


@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_the_duplicate_lookup_uses_the_same_as_index():
    _many_addresses_stored(5000)
    statements = []

    def seen(conn, cursor, statement, parameters, context, executemany):
        statements.append((statement, parameters))

    sa.event.listen(meta.engine, "before_cursor_execute", seen)
    try:
        duplicates.others(
            HarvestObject(harvest_source_id="nguon-khac"),
            {"https://a.gov.vn/1", "https://b.gov.vn/2"},
        )
    finally:
        sa.event.remove(meta.engine, "before_cursor_execute", seen)
    ((statement, parameters),) = statements
    with meta.engine.connect() as connection:
        plan = connection.exec_driver_sql("EXPLAIN " + statement, parameters)
        lines = [row[0] for row in plan]

    assert any(SAME_AS_INDEX in line for line in lines), lines
