"""The quality tables exist after the plugin's migration and keep what is written."""

from __future__ import annotations

import datetime

import pytest
import sqlalchemy as sa

from ckan import model

from ckanext.vndata.quality.model import DatasetScore, LinkCheck, Snapshot


@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_the_migration_makes_the_three_tables():
    model.Session.add(DatasetScore(package_id="p", points=10, rating="bad", tally="{}"))
    model.Session.add(LinkCheck(resource_id="r", package_id="p", url="http://x/"))
    day = datetime.date(2026, 11, 30)
    model.Session.add(
        Snapshot(day=day, scope="organization", scope_id="o", points=1,
                 rating="bad", tally="{}")
    )  # fmt: skip
    model.Session.commit()
    assert model.Session.get(LinkCheck, "r").failures == 0
    # One snapshot per scope and day.
    model.Session.add(
        Snapshot(day=day, scope="organization", scope_id="o", points=2,
                 rating="bad", tally="{}")
    )  # fmt: skip
    with pytest.raises(sa.exc.IntegrityError):
        model.Session.commit()
    model.Session.rollback()
