"""The shipped, sourced roster (plan/shipped_roster.py, data/central_bodies.csv)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from ckan.model import meta

from ckanext.vndata.lib import admin_units, agency_codes
from ckanext.vndata.plan.body_kinds import BodyKind
from ckanext.vndata.plan.model import Body
from ckanext.vndata.plan.shipped_roster import CENTRAL_BODIES, seed, shipped_bodies


def test_the_34_provinces_of_decision_19_2025_with_their_titles():
    provinces = [b for b in shipped_bodies() if b["kind"] == BodyKind.PROVINCE]

    assert len(provinces) == 34
    assert {b["code"] for b in provinces} == set(admin_units.provinces())
    assert all(b["code"] == b["province_code"] for b in provinces)
    titles = {b["code"]: b["title"] for b in provinces}
    assert titles["48"] == "Thành phố Đà Nẵng"
    assert titles["91"] == "Tỉnh An Giang"
    # only confirmed level-1 codes are filled: the others are left empty
    assert {b["code"]: b["agency_code"] for b in provinces if b["agency_code"]} == {
        "46": "H57"
    }


def test_the_14_ministries_and_3_ministerial_agencies_of_resolution_176_2025():
    active = [b for b in shipped_bodies() if b["active"]]
    kinds = [b["kind"] for b in active]

    assert kinds.count(BodyKind.MINISTRY) == 14
    assert kinds.count(BodyKind.MINISTERIAL_AGENCY) == 3
    assert kinds.count(BodyKind.GOVERNMENT_AGENCY) == 5


def test_every_shipped_body_is_well_formed():
    bodies = shipped_bodies()
    codes = [b["code"] for b in bodies]

    assert len(codes) == len(set(codes))
    for body in bodies:
        if body["agency_code"]:
            assert agency_codes.parse(body["agency_code"]).code == body["agency_code"]
        if body["merged_into"]:
            assert body["merged_into"] in codes and not body["active"]
    assert CENTRAL_BODIES.read_text(encoding="utf-8").startswith("# ")


def test_the_merged_ministries_of_2025_name_their_successor():
    bodies = shipped_bodies()
    merged = {b["title"]: b["merged_into"] for b in bodies if b["merged_into"]}

    assert merged["Bộ Tài nguyên và Môi trường"] == "G10"
    assert merged["Bộ Kế hoạch và Đầu tư"] == "G12"


@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_seed_adds_only_the_missing_bodies_and_keeps_edits():
    Body.get("48").title = "Đà Nẵng (sửa)"
    meta.Session.delete(Body.get("G06"))
    meta.Session.commit()

    with meta.engine.begin() as connection:
        assert seed(connection) == 1
        assert seed(connection) == 0
    meta.Session.remove()

    assert Body.get("48").title == "Đà Nẵng (sửa)"
    assert Body.get("G06").title == "Bộ Khoa học và Công nghệ"
    assert meta.Session.scalar(sa.select(sa.func.count()).select_from(Body)) == len(
        shipped_bodies()
    )
