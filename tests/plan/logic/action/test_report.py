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
        assert row["levels"] == {"min_datasets": False}
        assert report["by_province"]["48"]["published_percent"] == 33.3

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
            False,
        )

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
