"""Agencies, users in every role, and plans in every state."""

from __future__ import annotations

import dataclasses

import pytest

from ckan.tests import factories, helpers

from tests import factories as vndata_factories
from tests.harvester.sources import harvest_source


@dataclasses.dataclass
class Agency:
    org: dict
    admin: dict
    editor: dict
    member: dict


def make_agency(title: str, province_code: str = "48", **extras: str) -> Agency:
    """An organization with an admin, an editor and a member; ``extras``: more of its
    fields (agency_code, agency_level...)."""
    admin, editor, member = factories.User(), factories.User(), factories.User()
    org = factories.Organization(
        title=title,
        province_code=province_code,
        **extras,
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
    return vndata_factories.Plan(agency=agency, status=status, **fields)


def danang_source(name: str = "cong-du-lieu-da-nang") -> dict:
    """A harvest source titled "Cổng dữ liệu Đà Nẵng", for harvested plans."""
    return harvest_source(
        "https://dulieu.danang.gov.vn/catalog.ttl",
        name=name,
        title="Cổng dữ liệu Đà Nẵng",
    )


@pytest.fixture
def source():
    """The harvest source of harvested plans (danang_source)."""
    return danang_source()


@pytest.fixture
def national_copy(agency):
    """The national copy of the source's dataset that delivers the first item of
    helpers.plan_record (TRUONG_HOC)."""
    return vndata_factories.VnDataset(
        owner_org=agency.org["id"], name="truong-hoc-da-nang"
    )
