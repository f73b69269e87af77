"""Plans: create, show, list, update and delete (plan/logic/action/plan.py)."""

from __future__ import annotations

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories

from tests.factories import Item, VnDataset, walk
from tests.plan.conftest import call, plan_in
from tests.plan.helpers import action_errors as _errors

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")


class TestPlanCreate:
    def test_plan_keeps_its_fields_and_computes_the_next_review(self, agency):
        plan = call(
            "vndata_plan_create",
            agency.editor,
            organization_id=agency.org["name"],
            title="Kế hoạch cung cấp dữ liệu mở giai đoạn 2023-2025",
            period_start=2023,
            period_end=2025,
            decision_number="1726/QĐ-UBND",
            decision_date="08/09/2023",
            decision_signer="Phó Chủ tịch UBND tỉnh",
            submission_ref="94/TTr-STTTT ngày 28/8/2023",
            legal_basis="Luật Giao dịch điện tử 2023, Điều 43",
            contact_email="dulieumo@sonla.gov.vn",
            review_interval_months=6,
            last_review_date="2025-01-15",
        )

        assert plan["organization_id"] == agency.org["id"]
        assert (plan["status"], plan["version"]) == ("draft", 1)
        assert plan["decision_date"] == "2023-09-08"
        assert plan["next_review_date"] == "2025-07-15"
        assert plan["history"][0]["transition"] == "create"

    def test_review_interval_over_six_months_is_refused(self, agency):
        errors = _errors(
            "vndata_plan_create",
            agency.editor,
            organization_id=agency.org["id"],
            title="X",
            review_interval_months=12,
        )

        assert "6 months" in errors["review_interval_months"][0]

    def test_period_ending_before_it_starts_is_refused(self, agency):
        errors = _errors(
            "vndata_plan_create",
            agency.editor,
            organization_id=agency.org["id"],
            title="X",
            period_start=2026,
            period_end=2025,
        )

        assert "period_end" in errors

    def test_unknown_fields_are_refused(self, agency):
        errors = _errors(
            "vndata_plan_create",
            agency.editor,
            organization_id=agency.org["id"],
            title="X",
            status="published",
        )

        assert errors


class TestPlanUpdateAndDelete:
    def test_required_field_sent_empty_is_refused(self, agency):
        plan = plan_in(agency)

        with pytest.raises(tk.ValidationError, match="title"):
            call("vndata_plan_update", agency.editor, id=plan["id"], title="")

    def test_deleting_a_draft_plan_removes_its_parts(self, agency):
        plan = plan_in(agency)
        Item(plan_id=plan["id"], title="A")

        call("vndata_plan_delete", agency.editor, id=plan["id"])

        with pytest.raises(tk.ObjectNotFound):
            call("vndata_plan_show", agency.editor, id=plan["id"])


def test_editing_a_returned_plan_brings_it_back_to_draft(agency):
    plan = plan_in(agency, "returned")

    edited = call("vndata_plan_update", agency.editor, id=plan["id"], objectives="Mới")

    assert edited["status"] == "draft"
    assert [e["transition"] for e in edited["history"]] == [
        "create",
        "submit",
        "return",
        "reopen",
    ]


class TestPlanList:
    def test_filters_by_agency_name_and_status(self, agency, other_agency):
        plan_in(agency, "published")
        draft = plan_in(agency)
        plan_in(other_agency)

        listed = call(
            "vndata_plan_list",
            agency.editor,
            organization_id=agency.org["name"],
            status="draft",
        )

        assert [p["id"] for p in listed] == [draft["id"]]
        assert "items" not in listed[0]

    def test_superseded_versions_only_when_asked(self, agency):
        first = plan_in(agency, "published")
        revision = call("vndata_plan_revise", agency.editor, id=first["id"])
        walk(revision, "published", agency)

        current = call("vndata_plan_list", None, organization_id=agency.org["id"])
        every = call(
            "vndata_plan_list",
            None,
            organization_id=agency.org["id"],
            all_versions="true",
        )

        assert [p["version"] for p in current] == [2]
        assert [p["version"] for p in every] == [2, 1]


class TestPlanChanges:
    def test_a_new_review_date_moves_the_next_review(self, agency):
        plan = plan_in(agency, review_interval_months=3)

        updated = call(
            "vndata_plan_update",
            agency.editor,
            id=plan["id"],
            last_review_date="30/11/2025",
        )

        assert updated["next_review_date"] == "2026-02-28"

    def test_a_submitted_plan_is_not_deleted_even_by_a_sysadmin(self, agency):
        plan = plan_in(agency, "submitted")

        errors = _errors("vndata_plan_delete", factories.Sysadmin(), id=plan["id"])

        assert "status" in errors
        assert call("vndata_plan_show", agency.editor, id=plan["id"])

    def test_deleting_a_revision_keeps_the_links_of_the_version_in_force(self, agency):
        published = plan_in(agency)
        item = Item(plan_id=published["id"])
        VnDataset(owner_org=agency.org["id"], plan_item=item["key"])
        walk(published, "published", agency)
        revision = call("vndata_plan_revise", agency.editor, id=published["id"])

        call("vndata_plan_delete", agency.editor, id=revision["id"])

        shown = call("vndata_plan_item_show", agency.editor, id=item["id"])
        assert len(shown["datasets"]) == 1
