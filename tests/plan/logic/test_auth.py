"""The auth matrix: every plan action for every kind of user."""

from __future__ import annotations

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories, helpers

from tests.factories import Item, Phase
from tests.plan.conftest import call, plan_in
from tests.plan.helpers import harvested_plan

pytestmark = [
    pytest.mark.ckan_config("ckanext.vndata.plan.reviewers", "reviewer_bkhcn"),
    pytest.mark.usefixtures("with_plugins", "clean_db"),
]

USERS = (
    "anonymous",
    "member",
    "editor",
    "admin",
    "other_admin",
    "reviewer",
    "sysadmin",
)
AGENCY_EDITORS = {"editor", "admin", "sysadmin"}
READERS_OF_DRAFTS = {"member", "editor", "admin", "reviewer", "sysadmin"}
EVERYONE = set(USERS)

# action -> users allowed on a draft plan (on_published: users allowed once published)
DRAFT_MATRIX = {
    "vndata_plan_show": READERS_OF_DRAFTS,
    "vndata_plan_update": AGENCY_EDITORS,
    "vndata_plan_delete": AGENCY_EDITORS,
    "vndata_plan_submit": {"admin", "sysadmin"},
    "vndata_plan_approve": {"reviewer", "sysadmin"},
    "vndata_plan_return": {"reviewer", "sysadmin"},
    "vndata_plan_publish": {"admin", "reviewer", "sysadmin"},
    "vndata_plan_revise": AGENCY_EDITORS,
    "vndata_plan_compliance": READERS_OF_DRAFTS,
    "vndata_plan_list": EVERYONE,
    "vndata_compliance_report": EVERYONE,
    "vndata_plan_phase_create": AGENCY_EDITORS,
    "vndata_plan_phase_list": READERS_OF_DRAFTS,
    "vndata_plan_item_create": AGENCY_EDITORS,
    "vndata_plan_item_list": READERS_OF_DRAFTS,
}
PUBLISHED_MATRIX = {
    "vndata_plan_show": EVERYONE,
    "vndata_plan_compliance": EVERYONE,
    "vndata_plan_phase_list": EVERYONE,
    "vndata_plan_item_list": EVERYONE,
    "vndata_plan_update": {"sysadmin"},  # CKAN lets sysadmins past auth; see below
    "vndata_plan_item_create": {"sysadmin"},
}
ROW_ACTIONS = {
    "vndata_plan_phase_show": READERS_OF_DRAFTS,
    "vndata_plan_phase_update": AGENCY_EDITORS,
    "vndata_plan_phase_delete": AGENCY_EDITORS,
    "vndata_plan_item_show": READERS_OF_DRAFTS,
    "vndata_plan_item_update": AGENCY_EDITORS,
    "vndata_plan_item_delete": AGENCY_EDITORS,
    "vndata_plan_item_link": AGENCY_EDITORS,
    "vndata_plan_item_unlink": AGENCY_EDITORS,
    "vndata_plan_item_suggest": READERS_OF_DRAFTS,
}


@pytest.fixture
def users(agency, other_agency, reviewer):
    return {
        "anonymous": None,
        "member": agency.member,
        "editor": agency.editor,
        "admin": agency.admin,
        "other_admin": other_agency.admin,
        "reviewer": reviewer,
        "sysadmin": factories.Sysadmin(),
    }


def _allowed(action: str, user: dict | None, data: dict) -> bool:
    context = {"user": user["name"] if user else "", "model": None}
    context.pop("model")
    try:
        return helpers.call_auth(action, context, **data)
    except tk.NotAuthorized:
        return False


def _data(action: str, plan: dict, agency) -> dict:
    if action == "vndata_plan_list" or action == "vndata_compliance_report":
        return {}
    if action.startswith(("vndata_plan_phase_", "vndata_plan_item_")):
        return {"plan_id": plan["id"]}
    return {"id": plan["id"]}


@pytest.mark.parametrize("action", sorted(DRAFT_MATRIX))
def test_draft_plan_actions(users, agency, action):
    plan = plan_in(agency)
    data = _data(action, plan, agency)

    allowed = {name for name, user in users.items() if _allowed(action, user, data)}

    assert allowed == DRAFT_MATRIX[action]


@pytest.mark.parametrize("action", sorted(PUBLISHED_MATRIX))
def test_published_plan_actions(users, agency, action):
    plan = plan_in(agency, "published")
    data = _data(action, plan, agency)

    allowed = {name for name, user in users.items() if _allowed(action, user, data)}

    assert allowed == PUBLISHED_MATRIX[action]


@pytest.mark.parametrize("action", sorted(ROW_ACTIONS))
def test_phase_and_item_actions_on_a_draft(users, agency, action):
    plan = plan_in(agency)
    target = "phase" if "_phase_" in action else "item"
    row = (
        Phase(plan_id=plan["id"])
        if target == "phase"
        else Item(plan_id=plan["id"], title="A")
    )

    allowed = {
        name
        for name, user in users.items()
        if _allowed(action, user, {"id": row["id"]})
    }

    assert allowed == ROW_ACTIONS[action]


def test_create_plan_for_an_agency(users, agency):
    data = {"organization_id": agency.org["id"]}

    allowed = {
        name
        for name, user in users.items()
        if _allowed("vndata_plan_create", user, data)
    }

    assert allowed == AGENCY_EDITORS


def test_editor_of_another_agency_cannot_create_its_plan(agency, other_agency):
    with pytest.raises(tk.NotAuthorized):
        call(
            "vndata_plan_create",
            other_agency.editor,
            organization_id=agency.org["id"],
            title="Không được phép",
        )


def test_published_plan_is_not_changed_even_by_a_sysadmin(agency):
    plan = plan_in(agency, "published")

    with pytest.raises(tk.ValidationError) as raised:
        call("vndata_plan_update", factories.Sysadmin(), id=plan["id"], title="Sửa")

    assert "revise" in raised.value.error_dict["status"][0]
    with pytest.raises(tk.ValidationError):
        call(
            "vndata_plan_item_create",
            factories.Sysadmin(),
            plan_id=plan["id"],
            title="B",
        )


def test_drafts_are_listed_only_for_their_agency_and_reviewers(
    agency, other_agency, reviewer
):
    draft = plan_in(agency)
    published = plan_in(other_agency, "published")

    def listed(user):
        return {p["id"] for p in call("vndata_plan_list", user)}

    assert listed(None) == {published["id"]}
    assert listed(agency.member) == {draft["id"], published["id"]}
    assert listed(other_agency.admin) == {published["id"]}
    assert listed(reviewer) == {draft["id"], published["id"]}


ROSTER_MATRIX = {
    "vndata_roster_list": EVERYONE,
    "vndata_roster_body_create": {"sysadmin"},
    "vndata_roster_body_update": {"sysadmin"},
    "vndata_roster_body_delete": {"sysadmin"},
}


@pytest.mark.parametrize("action", sorted(ROSTER_MATRIX))
def test_only_sysadmins_change_the_roster_of_obliged_bodies(users, action):
    data = {} if action == "vndata_roster_list" else {"code": "G06"}

    allowed = {name for name, user in users.items() if _allowed(action, user, data)}

    assert allowed == ROSTER_MATRIX[action]


# Every action that changes a plan, its parts, links or workflow, with its data for a
# harvested plan (``plan``: its show dict).
HARVESTED_WRITES = {
    "vndata_plan_update": lambda plan: {"id": plan["id"], "title": "Sửa"},
    "vndata_plan_delete": lambda plan: {"id": plan["id"]},
    "vndata_plan_submit": lambda plan: {"id": plan["id"]},
    "vndata_plan_approve": lambda plan: {"id": plan["id"]},
    "vndata_plan_return": lambda plan: {"id": plan["id"], "comment": "Sửa"},
    "vndata_plan_publish": lambda plan: {"id": plan["id"]},
    "vndata_plan_revise": lambda plan: {"id": plan["id"]},
    "vndata_plan_phase_create": lambda plan: {
        "plan_id": plan["id"],
        "label": "GĐ 2",
        "start_date": "2026-01-01",
        "end_date": "2026-12-31",
    },  # fmt: skip
    "vndata_plan_phase_update": lambda plan: {
        "id": plan["phases"][0]["id"],
        "label": "Đổi",
    },
    "vndata_plan_phase_delete": lambda plan: {"id": plan["phases"][0]["id"]},
    "vndata_plan_item_create": lambda plan: {"plan_id": plan["id"], "title": "B"},
    "vndata_plan_item_update": lambda plan: {
        "id": plan["items"][0]["id"],
        "title": "Đổi",
    },
    "vndata_plan_item_delete": lambda plan: {"id": plan["items"][0]["id"]},
    "vndata_plan_item_link": lambda plan: {
        "id": plan["items"][0]["id"],
        "package_id": "truong-hoc",
    },
    "vndata_plan_item_unlink": lambda plan: {
        "id": plan["items"][0]["id"],
        "package_id": "truong-hoc",
    },
}


@pytest.mark.parametrize("action", sorted(HARVESTED_WRITES))
def test_a_harvested_plan_is_changed_by_no_one(users, agency, action):
    plan = harvested_plan(agency)
    data = HARVESTED_WRITES[action](plan)

    allowed = {
        name
        for name, user in users.items()
        if name != "sysadmin" and _allowed(action, user, data)
    }
    with pytest.raises(tk.NotAuthorized) as refused:
        call(action, agency.admin, **data)
    with pytest.raises(tk.ValidationError) as raised:  # CKAN lets sysadmins past auth
        call(action, users["sysadmin"], **data)

    assert allowed == set()
    assert "Cổng dữ liệu Đà Nẵng" in str(refused.value)
    assert "Cổng dữ liệu Đà Nẵng" in raised.value.error_dict["harvest_source_id"][0]
    after = helpers.call_action("vndata_plan_show", id=plan["id"])
    assert {k: after[k] for k in ("status", "title", "phases", "items")} == {
        k: plan[k] for k in ("status", "title", "phases", "items")
    }


def test_a_harvested_plan_is_read_by_everyone(users, agency):
    plan = harvested_plan(agency)

    readers = {
        name
        for name, user in users.items()
        if _allowed("vndata_plan_show", user, {"id": plan["id"]})
    }

    assert readers == EVERYONE
