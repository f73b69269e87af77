"""Group scores are the sums of their public datasets' stored tallies."""

from __future__ import annotations

import datetime
import json

import pytest

from ckan import model
from ckan.tests import factories, helpers

from ckanext.vndata.quality import aggregate
from ckanext.vndata.quality.model import DatasetScore, Snapshot
from ckanext.vndata.quality.tally import Tally
from tests.factories import VnDataset
from tests.harvester.sources import harvest_source


def _store(dataset: dict, passed: int) -> None:
    tally = Tally({"keywords": (passed, 1)}, 1)
    model.Session.merge(
        DatasetScore(
            package_id=dataset["id"],
            points=tally.total(),
            rating=tally.rating(),
            tally=json.dumps(tally.as_dict()),
        )
    )
    model.Session.commit()


@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_only_public_active_datasets_count_and_groups_add_up():
    one, two = factories.Organization(), factories.Organization()
    _store(VnDataset(owner_org=one["id"]), 1)
    _store(VnDataset(owner_org=one["id"]), 0)
    _store(VnDataset(owner_org=two["id"]), 1)
    _store(VnDataset(owner_org=two["id"], private=True), 0)
    by_org = aggregate.vndata_quality_by_organization()
    assert by_org[one["id"]].counts["keywords"] == (1, 2)
    assert by_org[two["id"]].counts["keywords"] == (1, 1)
    nation = aggregate.vndata_quality_of_organizations()
    assert nation.counts["keywords"] == (2, 3)
    assert nation.indicator_points()["keywords"] == 20
    assert aggregate.vndata_quality_of_organizations([two["id"]]).datasets == 1


@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_a_dataset_moved_to_another_organization_counts_there():
    # package_owner_org_update fires no dataset hook: the score is not rewritten.
    one, two = factories.Organization(), factories.Organization()
    dataset = VnDataset(owner_org=one["id"])
    _store(dataset, 1)
    helpers.call_action(
        "package_owner_org_update", context={"ignore_auth": True},
        id=dataset["id"], organization_id=two["id"],
    )  # fmt: skip
    by_org = aggregate.vndata_quality_by_organization()
    assert set(by_org) == {two["id"]}
    assert aggregate.vndata_quality_of_organizations([one["id"]]).datasets == 0
    assert aggregate.vndata_quality_of_organizations([two["id"]]).datasets == 1


@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_a_harvest_source_does_not_count():
    org = factories.Organization()
    source = harvest_source("https://opendata.danang.gov.vn/dcat", owner_org=org["id"])
    # Even with a score row (written before only datasets were scored).
    _store(source, 0)
    assert aggregate.vndata_quality_by_organization() == {}
    assert aggregate.vndata_quality_of_organizations().datasets == 0


@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_history_sums_the_snapshots_of_the_group_per_day():
    day = datetime.date(2026, 11, 29)
    for scope_id, passed in (("a", 1), ("b", 0)):
        tally = Tally({"keywords": (passed, 1)}, 1)
        model.Session.add(
            Snapshot(day=day, scope="organization", scope_id=scope_id,
                     points=tally.total(), rating=tally.rating(),
                     tally=json.dumps(tally.as_dict()))
        )  # fmt: skip
    model.Session.commit()
    ((when, tally),) = aggregate.vndata_quality_history("organization", ["a", "b"])
    assert when == day and tally.counts["keywords"] == (1, 2)
    assert aggregate.vndata_quality_history("organization", ["a"], since=day)
    later = day + datetime.timedelta(days=1)
    assert aggregate.vndata_quality_history("organization", since=later) == []
