"""Agencies, users in every role, and plans in every state."""

from __future__ import annotations

import dataclasses

import pytest

from ckan.tests import factories, helpers


@dataclasses.dataclass
class Agency:
    org: dict
    admin: dict
    editor: dict
    member: dict


def make_agency(title: str, province_code: str = "48") -> Agency:
    admin, editor, member = factories.User(), factories.User(), factories.User()
    org = factories.Organization(
        title=title,
        province_code=province_code,
        users=[
            {"name": admin["name"], "capacity": "admin"},
            {"name": editor["name"], "capacity": "editor"},
            {"name": member["name"], "capacity": "member"},
        ],
    )
    return Agency(org, admin, editor, member)


@pytest.fixture
def agency():
    return make_agency("Sở Khoa học và Công nghệ Đà Nẵng")


@pytest.fixture
def other_agency():
    return make_agency("Sở Khoa học và Công nghệ Huế", "46")


@pytest.fixture
def reviewer():
    return factories.User(name="reviewer_bkhcn")


def call(action: str, user: dict | None, **data):
    """Call an action as ``user`` with its auth checked (as the API would)."""
    context = {"user": user["name"] if user else "", "ignore_auth": False}
    return helpers.call_action(action, context=context, **data)


def plan_in(agency: Agency, status: str = "draft", **fields) -> dict:
    """A plan of ``agency`` walked through the workflow up to ``status``."""
    sysadmin = factories.Sysadmin()
    plan = call(
        "vndata_plan_create",
        agency.editor,
        organization_id=agency.org["id"],
        title="Kế hoạch cung cấp dữ liệu mở giai đoạn 2025-2026",
        period_start=2025,
        period_end=2026,
        **fields,
    )
    steps = {
        "submitted": ["submit"],
        "returned": ["submit", "return"],
        "approved": ["submit", "approve"],
        "published": ["submit", "approve", "publish"],
    }
    for step in steps.get(status, []):
        user = agency.admin if step in ("submit", "publish") else sysadmin
        extra = {"comment": "Bổ sung lộ trình"} if step == "return" else {}
        plan = call(f"vndata_plan_{step}", user, id=plan["id"], **extra)
    return plan


def item_key_in(organization_id: str) -> str:
    """The key of an item on a new plan of the organization, for a dataset's
    plan_item (which must name an item its agency may deliver)."""
    context = {"user": factories.Sysadmin()["name"]}
    plan = helpers.call_action(
        "vndata_plan_create",
        context=dict(context),
        organization_id=organization_id,
        title="Kế hoạch dữ liệu mở",
    )
    item = helpers.call_action(
        "vndata_plan_item_create",
        context=dict(context),
        plan_id=plan["id"],
        title="Danh sách trường học",
    )
    return item["key"]
