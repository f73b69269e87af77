"""The roster of obliged bodies and the organizations of each (plan/roster.py)."""

from __future__ import annotations

import time

import pytest

import ckan.model as model
from ckan.model import meta
from ckan.tests import factories, helpers

from ckanext.vndata.plan.model import Body
from ckanext.vndata.plan.roster import body_of_organization, obliged_bodies


def _bodies() -> dict:
    return {body.code: body for body in obliged_bodies()}


def _edit(code: str, **values) -> None:
    body = Body.get(code)
    for key, value in values.items():
        setattr(body, key, value)
    meta.Session.commit()


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestObligedBodies:
    def test_the_shipped_roster_has_the_34_provinces_and_the_central_bodies(self):
        bodies = obliged_bodies()
        kinds = [body.kind for body in bodies]

        assert kinds.count("province") == 34
        assert kinds.count("ministry") == 14
        assert kinds.count("ministerial_agency") == 3
        assert kinds.count("government_agency") >= 5
        assert kinds == sorted(
            kinds,
            key=[
                "province",
                "ministry",
                "ministerial_agency",
                "government_agency",
            ].index,
        )
        by_code = _bodies()
        assert by_code["48"].title == "Thành phố Đà Nẵng"
        assert by_code["48"].province_code == "48"
        assert by_code["91"].title == "Tỉnh An Giang"
        assert by_code["G06"].title == "Bộ Khoa học và Công nghệ"
        assert by_code["G06"].agency_code == "G06"
        # merged in 2025: kept for history, not obliged any more
        assert "G13" not in by_code and Body.get("G13").merged_into == "G10"

    def test_a_province_has_its_committee_and_departments_not_central_offices(self):
        committee = factories.Organization(province_code="48", agency_level="tinh")
        department = factories.Organization(province_code="48", agency_level="so_nganh")
        central_office = factories.Organization(
            province_code="48", agency_level="trung_uong"
        )
        elsewhere = factories.Organization(province_code="46")

        bodies = _bodies()

        assert bodies["48"].organization_ids == sorted(
            [committee["id"], department["id"]]
        )
        assert bodies["46"].organization_ids == [elsewhere["id"]]
        assert central_office["id"] not in body_of_organization()

    def test_a_central_body_has_the_organizations_under_its_agency_code(self):
        ministry = factories.Organization(agency_code="G06", agency_level="trung_uong")
        department = factories.Organization(agency_code="G06.12")
        # a ministry's office in a province is the ministry's, not the province's
        located = factories.Organization(
            agency_code="G06.12.03", province_code="48", agency_level="trung_uong"
        )
        other_ministry = factories.Organization(agency_code="G16.06")

        bodies = _bodies()

        assert bodies["G06"].organization_ids == sorted(
            [ministry["id"], department["id"], located["id"]]
        )
        assert body_of_organization()[other_ministry["id"]] == "G16"
        assert bodies["48"].organization_ids == []

    def test_organizations_named_on_the_roster_belong_to_that_body(self):
        by_id = factories.Organization()
        by_name = factories.Organization(province_code="48")
        _edit("VTV", organizations=[by_id["id"], by_name["name"]])

        owners = body_of_organization()

        assert owners[by_id["id"]] == owners[by_name["id"]] == "VTV"
        assert by_name["id"] not in _bodies()["48"].organization_ids

    def test_a_merged_ministry_rolls_up_into_its_successor_and_disappears(self):
        old = factories.Organization(agency_code="G13.05")
        new = factories.Organization(agency_code="G10")

        assert _bodies()["G10"].organization_ids == sorted([old["id"], new["id"]])

        # A merge done by a sysadmin: Finance absorbs Construction, then Finance is
        # merged into Home Affairs: the organizations follow the whole chain.
        construction = factories.Organization(agency_code="G17.01")
        _edit("G17", merged_into="G12", active=False)
        _edit("G12", merged_into="G09", active=False)

        bodies = _bodies()
        assert "G17" not in bodies and "G12" not in bodies
        assert construction["id"] in bodies["G09"].organization_ids

    def test_an_inactive_body_is_not_listed_and_owns_nothing(self):
        organization = factories.Organization(agency_code="G40.1")
        _edit("VASS", agency_code="G40", active=False)

        assert "VASS" not in _bodies()
        assert organization["id"] not in body_of_organization()

    def test_deleted_organizations_are_left_out(self):
        organization = factories.Organization(province_code="48")
        factories.Organization(province_code="48")

        sysadmin = factories.Sysadmin()
        helpers.call_action(
            "organization_delete", {"user": sysadmin["name"]}, id=organization["id"]
        )

        assert organization["id"] not in _bodies()["48"].organization_ids

    def test_a_merge_cycle_left_in_the_table_lists_neither_body(self):
        _edit("VTV", merged_into="VOV")
        _edit("VOV", merged_into="VTV")
        organization = factories.Organization()
        _edit("VOV", organizations=[organization["id"]])

        bodies = _bodies()

        assert "VTV" not in bodies and "VOV" not in bodies
        assert organization["id"] not in body_of_organization()

    def test_hundreds_of_organizations_are_resolved_in_a_few_milliseconds(self):
        # Written straight to the tables: 500 organizations through the actions
        # would take most of a minute.
        for n in range(500):
            group = model.Group(
                name=f"so-{n}", title=f"Sở {n}", type="organization",
                is_organization=True,
            )  # fmt: skip
            group.extras = {"province_code": "48", "agency_level": "so_nganh"}
            meta.Session.add(group)
        meta.Session.commit()
        obliged_bodies()  # warm

        started = time.perf_counter()
        bodies = _bodies()
        elapsed = time.perf_counter() - started

        assert len(bodies["48"].organization_ids) == 500
        assert elapsed < 0.05, elapsed
