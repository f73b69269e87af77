"""Plan, phase and item actions: what they store and what they refuse."""

from __future__ import annotations

import pytest

import ckan.plugins.toolkit as tk

from tests.factories import Item, Phase
from tests.plan.conftest import call, plan_in

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")


def _errors(action, user, **data) -> dict:
    with pytest.raises(tk.ValidationError) as raised:
        call(action, user, **data)
    return raised.value.error_dict


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


class TestPhasesAndItems:
    def test_phase_levels_are_checked(self, agency):
        plan = plan_in(agency)

        errors = _errors(
            "vndata_plan_phase_create",
            agency.editor,
            plan_id=plan["id"],
            label="Giai đoạn 1",
            start_date="2025-12-31",
            end_date="2025-01-01",
            min_percent_published=120,
            min_stars=7,
        )

        assert set(errors) == {"end_date", "min_percent_published", "min_stars"}

    def test_core_or_important_data_cannot_be_on_the_list(self, agency):
        plan = plan_in(agency)

        errors = _errors(
            "vndata_plan_item_create",
            agency.editor,
            plan_id=plan["id"],
            title="Dữ liệu dân cư",
            importance_class="cot_loi",
        )

        assert "Art. 13(1)(b)" in errors["importance_class"][0]

    def test_items_are_numbered_in_order_and_numbers_are_unique(self, agency):
        plan = plan_in(agency)
        first = call(
            "vndata_plan_item_create", agency.editor, plan_id=plan["id"], title="A"
        )
        second = call(
            "vndata_plan_item_create", agency.editor, plan_id=plan["id"], title="B"
        )

        errors = _errors(
            "vndata_plan_item_create",
            agency.editor,
            plan_id=plan["id"],
            title="C",
            number=1,
        )

        assert (first["number"], second["number"]) == (1, 2)
        assert "number" in errors

    def test_item_cannot_use_a_phase_of_another_plan(self, agency):
        plan, other = plan_in(agency), plan_in(agency)
        phase = Phase(plan_id=other["id"], label="P")

        errors = _errors(
            "vndata_plan_item_create",
            agency.editor,
            plan_id=plan["id"],
            title="A",
            phase_id=phase["id"],
        )

        assert "phase_id" in errors

    def test_item_fields_round_trip(self, agency):
        plan = plan_in(agency)

        item = call(
            "vndata_plan_item_create",
            agency.editor,
            plan_id=plan["id"],
            title="Danh sách trường học",
            description="Trường mầm non, tiểu học",
            sector="giao-duc-dao-tao",
            lead_agency="Sở Giáo dục và Đào tạo",
            cooperating_agencies=["Sở Tài chính", "UBND các xã"],
            source_database="CSDL ngành giáo dục",
            source_database_type="dia_phuong",
            formats="CSV, API",
            channel="Cổng dữ liệu mở",
            update_frequency="hang_nam",
            priority="cao",
            demand_evidence="Phản ánh của người dân",
            target_date="30/06/2025",
        )

        assert item["cooperating_agencies"] == ["Sở Tài chính", "UBND các xã"]
        assert item["formats"] == ["CSV", "API"]
        assert item["target_date"] == "2025-06-30"
        assert item["importance_class"] == "khac"

    def test_partial_update_keeps_the_other_fields(self, agency):
        plan = plan_in(agency)
        item = Item(plan_id=plan["id"], title="A", priority="cao", formats=["CSV"])

        updated = call(
            "vndata_plan_item_update", agency.editor, id=item["id"], title="B"
        )

        assert (updated["title"], updated["priority"], updated["formats"]) == (
            "B",
            "cao",
            ["CSV"],
        )

    def test_optional_field_sent_empty_is_cleared(self, agency):
        plan = plan_in(agency)
        item = Item(
            plan_id=plan["id"],
            title="A",
            description="Mô tả cũ",
            target_date="2025-06-30",
        )

        updated = call(
            "vndata_plan_item_update",
            agency.editor,
            id=item["id"],
            description="",
            target_date=None,
            number="",  # the table needs a number: it keeps its own
        )

        assert updated["description"] is None
        assert updated["target_date"] is None
        assert (updated["title"], updated["number"]) == ("A", item["number"])

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
