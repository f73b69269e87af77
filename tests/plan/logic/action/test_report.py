"""Plan versus actual: one plan's compliance and the national report
(plan/logic/action/report.py)."""

from __future__ import annotations

import pytest

from ckan.tests import factories

from tests.plan.conftest import call, make_agency, plan_in
from tests.plan.helpers import action_errors
from tests.plan.helpers import published_plan_with_items as _published_plan_with_items


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestNationalReport:
    def test_report_rows_per_agency_and_groups_per_province(self, agency):
        _published_plan_with_items(agency)
        make_agency("Sở Tài chính Huế", "46")  # no plan: not in the report

        report = call("vndata_compliance_report", None, as_of="2025-07-01")

        (row,) = report["rows"]
        assert (row["planned"], row["published"], row["overdue"], row["due_soon"]) == (
            3,
            1,
            1,
            1,
        )
        # Its phase runs to the end of 2025: a level not met yet is not due, not failed
        # (as on the plan page).
        assert row["levels"] == {"min_datasets": None}
        assert row["verdicts"] == {"min_datasets": "not_due"}
        assert report["by_province"]["48"]["published_percent"] == 33.3

    def test_a_level_fails_once_its_phase_has_ended(self, agency):
        _published_plan_with_items(agency)

        report = call("vndata_compliance_report", None, as_of="2025-12-31")

        (row,) = report["rows"]
        assert row["levels"] == {"min_datasets": False}
        assert row["verdicts"] == {"min_datasets": "fail"}

    def test_draft_plans_are_reported_to_reviewers_only(self, agency):
        plan_in(agency)
        from ckan.tests import factories

        assert call("vndata_compliance_report", None)["rows"] == []
        assert len(call("vndata_compliance_report", factories.Sysadmin())["rows"]) == 1


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestPlanCompliance:
    def test_items_and_levels_of_the_plan_on_a_date(self, agency):
        plan = _published_plan_with_items(agency)

        result = call("vndata_plan_compliance", None, id=plan["id"], as_of="2025-07-01")

        assert result["as_of"] == "2025-07-01"
        assert sorted(i["status"] for i in result["items"]) == [
            "due_soon",
            "overdue",
            "published_on_time",
        ]
        (phase,) = result["phases"]
        assert result["current_phase_id"] == phase["id"]
        levels = {level["level"]: level for level in phase["levels"]}
        assert (levels["min_datasets"]["target"], levels["min_datasets"]["passed"]) == (
            2,
            None,
        )
        assert levels["min_datasets"]["verdict"] == "not_due"

    def test_a_date_that_is_no_date_is_refused(self, agency):
        plan = _published_plan_with_items(agency)

        errors = action_errors(
            "vndata_plan_compliance", None, id=plan["id"], as_of="31/02/2025"
        )

        assert "as_of" in errors


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestPlanInForce:
    def test_the_published_plan_counts_not_a_newer_draft(self, agency):
        published = _published_plan_with_items(agency)
        plan_in(agency, title="Bản nháp mới", period_start=2027, period_end=2028)

        (row,) = call("vndata_compliance_report", factories.Sysadmin())["rows"]

        assert row["plan"]["id"] == published["id"]

    def test_a_plan_without_phases_has_no_current_phase_nor_levels(self, agency):
        plan_in(agency, "published")

        (row,) = call("vndata_compliance_report", None)["rows"]

        assert (row["current_phase"], row["levels"]) == (None, {})


def _bodies(report: dict) -> dict[str, dict]:
    return {row["code"]: row for row in report["bodies"]}


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestReportPerBody:
    def test_every_body_of_the_roster_is_a_row_one_without_a_plan_too(self, agency):
        _published_plan_with_items(agency)

        report = call("vndata_compliance_report", None, as_of="2025-07-01")

        bodies = _bodies(report)
        assert len(bodies) == report["headline"]["bodies"] > 34
        assert bodies["48"]["status"] == "behind"  # an item overdue on 2025-07-01
        assert (bodies["48"]["planned"], bodies["48"]["published"]) == (3, 1)
        assert bodies["46"]["status"] == "no_plan"
        assert bodies["G12"]["status"] == "no_plan"
        assert set(report["by_province"]) >= {"48", "46"}
        assert len(report["by_province"]) == 34
        assert "G12" in report["by_ministry"]
        assert report["rows"][0]["body"] == "48"

    def test_the_timeline_comes_when_asked(self, agency):
        _published_plan_with_items(agency)

        plain = call("vndata_compliance_report", None, as_of="2025-07-01")
        asked = call(
            "vndata_compliance_report", None, as_of="2025-07-01", timeline=True
        )

        assert "timeline" not in plain
        assert asked["timeline"]["scheduled"][-1] == 3
        assert asked["timeline"]["delivered"][-1] == 1

    def test_the_headline_share_is_over_the_roster(self, agency):
        _published_plan_with_items(agency)
        roster_size = len(call("vndata_roster_list", None))

        headline = call("vndata_compliance_report", None, as_of="2025-05-01")[
            "headline"
        ]

        assert (headline["bodies"], headline["issued"]) == (roster_size, 1)
        assert headline["issued_percent"] == round(100.0 / roster_size, 1)
        assert headline["goal_percent"] == 100

    def test_a_provinces_departments_roll_up_into_the_province(self, agency):
        _published_plan_with_items(agency)
        other = make_agency("Sở Tài chính Đà Nẵng", "48")
        _published_plan_with_items(other)

        report = call("vndata_compliance_report", None, as_of="2025-07-01")

        da_nang = _bodies(report)["48"]
        assert da_nang["planned"] == 6 and len(da_nang["plans"]) == 2
        assert report["by_province"]["48"]["agencies"] == 2

    def test_a_plan_in_the_workflow_shows_to_reviewers_only(self, agency):
        plan_in(agency, "submitted")

        public = _bodies(call("vndata_compliance_report", None))["48"]
        reviewer = _bodies(call("vndata_compliance_report", factories.Sysadmin()))

        assert public["status"] == "no_plan" and public["plans"] == []
        assert reviewer["48"]["status"] == "in_workflow"

    def test_filters_select_bodies_and_the_headline_follows_kind_and_body(self):
        def report(**filters):
            return call("vndata_compliance_report", None, **filters)

        provinces = report(kind="province")
        central = report(kind="central")

        assert {r["kind"] for r in provinces["bodies"]} == {"province"}
        assert provinces["headline"]["bodies"] == 34
        assert "province" not in {r["kind"] for r in central["bodies"]}
        assert [r["code"] for r in report(body="g12")["bodies"]] == ["G12"]
        no_plan = report(status="no_plan")
        assert no_plan["headline"]["bodies"] == len(no_plan["bodies"])
        assert report(status="issued")["bodies"] == []

    def test_a_merged_ministry_leaves_the_report_and_its_plan_rolls_up(self):
        culture = make_agency(
            "Bộ Văn hóa, Thể thao và Du lịch", "01", agency_code="G16",
            agency_level="trung_uong",
        )  # fmt: skip
        plan_in(culture, "published")
        before = call("vndata_compliance_report", None)

        call(
            "vndata_roster_body_update",
            factories.Sysadmin(),
            code="G16",
            merged_into="G03",
        )
        after = call("vndata_compliance_report", None)

        assert _bodies(before)["G16"]["status"] == "issued"
        assert "G16" not in _bodies(after) and "G16" not in after["by_ministry"]
        assert _bodies(after)["G03"]["status"] == "issued"
        assert after["headline"]["bodies"] == before["headline"]["bodies"] - 1

    @pytest.mark.parametrize(
        ("field", "value"),
        [
            ("kind", "tinh"),
            ("kind", ["province"]),
            ("status", "\x00"),
            ("status", "x" * 100_000),
            ("body", {"code": "48"}),
            ("body", "48; DROP TABLE"),
        ],
    )
    def test_a_bad_filter_is_a_validation_error(self, field, value):
        errors = action_errors("vndata_compliance_report", None, **{field: value})

        assert field in errors


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestTwoPlansOfOneOrganization:
    """A province's source harvested with no publisher rule files the plan of its Sở
    Xây dựng under the source's organization, beside its own: both are in force."""

    def test_two_published_series_are_two_rows_and_both_count(self, agency):
        first = _published_plan_with_items(agency)
        second = _published_plan_with_items(agency)

        report = call("vndata_compliance_report", None)

        assert sorted(row["plan"]["id"] for row in report["rows"]) == sorted(
            [first["id"], second["id"]]
        )
        (body,) = [b for b in report["bodies"] if b["code"] == "48"]
        assert sorted(p["plan_id"] for p in body["plans"]) == sorted(
            [first["id"], second["id"]]
        )
        single = report["rows"][0]
        assert body["planned"] == 2 * single["planned"]

    def test_a_revision_still_supersedes_within_its_series(self, agency):
        first = _published_plan_with_items(agency)
        revision = call("vndata_plan_revise", agency.editor, id=first["id"])

        (row,) = call("vndata_compliance_report", factories.Sysadmin())["rows"]

        assert row["plan"]["id"] == first["id"] != revision["id"]
