"""A plan as a dict (phases, items, linked datasets, history, versions) as each reader
may see it, and the facts compliance works on, loaded one by one or in bulk."""

from __future__ import annotations

import datetime
import gc

import pytest
import sqlalchemy as sa

from ckan.model import meta

from ckanext.vndata.plan import dictization, fields
from ckanext.vndata.plan.model import DatasetLink, Item, Phase, Plan
from tests.factories import VnDataset
from tests.plan.conftest import call, plan_in

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

TODAY = datetime.date.today()


def _day(days: int) -> str:
    return (TODAY + datetime.timedelta(days=days)).isoformat()


@pytest.fixture
def plan(agency):
    """A draft plan with one phase, two items, and a public and a private dataset."""
    plan = plan_in(agency)
    phase = call(
        "vndata_plan_phase_create", agency.editor, plan_id=plan["id"],
        label="Giai đoạn 1", start_date=_day(-30), end_date=_day(60),
        min_datasets=2, min_percent_api=50,
    )  # fmt: skip
    delivered = call(
        "vndata_plan_item_create", agency.editor, plan_id=plan["id"],
        title="Danh sách trường học", phase_id=phase["id"], target_date=_day(30),
        formats=["CSV", "JSON"],
    )  # fmt: skip
    pending = call(
        "vndata_plan_item_create", agency.editor, plan_id=plan["id"],
        title="Danh sách bệnh viện", phase_id=phase["id"], target_date=_day(-1),
    )  # fmt: skip
    public = VnDataset(owner_org=agency.org["id"], plan_item=delivered["key"])
    private = VnDataset(
        owner_org=agency.org["id"], plan_item=pending["key"], private=True
    )
    return {
        "plan": Plan.get(plan["id"]),
        "phase": phase,
        "delivered": delivered,
        "pending": pending,
        "public": public,
        "private": private,
    }


def _reader(user: dict | None, plan_id: str) -> dictization.Reader:
    context = {"user": user["name"] if user else "", "ignore_auth": False}
    return dictization.Reader.of(context, plan_id)


def test_a_member_sees_phases_items_links_history_and_versions(agency, plan):
    result = dictization.plan_dictize(
        plan["plan"], _reader(agency.editor, plan["plan"].id)
    )

    assert [p["label"] for p in result["phases"]] == ["Giai đoạn 1"]
    assert result["phases"][0]["min_datasets"] == 2
    assert result["phases"][0]["min_percent_api"] == 50
    delivered, pending = result["items"]
    assert delivered["formats"] == ["CSV", "JSON"]
    assert pending["cooperating_agencies"] == []
    assert delivered["status"] == "published_on_time"
    assert delivered["published_date"] == TODAY.isoformat()
    assert [d["package_id"] for d in delivered["datasets"]] == [plan["public"]["id"]]
    assert delivered["datasets"][0]["hidden"] is False
    assert "linked_by" in delivered["datasets"][0]
    # A private dataset delivers nothing, but a member may see which it is.
    assert pending["status"] == "overdue"
    assert pending["datasets"][0]["package_id"] == plan["private"]["id"]
    assert [e["transition"] for e in result["history"]] == ["create"]
    assert result["history"][0]["user_id"]
    assert result["versions"] == [
        {"id": plan["plan"].id, "version": 1, "status": "draft"}
    ]
    assert result["creator_user_id"]


def test_a_stranger_sees_neither_private_datasets_nor_who_did_what(agency, plan):
    result = dictization.plan_dictize(plan["plan"], _reader(None, plan["plan"].id))

    delivered, pending = result["items"]
    assert pending["datasets"] == [
        {
            "item_key": plan["pending"]["key"],
            "package_id": None,
            "hidden": True,
            "is_public": False,
            "source": "field",
        }
    ]
    assert "linked_by" not in delivered["datasets"][0]
    assert result["creator_user_id"] is None
    assert result["history"][0]["user_id"] is None


def test_without_parts_only_the_plan_row(agency, plan):
    result = dictization.plan_dictize(
        plan["plan"], _reader(agency.editor, plan["plan"].id), with_parts=False
    )

    assert result["title"] == plan["plan"].title
    assert not {"phases", "items", "history", "versions"} & set(result)


def test_status_is_computed_on_the_date_asked(agency, plan):
    early = TODAY - datetime.timedelta(days=10)

    result = dictization.plan_dictize(
        plan["plan"], _reader(agency.editor, plan["plan"].id), as_of=early
    )

    # Published today, so not yet ten days ago; the pending item was due nine days on.
    assert [i["status"] for i in result["items"]] == ["not_due", "due_soon"]
    assert result["items"][0]["published_date"] is None


def test_bulk_facts_are_the_facts_of_each_row(plan):
    plan_id = plan["plan"].id

    phases, items = dictization.load_facts([plan_id])[plan_id]

    rows = meta.Session.query(Item).filter(Item.plan_id == plan_id)
    one_by_one = [
        dictization.item_facts(item, dictization.links_by_key([item.key])[item.key])
        for item in rows.order_by(Item.number)
    ]
    assert sorted(items, key=lambda i: i.number) == one_by_one
    assert phases == [dictization.phase_facts(Phase.get(plan["phase"]["id"]))]
    assert phases[0].minimums["min_datasets"] == 2
    assert set(phases[0].minimums) == set(fields.LEVEL_KEYS)


def test_a_delivery_carries_every_fact_of_its_link(plan):
    key = (plan["delivered"]["key"], plan["public"]["id"])
    row = meta.Session.get(DatasetLink, key)

    delivery = dictization._delivery(row)

    assert {k: getattr(delivery, k) for k in fields.LINK_FACT_KEYS} == {
        k: getattr(row, k) for k in fields.LINK_FACT_KEYS
    }
    assert delivery.is_public is True


def test_load_facts_of_no_plan_is_empty():
    assert dictization.load_facts([]) == {}


def test_the_reader_of_an_internal_call_sees_everything(plan):
    reader = dictization.Reader.of({"ignore_auth": True}, plan["plan"].id)

    assert reader.insider and reader.trusted


def test_plain_rows_are_tuples_read_in_the_sessions_transaction(plan):
    meta.Session.query(Plan).filter(Plan.id == plan["plan"].id).update(
        {"title": "Chưa lưu"}
    )  # flushed, not committed

    rows = dictization.plain_rows(
        sa.select(Plan.__table__.c.id, Plan.__table__.c.title).where(
            Plan.__table__.c.id.in_([plan["plan"].id, "no-such-plan"])
        )
    )

    assert rows == [(plan["plan"].id, "Chưa lưu")]


@pytest.mark.parametrize("enabled", [True, False])
def test_bulk_facts_leave_garbage_collection_as_they_found_it(plan, enabled):
    (gc.enable if enabled else gc.disable)()
    try:
        dictization.load_facts([plan["plan"].id])

        assert gc.isenabled() is enabled
    finally:
        gc.enable()
