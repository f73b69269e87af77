"""A dataset's plan_item names an item its agency may deliver: refused with a reason
otherwise, through every action that writes a dataset."""

from __future__ import annotations

import uuid

import pytest
from hypothesis import given

import ckan.plugins.toolkit as tk
from ckan.tests import helpers

from ckanext.vndata.plan import sync
from tests.factories import Item, VnDataset
from tests.fuzz import FUZZ, HOSTILE
from tests.plan.conftest import call, plan_in
from tests.plan.helpers import harvested_plan

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def _refused(action: str, user: dict, **data) -> str:
    with pytest.raises(tk.ValidationError) as refused:
        call(action, user, **data)
    return " ".join(refused.value.error_dict["plan_item"])


@pytest.fixture
def item(agency):
    return Item(plan_id=plan_in(agency)["id"], title="Danh sách trường học")


def test_the_title_typed_instead_of_picked_is_refused(agency, item):
    message = _refused(
        "package_create", agency.editor, **_dataset(agency, plan_item=item["title"])
    )

    assert "choose the item from the list" in message


def test_another_agencys_item_is_refused_by_create_update_and_patch(
    agency, other_agency, item
):
    dataset = VnDataset(owner_org=other_agency.org["id"])
    editor = other_agency.editor

    for action, data in (
        ("package_create", _dataset(other_agency, plan_item=item["key"])),
        ("package_update", {**dataset, "plan_item": item["key"]}),
        ("package_patch", {"id": dataset["id"], "plan_item": item["key"]}),
    ):
        assert "another agency" in _refused(action, editor, **data)
    assert not sync.has_links(dataset["id"])


def test_a_removed_item_is_refused_but_a_dataset_keeps_the_one_it_delivers(agency):
    plan = plan_in(agency)
    kept = Item(plan_id=plan["id"], title="Giữ lại")
    removed = Item(plan_id=plan["id"], title="Đã loại", removed_reason="Trùng lặp")
    dataset = VnDataset(owner_org=agency.org["id"], plan_item=kept["key"])
    call("vndata_plan_item_update", agency.editor, id=kept["id"], removed_reason="x")

    message = _refused(
        "package_patch", agency.editor, id=dataset["id"], plan_item=removed["key"]
    )
    patched = call("package_patch", agency.editor, id=dataset["id"], notes="Mô tả mới.")

    assert "removed from the open-data list" in message
    assert patched["plan_item"] == kept["key"]


def test_an_item_of_a_harvested_plan_is_refused(agency):
    item = harvested_plan(agency)["items"][0]

    message = _refused(
        "package_create", agency.editor, **_dataset(agency, plan_item=item["key"])
    )

    assert "harvested from another portal" in message


def test_the_agencys_item_is_accepted_and_delivered(agency, item):
    dataset = call(
        "package_create", agency.editor, **_dataset(agency, plan_item=item["key"])
    )

    assert dataset["plan_item"] == item["key"]
    assert sync.has_links(dataset["id"])


def _dataset(agency, **fields) -> dict:
    return _new_dataset(owner_org=agency.org["id"], **fields)


def _new_dataset(**fields) -> dict:
    """What a dataset form sends for a new dataset that passes the schema and the
    gate (as tests.factories.VnDataset makes them)."""
    return {
        "name": f"tap-du-lieu-{uuid.uuid4().hex[:12]}",
        "title": "Tập dữ liệu thử nghiệm",
        "notes": "Dữ liệu phục vụ kiểm thử.",
        "sectors": ["xa-hoi"],
        "data_sharing_class": "mo",
        "data_importance_class": "khac",
        "personal_data_assessed": True,
        "update_frequency": "hang_nam",
        **fields,
    }


@FUZZ
@given(value=HOSTILE)
def test_hostile_plan_item_is_a_validation_error_never_a_crash(value):
    site = helpers.call_action("get_site_user")
    try:
        helpers.call_action(
            "package_create",
            context={"user": site["name"]},
            **_new_dataset(plan_item=value),
        )
    except tk.ValidationError as error:
        assert set(error.error_dict) <= {"plan_item", "owner_org"}


def test_the_link_action_follows_the_same_rule(agency):
    plan = plan_in(agency)
    removed = Item(plan_id=plan["id"], title="Đã loại", removed_reason="Trùng lặp")
    dataset = VnDataset(owner_org=agency.org["id"])

    with pytest.raises(tk.ValidationError) as refused:
        call(
            "vndata_plan_item_link", agency.editor,
            id=removed["id"], package_id=dataset["id"],
        )  # fmt: skip

    (message,) = refused.value.error_dict["package_id"]
    assert "removed from the open-data list" in message
    assert not sync.has_links(dataset["id"])
