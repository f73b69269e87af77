"""The dataset form offers the agency's undelivered items by number and title."""

from __future__ import annotations

import pytest

from ckanext.vndata.plan import item_choices
from tests.factories import Item, VnDataset
from tests.plan.conftest import plan_in
from tests.plan.helpers import harvested_plan

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def _labels(choices) -> list[str]:
    return [choice["label"] for choice in choices]


def test_offers_the_agencys_undelivered_items_by_number_and_title(agency):
    plan = plan_in(agency, title="Kế hoạch Đà Nẵng 2026")
    open_item = Item(plan_id=plan["id"], title="Danh sách trường học")
    delivered = Item(plan_id=plan["id"], title="Điểm wifi công cộng")
    Item(plan_id=plan["id"], title="Đã loại", removed_reason="Trùng lặp")
    VnDataset(owner_org=agency.org["id"], plan_item=delivered["key"])

    choices = item_choices.choices([agency.org["id"]])

    assert choices == [
        {
            "organization_id": agency.org["id"],
            "value": open_item["key"],
            "label": f"{open_item['number']}. Danh sách trường học "
            "(Kế hoạch Đà Nẵng 2026)",
        }
    ]


def test_another_agencys_and_harvested_items_are_not_offered(agency, other_agency):
    Item(plan_id=plan_in(other_agency)["id"], title="Của cơ quan khác")
    harvested_plan(agency)

    assert item_choices.choices([agency.org["id"]]) == []


def test_an_item_naming_the_agency_as_cooperating_is_offered_to_it(
    agency, other_agency
):
    Item(
        plan_id=plan_in(other_agency)["id"],
        title="Dữ liệu liên ngành",
        cooperating_agencies=[agency.org["title"]],
    )

    choices = item_choices.choices([agency.org["id"]])

    assert [c["organization_id"] for c in choices] == [agency.org["id"]]
    assert "Dữ liệu liên ngành" in choices[0]["label"]


def test_the_item_the_dataset_names_stays_on_offer_first(agency):
    plan = plan_in(agency)
    item = Item(plan_id=plan["id"], title="Danh sách trường học")
    VnDataset(owner_org=agency.org["id"], plan_item=item["key"])

    choices = item_choices.choices([agency.org["id"]], item["key"])

    assert choices[0]["value"] == item["key"]
    assert "Danh sách trường học" in choices[0]["label"]


@pytest.mark.parametrize("hostile", [None, "", "a\x00b", ["x"], "khong-co"])
def test_hostile_organizations_and_current_values_offer_nothing(hostile):
    assert item_choices.choices([hostile, "\x00"], hostile) == []


def test_delivered_now_names_the_item_a_dataset_delivers_by_key_or_id(agency):
    plan = plan_in(agency, title="Kế hoạch Đà Nẵng 2026")
    item = Item(plan_id=plan["id"], title="Điểm wifi công cộng")
    label = f"{item['number']}. Điểm wifi công cộng (Kế hoạch Đà Nẵng 2026)"

    for reference in (item["key"], item["id"]):
        assert item_choices.delivered_now(reference) == {
            "key": item["key"],
            "label": label,
        }


@pytest.mark.parametrize("reference", [None, "", "khong-co", "a\x00b", 5, ["k"]])
def test_delivered_now_is_none_for_no_item(reference):
    assert item_choices.delivered_now(reference) is None
