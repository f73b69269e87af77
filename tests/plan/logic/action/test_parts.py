"""Phases and items, and the datasets that deliver them: what the actions store and
what they refuse (plan/logic/action/parts.py)."""

from __future__ import annotations

import pytest

from tests.factories import Item, Phase, VnDataset
from tests.plan.conftest import call, plan_in
from tests.plan.helpers import action_errors as _errors
from tests.plan.helpers import item_due_in_90_days

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")


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


@pytest.fixture
def item(agency):
    return item_due_in_90_days(agency)


@pytest.mark.usefixtures("clean_index")
def test_link_action_and_unlink(agency, item):
    dataset = VnDataset(owner_org=agency.org["id"])

    linked = call(
        "vndata_plan_item_link",
        agency.editor,
        id=item["id"],
        package_id=dataset["name"],
    )
    assert linked["status"] == "published_on_time"
    assert linked["datasets"][0]["source"] == "action"

    unlinked = call(
        "vndata_plan_item_unlink",
        agency.editor,
        id=item["id"],
        package_id=dataset["id"],
    )
    assert unlinked["datasets"] == []


@pytest.mark.usefixtures("clean_index")
def test_suggestions_rank_similar_titles_of_the_agency(agency, other_agency, item):
    VnDataset(owner_org=agency.org["id"], title="Danh sách các trường học Đà Nẵng 2025")
    VnDataset(owner_org=agency.org["id"], title="Giá đất Đà Nẵng")
    VnDataset(owner_org=other_agency.org["id"], title="Danh sách trường học Đà Nẵng")

    suggestions = call("vndata_plan_item_suggest", agency.editor, id=item["id"])

    assert suggestions[0]["title"] == "Danh sách các trường học Đà Nẵng 2025"
    assert all(s["title"] != "Danh sách trường học Đà Nẵng" for s in suggestions)


class TestPhaseOrder:
    def test_phases_are_listed_in_the_order_they_were_added(self, agency):
        plan = plan_in(agency)
        later = Phase(plan_id=plan["id"], label="2026", start_date="2026-01-01",
                      end_date="2026-12-31")  # fmt: skip
        earlier = Phase(plan_id=plan["id"], label="2025")

        listed = call("vndata_plan_phase_list", agency.editor, plan_id=plan["id"])

        assert [(p["label"], p["position"]) for p in listed] == [
            ("2026", 0),
            ("2025", 1),
        ]
        assert {later["id"], earlier["id"]} == {p["id"] for p in listed}

    def test_deleting_a_phase_keeps_its_items_without_a_phase(self, agency):
        plan = plan_in(agency)
        phase = Phase(plan_id=plan["id"])
        item = Item(plan_id=plan["id"], phase_id=phase["id"])

        call("vndata_plan_phase_delete", agency.editor, id=phase["id"])

        shown = call("vndata_plan_item_show", agency.editor, id=item["id"])
        assert shown["phase_id"] is None
        assert call("vndata_plan_phase_list", agency.editor, plan_id=plan["id"]) == []


@pytest.mark.usefixtures("clean_index")
class TestSuggestAndUnlink:
    @pytest.mark.parametrize("title", ['(A:"b" OR \\', "***", "a\x00b"])
    def test_a_title_in_search_syntax_is_searched_as_words(self, agency, title):
        item = Item(plan_id=plan_in(agency)["id"], title=title.replace("\x00", ""))

        suggestions = call("vndata_plan_item_suggest", agency.editor, id=item["id"])

        assert suggestions == []

    def test_a_linked_dataset_is_not_suggested_again(self, agency, item):
        dataset = VnDataset(owner_org=agency.org["id"], title=item["title"])
        call("vndata_plan_item_link", agency.editor, id=item["id"],
             package_id=dataset["id"])  # fmt: skip

        suggestions = call("vndata_plan_item_suggest", agency.editor, id=item["id"])

        assert dataset["id"] not in [s["id"] for s in suggestions]
