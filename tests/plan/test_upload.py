"""Applying an uploaded plan workbook: all of it or nothing."""

from __future__ import annotations

import io

import openpyxl
import pytest
from openpyxl.utils.exceptions import IllegalCharacterError

import ckan.plugins.toolkit as tk

from ckanext.vndata.plan import fields, upload
from ckanext.vndata.plan.excel import columns
from ckanext.vndata.plan.excel.read import read_workbook
from ckanext.vndata.plan.excel.write import write_workbook
from tests.fuzz import HOSTILE_WORDS
from tests.plan.conftest import call, plan_in
from tests.plan.helpers import ITEMS, PHASES


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


# The Excel round trip by item key: a full plan downloaded and uploaded again changes
# nothing, sheet by sheet; rows are matched by their hidden key, never by STT.


def _full_plan(agency) -> dict:
    """A draft plan with every field of every sheet filled, and every level set."""
    plan = plan_in(
        agency, decision_number="12/QĐ-UBND", decision_date="2025-01-15",
        decision_signer="Nguyễn Văn A", objectives="Công bố dữ liệu giáo dục",
        contact_name="Trần Thị B", contact_email="b@danang.gov.vn",
        contact_phone="0236 3822 000",
    )  # fmt: skip
    levels = {"min_datasets": 5, "min_percent_published": 50, "min_stars": 3}
    levels.update(min_percent_machine_readable=80.5, min_percent_api=20)
    levels.update(min_percent_complete_metadata=90, min_percent_updated_on_schedule=75)
    assert set(levels) == set(fields.LEVEL_KEYS)
    phases = [
        call("vndata_plan_phase_create", agency.editor, plan_id=plan["id"],
             label=label, start_date=start, end_date=end, **levels)
        for label, start, end in (("Giai đoạn 1", "2025-01-01", "2025-12-31"),
                                  ("Giai đoạn 2", "2026-01-01", "2026-12-31"))
    ]  # fmt: skip
    for number, phase in enumerate(phases, start=1):
        call(
            "vndata_plan_item_create", agency.editor, plan_id=plan["id"],
            number=number, title=f"Dữ liệu {number}", description="Mô tả",
            sector="giao-duc-dao-tao", lead_agency="Sở GD&ĐT",
            source_database="CSDL ngành", formats=["CSV", "JSON"],
            update_frequency="hang_nam", phase_id=phase["id"],
            target_date="2025-06-30", priority="cao",
        )  # fmt: skip
    return call("vndata_plan_show", agency.editor, id=plan["id"])


def _sheets(plan: dict) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(write_workbook(plan)))


def _read(plan: dict, book: openpyxl.Workbook):
    out = io.BytesIO()
    book.save(out)
    labels = [p["label"] for p in plan["phases"]]
    read = read_workbook(out.getvalue(), known_phases=labels)
    assert read.problems == [] and upload.check(plan, read) == []
    return read


def _column(name: str, header: str) -> int:
    return [h for _, h in name].index(header) + 1


@pytest.mark.usefixtures("with_plugins", "clean_db", "with_request_context")
@pytest.mark.parametrize("part", ["plan", "phase", "item"])
def test_the_plans_own_download_changes_nothing_on_any_sheet(agency, part):
    plan = _full_plan(agency)

    planned = upload.changes(plan, _read(plan, _sheets(plan)))

    assert [c for c in planned if c.part == part] == []


@pytest.mark.usefixtures("with_plugins", "clean_db", "with_request_context")
def test_a_blank_template_adds_its_rows_and_keeps_the_items_entered_on_the_web(
    agency,
):
    plan = _full_plan(agency)
    template = _sheets({})
    template[ITEMS].append([1, "Giá đất"])  # STT 1 is taken by an item kept

    planned = upload.changes(plan, _read(plan, template))

    assert [(c.operation, c.label) for c in planned] == [
        ("keep", "Giai đoạn 1"), ("keep", "Giai đoạn 2"),
        ("add", "3. Giá đất"), ("keep", "1. Dữ liệu 1"), ("keep", "2. Dữ liệu 2"),
    ]  # fmt: skip
    assert planned[2].renumbered_from == 1
    upload.apply({"user": agency.editor["name"]}, plan, planned)
    shown = call("vndata_plan_show", agency.editor, id=plan["id"])
    assert [(i["number"], i["title"]) for i in shown["items"]] == [
        (1, "Dữ liệu 1"), (2, "Dữ liệu 2"), (3, "Giá đất")
    ]  # fmt: skip


@pytest.mark.usefixtures("with_plugins", "clean_db", "with_request_context")
def test_a_row_is_its_item_by_key_even_with_a_new_number_and_title(agency):
    plan = _full_plan(agency)
    book = _sheets(plan)
    sheet = book[ITEMS]
    sheet.cell(2, 1, 7)
    sheet.cell(2, 2, "Dữ liệu đổi tên")
    sheet.cell(2, _column(columns.ITEM_COLUMNS, "Mô tả")).value = None  # cleared

    planned = upload.changes(plan, _read(plan, book))

    (change,) = [c for c in planned if c.operation != "keep"]
    assert (change.operation, change.target_id) == ("change", plan["items"][0]["id"])
    assert change.fields == ["number", "title", "description"]
    assert change.old == {"number": 1, "title": "Dữ liệu 1", "description": "Mô tả"}
    upload.apply({"user": agency.editor["name"]}, plan, planned)
    item = call("vndata_plan_show", agency.editor, id=plan["id"])["items"][1]
    assert (item["key"], item["number"]) == (plan["items"][0]["key"], 7)
    assert (item["title"], item["description"]) == ("Dữ liệu đổi tên", None)


@pytest.mark.usefixtures("with_plugins", "clean_db", "with_request_context")
def test_rows_left_out_are_removed_only_when_asked(agency):
    plan = _full_plan(agency)
    book = _sheets(plan)
    book[ITEMS].delete_rows(3)
    read = _read(plan, book)

    kept = upload.changes(plan, read)
    removed = upload.changes(plan, read, remove_missing=True)

    assert [(c.operation, c.label) for c in kept] == [("keep", "2. Dữ liệu 2")]
    assert [(c.operation, c.label) for c in removed] == [("remove", "2. Dữ liệu 2")]


@pytest.mark.usefixtures("with_plugins", "clean_db", "with_request_context")
def test_an_edited_or_copied_key_is_named_by_its_cell(agency):
    plan = _full_plan(agency)
    book = _sheets(plan)
    key_column = len(columns.ITEM_COLUMNS) + 1
    book[ITEMS].cell(2, key_column, "khong-phai-ma-nay")
    book[ITEMS].append([9, "Dòng chép", *[None] * (key_column - 3),
                        plan["items"][1]["key"]])  # fmt: skip
    out = io.BytesIO()
    book.save(out)

    problems = upload.check(plan, read_workbook(out.getvalue()))

    assert [(p.sheet, p.row, p.column) for p in problems] == [
        (ITEMS, 2, columns.ITEM_KEY[1]), (ITEMS, 4, columns.ITEM_KEY[1])
    ]  # fmt: skip


@pytest.mark.usefixtures("with_plugins", "clean_db", "with_request_context")
def test_a_renamed_phase_keeps_its_id_and_its_items(agency):
    plan = _full_plan(agency)
    book = _sheets(plan)
    book[PHASES].cell(2, 1, "Giai đoạn đầu")
    book[ITEMS].cell(2, _column(columns.ITEM_COLUMNS, "Giai đoạn"), "Giai đoạn đầu")

    planned = upload.changes(plan, _read(plan, book))
    upload.apply({"user": agency.editor["name"]}, plan, planned)

    shown = call("vndata_plan_show", agency.editor, id=plan["id"])
    assert shown["phases"][0]["id"] == plan["phases"][0]["id"]
    assert shown["phases"][0]["label"] == "Giai đoạn đầu"
    assert shown["items"][0]["phase_id"] == plan["phases"][0]["id"]


@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_nothing_to_write_writes_nothing(agency):
    plan = plan_in(agency)
    keep = upload.Change("item", "keep", "1. A", [], {}, "khong-ton-tai")

    upload.apply({"user": agency.editor["name"]}, plan, [keep])

    after = call("vndata_plan_show", agency.editor, id=plan["id"])
    assert after["modified"] == plan["modified"]


@pytest.mark.usefixtures("with_plugins", "clean_db", "with_request_context")
def test_a_phase_row_without_its_id_is_matched_by_label(agency):
    plan = _full_plan(agency)
    book = _sheets(plan)
    book[PHASES].cell(2, len(columns.PHASE_COLUMNS) + 1).value = None

    planned = upload.changes(plan, _read(plan, book))

    assert planned == []


@pytest.mark.usefixtures("with_plugins", "clean_db", "with_request_context")
def test_any_value_in_a_key_cell_is_its_items_key_or_an_error_naming_the_cell(agency):
    plan = _full_plan(agency)
    key_column = len(columns.ITEM_COLUMNS) + 1
    hostile = [*HOSTILE_WORDS, 5, 2.5, True, "=1+1", "x" * 40_000]
    for value in hostile:
        book = _sheets(plan)
        try:
            book[ITEMS].cell(2, key_column).value = value
            out = io.BytesIO()
            book.save(out)
        except (ValueError, TypeError, IllegalCharacterError):  # no such file
            continue
        read = read_workbook(out.getvalue())
        problems = read.problems or upload.check(plan, read)
        if isinstance(value, str) and not value.strip():  # a cleared key: a new row
            assert problems == [], repr(value)
            continue
        assert problems, repr(value)
        assert all(p.sheet == ITEMS and p.row == 2 for p in problems), repr(value)
