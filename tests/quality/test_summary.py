"""A group's summary: the sum of its public datasets' stored tallies now, and its
history from the snapshots; as CSV a person can read."""

from __future__ import annotations

import datetime
import json

import pytest

from ckan import model
from ckan.tests import factories

from ckanext.vndata.quality import summary
from ckanext.vndata.quality.model import DatasetScore, Snapshot
from ckanext.vndata.quality.tally import Tally
from tests.factories import VnDataset


def _store(dataset: dict, tally: Tally) -> None:
    model.Session.merge(
        DatasetScore(package_id=dataset["id"], points=tally.total(),
                     rating=tally.rating(), tally=json.dumps(tally.as_dict()))
    )  # fmt: skip


@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_the_summary_adds_up_the_groups_datasets_and_its_days():
    org = factories.Organization()
    _store(VnDataset(owner_org=org["id"]), Tally({"keywords": (1, 1)}, 1))
    _store(VnDataset(owner_org=org["id"]), Tally({"keywords": (0, 1)}, 1))
    day = datetime.date(2026, 11, 29)
    stored = json.dumps(Tally({"keywords": (1, 1)}, 1).as_dict())
    model.Session.add(
        Snapshot(day=day, scope="organization", scope_id=org["id"], points=30,
                 rating="bad", tally=stored)
    )  # fmt: skip
    model.Session.commit()

    result = summary.vndata_quality_group_summary("organization", org["id"])

    assert (result["datasets"], result["points"], result["rating"]) == (2, 15, "bad")
    findability = result["dimensions"][0]
    assert (findability["key"], findability["points"]) == ("findability", 15)
    assert result["history"] == [
        {"day": "2026-11-29", "points": 30, "rating": "bad", "datasets": 1,
         "dimensions": {"findability": 30, "accessibility": 0,
                        "interoperability": 0, "reusability": 0,
                        "contextuality": 0}}
    ]  # fmt: skip
    assert summary.vndata_quality_group_summary("nation", None)["datasets"] == 2


def test_the_csv_has_a_row_per_day():
    history = [{"day": "2026-11-29", "points": 30, "rating": "bad", "datasets": 1,
                "dimensions": {"findability": 30.0, "accessibility": 0,
                               "interoperability": 0, "reusability": 0,
                               "contextuality": 0}}]  # fmt: skip
    text = summary.vndata_quality_summary_csv({"history": history})
    assert text.splitlines()[1] == "29/11/2026,1,30,Bad,30.0,0,0,0,0"
