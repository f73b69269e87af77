"""Applying an uploaded plan workbook: all of it or nothing."""

from __future__ import annotations

import pytest

import ckan.plugins.toolkit as tk

from ckanext.vndata.plan import upload
from tests.plan.conftest import call, plan_in


@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_a_change_failing_halfway_leaves_the_plan_as_it_was(agency):
    plan = plan_in(agency)
    planned = [
        upload.Change("plan", "change", "", ["title"], {"title": "Kế hoạch đã đổi"}),
        upload.Change("item", "add", "1. Danh sách trường học", [],
                      {"title": "Danh sách trường học", "target_date": "2025-06-30"}),
        # Removed by another officer between the preview and the confirmation:
        upload.Change("item", "remove", "2. Điểm wifi", [], {}, "khong-con-nua"),
    ]  # fmt: skip

    with pytest.raises(tk.ObjectNotFound):
        upload.apply({"user": agency.editor["name"]}, plan, planned)

    shown = call("vndata_plan_show", agency.editor, id=plan["id"])
    assert shown["title"] == plan["title"]
    assert shown["items"] == []


@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_all_changes_are_saved_together(agency):
    plan = plan_in(agency)
    planned = [
        upload.Change("plan", "change", "", ["title"], {"title": "Kế hoạch đã đổi"}),
        upload.Change("item", "add", "1. Danh sách trường học", [],
                      {"title": "Danh sách trường học", "target_date": "2025-06-30"}),
    ]  # fmt: skip

    upload.apply({"user": agency.editor["name"]}, plan, planned)

    shown = call("vndata_plan_show", agency.editor, id=plan["id"])
    assert shown["title"] == "Kế hoạch đã đổi"
    assert [item["title"] for item in shown["items"]] == ["Danh sách trường học"]


@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_items_added_with_a_new_phase_belong_to_it(agency):
    # A new plan filled in from the template: its phases and items come in one file.
    plan = plan_in(agency)
    planned = [
        upload.Change("phase", "add", "Giai đoạn 1", [],
                      {"label": "Giai đoạn 1", "start_date": "2025-01-01",
                       "end_date": "2025-12-31", "position": 0}),
        upload.Change("item", "add", "1. Danh sách trường học", [],
                      {"title": "Danh sách trường học", "phase": "Giai đoạn 1"}),
    ]  # fmt: skip

    upload.apply({"user": agency.editor["name"]}, plan, planned)

    shown = call("vndata_plan_show", agency.editor, id=plan["id"])
    (phase,) = shown["phases"]
    assert [item["phase_id"] for item in shown["items"]] == [phase["id"]]


@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_a_value_the_database_refuses_names_its_row_and_leaves_the_session_usable(
    agency, other_agency
):
    plan = plan_in(agency)
    planned = [
        upload.Change("plan", "change", "", ["title"], {"title": "Kế hoạch đã đổi"}),
        upload.Change("item", "add", "1. Số lớn", [],
                      {"title": "Số lớn", "number": 10**12}, row=3),
    ]  # fmt: skip

    with pytest.raises(upload.Failed) as failed:
        upload.apply({"user": agency.editor["name"]}, plan, planned)

    (problem,) = failed.value.problems
    assert (problem.sheet, problem.row) == ("Danh mục và kế hoạch", 3)
    # The next call on the same session (another user's) works, and nothing was saved.
    shown = call("organization_show", other_agency.admin, id=other_agency.org["id"])
    assert shown["id"] == other_agency.org["id"]
    after = call("vndata_plan_show", agency.editor, id=plan["id"])
    assert (after["title"], after["items"]) == (plan["title"], [])
