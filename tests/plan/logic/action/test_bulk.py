"""Core's bulk writes (the organization's bulk page) and owner changes call no
dataset hook: chained, an item delivered by a dataset they change follows them."""

from __future__ import annotations

import pytest

from ckan.tests import factories, helpers

from tests.factories import VnDataset
from tests.plan.conftest import call
from tests.plan.helpers import item_due_in_90_days

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


@pytest.fixture
def item(agency):
    """An item due in 90 days: on time while a public dataset delivers it."""
    return item_due_in_90_days(agency)


def _status(agency, item) -> str:
    shown = call("vndata_plan_item_show", agency.editor, id=item["id"])
    return shown["status"]


def _bulk(action, agency, *datasets):
    helpers.call_action(
        action,
        context={"user": factories.Sysadmin()["name"]},
        org_id=agency.org["id"],
        datasets=[d["id"] for d in datasets],
    )


def test_made_private_in_bulk_the_item_stops_counting_and_public_again_counts(
    agency, item
):
    dataset = VnDataset(owner_org=agency.org["id"], plan_item=item["key"])
    other = VnDataset(owner_org=agency.org["id"])
    assert _status(agency, item) == "published_on_time"

    _bulk("bulk_update_private", agency, dataset, other)
    assert _status(agency, item) == "not_due"

    _bulk("bulk_update_public", agency, dataset)
    assert _status(agency, item) == "published_on_time"


def test_deleted_in_bulk_the_item_stops_counting(agency, item):
    dataset = VnDataset(owner_org=agency.org["id"], plan_item=item["key"])

    _bulk("bulk_update_delete", agency, dataset)

    shown = call("vndata_plan_item_show", agency.editor, id=item["id"])
    assert shown["status"] == "not_due"
    assert [d["is_public"] for d in shown["datasets"]] == [False]


def test_moved_to_another_agency_the_dataset_no_longer_delivers_the_item(
    agency, other_agency, item
):
    dataset = VnDataset(owner_org=agency.org["id"], plan_item=item["key"])

    helpers.call_action(
        "package_owner_org_update",
        context={"user": factories.Sysadmin()["name"]},
        id=dataset["id"],
        organization_id=other_agency.org["id"],
    )

    assert _status(agency, item) == "not_due"


@pytest.mark.parametrize("datasets", [None, "x", [None, 5, {"a": 1}, "khong-co"]])
def test_odd_dataset_lists_change_nothing_and_raise_nothing_of_ours(agency, datasets):
    try:
        helpers.call_action(
            "bulk_update_private",
            context={"user": factories.Sysadmin()["name"]},
            org_id=agency.org["id"],
            datasets=datasets,
        )
    except Exception as error:  # core's own answer to its input, not ours
        assert "vndata" not in repr(error.__traceback__.tb_frame)
