"""The plan factories (tests/factories.py) create through the real actions, as their
registered fixtures too."""

from __future__ import annotations

import pytest

import ckan.plugins.toolkit as tk

from tests import factories
from tests.plan.conftest import make_agency

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")


def test_plan_fixture_is_a_draft_of_a_new_organization(plan):
    assert plan["status"] == "draft"
    assert plan["organization_id"]
    assert plan["period_start"] == 2025


def test_plan_of_an_agency_is_created_by_its_editor():
    agency = make_agency("Sở Tài chính Đà Nẵng")

    plan = factories.Plan(agency=agency)

    assert plan["organization_id"] == agency.org["id"]
    assert plan["creator_user_id"] == agency.editor["id"]


@pytest.mark.parametrize(
    "status", ["draft", "submitted", "returned", "approved", "published"]
)
def test_plan_is_walked_up_to_the_status(plan_factory, status):
    agency = make_agency("Sở Tài chính Đà Nẵng")

    plan = plan_factory(agency=agency, status=status)

    assert plan["status"] == status


def test_phase_and_item_fixtures_each_make_their_plan(phase, item):
    assert phase["label"] == "Giai đoạn 1"
    assert item["title"] == "Danh sách trường học"
    assert phase["plan_id"] != item["plan_id"]


def test_phase_and_item_join_the_plan_given(plan, phase_factory, item_factory):
    phase = phase_factory(plan_id=plan["id"], min_datasets=2)
    item = item_factory(plan_id=plan["id"], phase_id=phase["id"], title="Giá đất")

    shown = tk.get_action("vndata_plan_show")({"ignore_auth": True}, {"id": plan["id"]})
    assert [p["id"] for p in shown["phases"]] == [phase["id"]]
    assert [(i["id"], i["phase_id"]) for i in shown["items"]] == [
        (item["id"], phase["id"])
    ]


def test_model_returns_the_stored_row():
    phase = factories.Phase.model(label="Giai đoạn 2")

    assert phase.label == "Giai đoạn 2"


def test_a_factory_may_not_do_what_its_user_could_not():
    agency, other = make_agency("Sở A"), make_agency("Sở B", "46")
    plan = factories.Plan(agency=agency)

    with pytest.raises(tk.NotAuthorized):
        factories.Item(plan_id=plan["id"], user=other.editor)


def test_a_published_plan_takes_no_new_item():
    plan = factories.Plan(status="published")

    with pytest.raises(tk.ValidationError):
        factories.Item(plan_id=plan["id"])
