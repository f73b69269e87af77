"""Each linked dataset that does not count towards its item says why."""

from __future__ import annotations

import datetime

import pytest

from ckan.tests import factories, helpers

from ckanext.vndata.plan import link_status
from tests.factories import Item, VnDataset
from tests.plan.conftest import call, plan_in

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def _link(agency, **dataset) -> tuple[dict, dict]:
    item = Item(plan_id=plan_in(agency)["id"])
    made = VnDataset(owner_org=agency.org["id"], plan_item=item["key"], **dataset)
    return made, item


def _pending(agency, item) -> list[str]:
    (link,) = call("vndata_plan_item_show", agency.editor, id=item["id"])["datasets"]
    return link_status.reasons(link)


def test_a_public_dataset_counts(agency):
    _dataset, item = _link(agency)

    assert _pending(agency, item) == []


def test_a_private_dataset_says_so_and_what_the_gate_wants(agency):
    _dataset, item = _link(agency, private=True, data_sharing_class="dung_chung")

    reasons = " ".join(_pending(agency, item))

    assert "private" in reasons
    assert "Only open data may be public" in reasons


def test_a_deleted_dataset_says_so(agency):
    dataset, item = _link(agency)
    helpers.call_action(
        "package_delete", {"user": factories.Sysadmin()["name"]}, id=dataset["id"]
    )

    assert _pending(agency, item) == ["The dataset was deleted."]


def test_a_publication_date_to_come_says_when(agency):
    later = datetime.date.today() + datetime.timedelta(days=40)
    _dataset, item = _link(agency, issued=later.isoformat())

    (reason,) = _pending(agency, item)

    assert later.isoformat() in reason or later.strftime("%d/%m/%Y") in reason
