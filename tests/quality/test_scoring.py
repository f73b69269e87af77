"""Every score recomputed from the database, and the day's snapshots: upserted, so a
second run the same day replaces that day's rows and earlier days stay."""

from __future__ import annotations

import datetime
import json

import pytest

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.tests import factories

from ckanext.vndata.quality import scoring
from ckanext.vndata.quality.indicators import Facts
from ckanext.vndata.quality.model import DatasetScore, Snapshot
from ckanext.vndata.quality.tally import Tally, vndata_quality_tally
from tests.factories import VnDataset
from tests.quality.helpers import source_bringing


def _score(package_id: str) -> DatasetScore:
    return model.Session.query(DatasetScore).get(package_id)


def _unscored() -> None:
    """No stored score, as for datasets written before the plugin was enabled."""
    model.Session.query(DatasetScore).delete()
    model.Session.commit()


def _snapshots() -> dict[tuple, Snapshot]:
    model.Session.expire_all()
    return {(s.day, s.scope, s.scope_id): s for s in model.Session.query(Snapshot)}


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_every_active_dataset_is_scored_as_package_show_would_score_it():
    org = factories.Organization()
    full = VnDataset(
        owner_org=org["id"], tags=[{"name": "y tế"}], province_code="48",
        resources=[{"url": "https://example.vn/a.csv", "format": "CSV"}],
    )  # fmt: skip
    private = VnDataset(owner_org=org["id"], private=True)
    gone = VnDataset(owner_org=org["id"])
    tk.get_action("package_delete")(
        {"user": factories.Sysadmin()["name"]}, {"id": gone["id"]}
    )
    # Conformance belongs to the SHACL job: the bulk score keeps it.
    model.Session.merge(
        DatasetScore(package_id=full["id"], points=0,
                     rating="bad", tally="{}", conformant=True,
                     conformance_digest="abc")
    )  # fmt: skip
    model.Session.commit()
    seen = []

    run = scoring.vndata_quality_score_all(
        progress=lambda stage, done, total: seen.append((stage, done, total))
    )

    assert run.datasets == 2
    model.Session.expire_all()
    assert _score(gone["id"]) is None
    for dataset in (full, private):
        shown = tk.get_action("package_show")({"ignore_auth": True}, dataset)
        stored = _score(dataset["id"])
        expected = vndata_quality_tally(shown, _facts(stored))
        assert Tally.from_dict(json.loads(stored.tally)) == expected
        assert (stored.points, stored.rating) == (expected.total(), expected.rating())
    assert _score(full["id"]).conformant is True
    assert _score(full["id"]).conformance_digest == "abc"
    assert {stage for stage, _done, _total in seen} == set(scoring.STAGES)
    assert sum(d for s, d, _t in seen if s == "scoring") == 2
    # The nation counts public datasets only.
    assert run.nation.datasets == 1


def _facts(stored: DatasetScore) -> Facts:
    return Facts(conformant=stored.conformant)


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_snapshots_per_organization_and_source_replace_the_day_and_keep_history():
    org, other = factories.Organization(), factories.Organization()
    harvested = VnDataset(owner_org=org["id"])
    VnDataset(owner_org=other["id"], tags=[{"name": "giáo dục"}])
    source = source_bringing(harvested)
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    scoring.vndata_quality_score_all()
    scoring.vndata_quality_take_snapshots(day=yesterday)
    before = _snapshots()
    today = datetime.datetime.utcnow().date()
    assert set(before) == {
        (day, scope, scope_id)
        for day in (yesterday, today)
        for scope, scope_id in (
            ("organization", org["id"]),
            ("organization", other["id"]),
            ("source", source["id"]),
        )
    }
    # A better dataset, scored again the same day: today's row replaced, not added.
    tk.get_action("package_patch")(
        {"user": factories.Sysadmin()["name"]},
        {"id": harvested["id"], "tag_string": "y tế", "province_code": "48"},
    )
    scoring.vndata_quality_score_all()
    after = _snapshots()
    assert set(after) == set(before)
    key = (today, "organization", org["id"])
    assert after[key].points == before[key].points + 30 + 20
    assert after[(today, "source", source["id"])].points == after[key].points
    assert after[(yesterday, "organization", org["id"])].points == before[key].points


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_only_the_organizations_asked_for_are_scored():
    one, two = factories.Organization(), factories.Organization()
    mine, theirs = VnDataset(owner_org=one["id"]), VnDataset(owner_org=two["id"])
    _unscored()
    run = scoring.vndata_quality_score_all([one["id"]])
    assert run.datasets == 1
    assert _score(mine["id"]) is not None and _score(theirs["id"]) is None


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_a_changed_rating_is_reindexed_and_an_unchanged_one_is_not():
    org = factories.Organization()
    VnDataset(owner_org=org["id"])
    _unscored()
    assert scoring.vndata_quality_score_all().reindexed == 1
    assert scoring.vndata_quality_score_all().reindexed == 0
