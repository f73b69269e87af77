"""The roster actions: read by anyone, edited by sysadmins only
(plan/logic/action/roster.py)."""

from __future__ import annotations

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories

from tests.plan.conftest import call
from tests.plan.helpers import action_errors

NEW_MINISTRY = {
    "code": "g38",
    "kind": "ministry",
    "title": "  Bộ Mới  ",
    "agency_code": "g38",
    "source": "Nghị quyết giả định",
}


def _listed(user=None, **data) -> dict[str, dict]:
    return {body["code"]: body for body in call("vndata_roster_list", user, **data)}


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestRosterList:
    def test_anyone_reads_the_roster_with_each_bodys_organizations(self, app):
        department = factories.Organization(province_code="48", title="Sở TT Đà Nẵng")

        result = app.get("/api/3/action/vndata_roster_list", status=200).json
        bodies = {body["code"]: body for body in result["result"]}

        assert len(bodies) == 34 + 14 + 3 + 5
        danang = bodies["48"]
        assert danang["title"] == "Thành phố Đà Nẵng"
        assert danang["kind_label"] == "tỉnh, thành phố trực thuộc trung ương"
        assert danang["resolved_organizations"] == [
            {
                "id": department["id"],
                "name": department["name"],
                "title": "Sở TT Đà Nẵng",
            }
        ]
        assert list(bodies)[:2] == ["01", "04"]
        assert "G13" not in bodies

    def test_all_adds_the_merged_and_inactive_bodies(self):
        bodies = _listed(all=True)

        assert bodies["G13"]["merged_into"] == "G10"
        assert bodies["G13"]["listed"] is False
        assert bodies["G13"]["resolved_organizations"] == []
        assert bodies["G10"]["listed"] is True

    def test_it_is_side_effect_free(self):
        assert getattr(tk.get_action("vndata_roster_list"), "side_effect_free", False)


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestRosterBodyCreate:
    def test_a_sysadmin_adds_a_body_codes_in_capitals_and_text_trimmed(self):
        organization = factories.Organization()

        body = call(
            "vndata_roster_body_create",
            factories.Sysadmin(),
            **NEW_MINISTRY,
            organizations=organization["name"],
        )

        assert (body["code"], body["agency_code"], body["title"]) == (
            "G38",
            "G38",
            "Bộ Mới",
        )
        assert body["organizations"] == [organization["id"]]
        assert body["active"] is True
        assert _listed()["G38"]["resolved_organizations"][0]["id"] == organization["id"]

    @pytest.mark.parametrize("who", ["anonymous", "editor", "org_admin"])
    def test_only_a_sysadmin_may_change_the_roster(self, who):
        user = None
        if who != "anonymous":
            user = factories.User()
            factories.Organization(
                users=[{"name": user["name"], "capacity": who.replace("org_", "")}]
            )
        for action, data in (
            ("vndata_roster_body_create", NEW_MINISTRY),
            ("vndata_roster_body_update", {"code": "G06", "title": "Bộ X"}),
            ("vndata_roster_body_delete", {"code": "VTV"}),
        ):
            with pytest.raises(tk.NotAuthorized):
                call(action, user, **data)
        assert _listed()["G06"]["title"] == "Bộ Khoa học và Công nghệ"
        assert "VTV" in _listed()

    @pytest.mark.parametrize("field", ["code", "agency_code"])
    def test_a_code_of_another_body_is_refused(self, field):
        errors = action_errors(
            "vndata_roster_body_create",
            factories.Sysadmin(),
            **{**NEW_MINISTRY, field: "G06"},
        )

        assert "G06" in errors[field][0]

    def test_bad_values_get_vietnamese_errors_naming_each_field(self):
        errors = action_errors(
            "vndata_roster_body_create",
            factories.Sysadmin(),
            code="bộ mới!",
            kind="bo",
            title=" ",
            province_code="99",
            agency_code="XYZ",
            organizations=["khong-co"],
            merged_into="KHONG",
            active="có lẽ",
            zzz=1,
        )

        assert set(errors) == {
            "code", "kind", "title", "province_code", "agency_code",
            "organizations", "merged_into", "active", "zzz",
        }  # fmt: skip
        assert (
            "Mã tỉnh" in errors["province_code"][0]
            or "99" in errors["province_code"][0]
        )

    def test_a_province_needs_a_free_province_code(self):
        sysadmin = factories.Sysadmin()
        errors = action_errors(
            "vndata_roster_body_create",
            sysadmin,
            code="P1",
            kind="province",
            title="Tỉnh X",
        )
        assert list(errors) == ["province_code"]

        errors = action_errors(
            "vndata_roster_body_create",
            sysadmin,
            code="P1",
            kind="province",
            title="Tỉnh X",
            province_code="48",
        )
        assert "48" in errors["province_code"][0]


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestRosterBodyUpdate:
    def test_only_the_fields_sent_change(self):
        body = call(
            "vndata_roster_body_update",
            factories.Sysadmin(),
            code="vtv",
            agency_code="G39",
        )

        assert body["agency_code"] == "G39"
        assert body["title"] == "Đài Truyền hình Việt Nam"
        assert body["kind"] == "government_agency"

    def test_an_organization_deleted_since_it_was_named_does_not_block_edits(self):
        sysadmin = factories.Sysadmin()
        kept, deleted = factories.Organization(), factories.Organization()
        call("vndata_roster_body_update", sysadmin, code="VOV",
             organizations=[kept["id"], deleted["id"]])  # fmt: skip
        call("organization_delete", sysadmin,
             id=deleted["id"])  # fmt: skip

        body = call("vndata_roster_body_update", sysadmin, code="VOV", note="Đã rà")

        assert body["organizations"] == [kept["id"]]

    def test_two_ministries_merge_and_the_roster_follows(self):
        sysadmin = factories.Sysadmin()
        culture = factories.Organization(agency_code="G16")
        tourism_office = factories.Organization(agency_code="G16.07")

        merged = call(
            "vndata_roster_body_update", sysadmin, code="G16", merged_into="G03"
        )

        assert merged["active"] is False
        bodies = _listed()
        assert "G16" not in bodies
        assert {o["id"] for o in bodies["G03"]["resolved_organizations"]} == {
            culture["id"],
            tourism_office["id"],
        }

        # and undone
        call(
            "vndata_roster_body_update",
            sysadmin,
            code="G16",
            merged_into="",
            active=True,
        )
        assert "G16" in _listed()

    @pytest.mark.parametrize(
        "merges, closing",
        [
            ([], ("G06", "G06")),
            ([("G03", "G06")], ("G06", "G03")),
            ([("G02", "G03"), ("G03", "G06")], ("G06", "G02")),
        ],
    )
    def test_a_merge_that_loops_is_refused(self, merges, closing):
        sysadmin = factories.Sysadmin()
        for code, into in merges:
            call("vndata_roster_body_update", sysadmin, code=code, merged_into=into)

        code, successor = closing
        errors = action_errors(
            "vndata_roster_body_update", sysadmin, code=code, merged_into=successor
        )

        assert list(errors) == ["merged_into"]

    @pytest.mark.parametrize(
        "code, successor",
        # a ministry into a province, a province into a ministry or a Government
        # agency: the successor would answer for a body of another kind.
        [("G18", "46"), ("48", "G06"), ("46", "VTV")],
    )
    def test_a_merge_across_province_and_central_bodies_is_refused(
        self, code, successor
    ):
        sysadmin = factories.Sysadmin()

        errors = action_errors(
            "vndata_roster_body_update", sysadmin, code=code, merged_into=successor
        )

        assert list(errors) == ["merged_into"]
        assert "only be merged into a province" in errors["merged_into"][0]
        assert _listed(all=True)[code]["merged_into"] is None

    def test_central_bodies_merge_into_each_other_and_provinces_into_provinces(self):
        sysadmin = factories.Sysadmin()

        call("vndata_roster_body_update", sysadmin, code="VOV", merged_into="G06")
        call("vndata_roster_body_update", sysadmin, code="46", merged_into="48")

        bodies = _listed(all=True)
        assert (bodies["VOV"]["merged_into"], bodies["46"]["merged_into"]) == (
            "G06",
            "48",
        )

    def test_a_body_others_are_merged_into_keeps_a_compatible_kind(self):
        sysadmin = factories.Sysadmin()
        call("vndata_roster_body_update", sysadmin, code="G16", merged_into="G03")

        errors = action_errors(
            "vndata_roster_body_update",
            sysadmin,
            code="G03",
            kind="province",
            province_code="46",
        )

        assert "merged_into" in errors

    def test_an_unknown_body_is_not_found(self):
        with pytest.raises(tk.ObjectNotFound):
            call("vndata_roster_body_update", factories.Sysadmin(), code="KHONG")


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestRosterBodyDelete:
    def test_a_sysadmin_removes_a_body(self):
        removed = call("vndata_roster_body_delete", factories.Sysadmin(), code="VTV")

        assert removed["code"] == "VTV"
        assert "VTV" not in _listed(all=True)

    def test_a_body_others_are_merged_into_stays(self):
        errors = action_errors(
            "vndata_roster_body_delete", factories.Sysadmin(), code="G10"
        )

        assert "G13" in errors["code"][0]
        assert "G10" in _listed()
