"""The migration moves secrets already in sources' configs to their own table."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from ckan import model

from tests.harvester.sources import harvest_source

SECRET = "Bearer cu-7d41e0"
BEFORE = "9b1f4c6e2d75"  # the revision before the secrets moved


def _public_copies(source_id: str) -> dict[str, list[str]]:
    model.Session.remove()
    queries = {
        "harvest_source": "SELECT config FROM harvest_source WHERE id = :id",
        "package_extra": "SELECT value FROM package_extra "
        "WHERE package_id = :id AND key = 'config'",
        "activity": "SELECT data::text FROM activity WHERE object_id = :id",
    }
    return {
        name: list(model.Session.execute(sa.text(query), {"id": source_id}).scalars())
        for name, query in queries.items()
    }


def _secret_rows(source_id: str) -> list[tuple]:
    model.Session.remove()
    return model.Session.execute(
        sa.text(
            "SELECT key, value FROM vndata_harvester_source_secret "
            "WHERE source_id = :id"
        ),
        {"id": source_id},
    ).all()


def _activity_as_before(source_id: str) -> None:
    """An activity recorded when the config still held the secret."""
    (activity_id, data), *_ = model.Session.execute(
        sa.text("SELECT id, data FROM activity WHERE object_id = :id"),
        {"id": source_id},
    ).all()
    data = json.loads(data) if isinstance(data, str) else data
    config = {**json.loads(data["package"]["config"]), "auth_header": SECRET}
    data["package"]["config"] = json.dumps(config)
    data["package"]["auth_header"] = SECRET
    model.Session.execute(
        sa.text("UPDATE activity SET data = :data WHERE id = :id"),
        {"data": json.dumps(data), "id": activity_id},
    )
    model.Session.commit()


@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_upgrade_moves_the_secret_out_and_downgrade_puts_it_back(cli):
    from ckan.cli.cli import ckan

    source = harvest_source("http://127.0.0.1:9/catalog.ttl", auth_header=SECRET)
    model.Session.remove()

    down = cli.invoke(ckan, ["db", "downgrade", "-p", "vndata_harvester", "-v", BEFORE])
    assert down.exit_code == 0, down.output
    copies = _public_copies(source["id"])
    assert SECRET in copies["harvest_source"][0]
    assert SECRET in copies["package_extra"][0]
    _activity_as_before(source["id"])

    up = cli.invoke(ckan, ["db", "upgrade", "-p", "vndata_harvester"])
    assert up.exit_code == 0, up.output
    copies = _public_copies(source["id"])
    assert copies["activity"]
    assert not any(SECRET in copy for rows in copies.values() for copy in rows)
    assert json.loads(copies["harvest_source"][0])["province_code"] == "48"
    assert _secret_rows(source["id"]) == [("auth_header", SECRET)]
