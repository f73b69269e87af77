"""Reactions to dataset writes: which writes refresh plan links, and a deleted
dataset takes its deliveries back (plan/subscriptions.py). The writes through CKAN's
actions are in tests/plan/test_sync.py and tests/plan/test_harvest_sync.py."""

from __future__ import annotations

import pytest

import ckan.plugins.toolkit as tk

from ckanext.vndata.plan import subscriptions
from tests.factories import VnDataset
from tests.plan.conftest import call
from tests.plan.helpers import item_due_in_90_days

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


@pytest.fixture
def item(agency):
    return item_due_in_90_days(agency)


@pytest.mark.parametrize(
    "pkg_dict",
    [
        {},
        {"id": ""},
        {"id": "khong-co", "type": "harvest", "plan_item": "k"},
        {"id": "khong-co"},
        {"id": "khong-co", "source_catalog_uri": "http://x", "title": "Không có"},
    ],
)
def test_writes_that_concern_no_plan_are_left_alone(pkg_dict):
    # The dataset does not exist: looking it up would raise.
    subscriptions.dataset_written({"user": ""}, pkg_dict)


def test_a_write_naming_an_item_looks_the_stored_dataset_up():
    with pytest.raises(tk.ObjectNotFound):
        subscriptions.dataset_written(
            {"user": ""}, {"id": "khong-co", "plan_item": "k"}
        )


def test_the_stored_dataset_counts_not_the_dict_sent(agency, item):
    dataset = VnDataset(owner_org=agency.org["id"])

    subscriptions.dataset_written(
        {"user": ""}, {"id": dataset["id"], "plan_item": item["key"]}
    )

    shown = call("vndata_plan_item_show", agency.editor, id=item["id"])
    assert shown["datasets"] == []


def test_a_deleted_dataset_takes_its_delivery_back(agency, item):
    dataset = VnDataset(owner_org=agency.org["id"], plan_item=item["key"])

    subscriptions.dataset_deleted({"user": ""}, {"id": dataset["id"]})
    subscriptions.dataset_deleted({"user": ""}, {})

    shown = call("vndata_plan_item_show", agency.editor, id=item["id"])
    assert [d["is_public"] for d in shown["datasets"]] == [False]
    assert not shown["status"].startswith("published")
