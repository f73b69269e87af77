"""A workbook read back: a plan written reads as the same plan, and each bad cell of
a workbook officers edit is named by sheet, row and column."""

from __future__ import annotations

import datetime
import io
import json

import openpyxl
import pytest

from ckanext.vndata.plan import fields
from ckanext.vndata.plan.excel import columns
from ckanext.vndata.plan.excel.guard import Refused
from ckanext.vndata.plan.excel.read import read_workbook
from ckanext.vndata.plan.excel.write import write_workbook

pytestmark = pytest.mark.usefixtures("with_plugins", "request_context")


def _plain(values: dict) -> dict:
    """Dates as the ISO text the actions take (reading gives dates)."""
    return {
        k: v.isoformat() if isinstance(v, datetime.date) else v
        for k, v in values.items()
    }


def test_a_plan_reads_back_as_it_was_written(plan_dict):
    book = read_workbook(write_workbook(plan_dict))

    assert book.problems == []
    written = {f.key: plan_dict[f.key] for f in fields.PLAN if f.header}
    assert _plain(book.general) == written
    (phase,) = book.phases
    # The phase comes back with its id, from the hidden key column.
    assert _plain(phase) == {**plan_dict["phases"][0], "position": 0}
    first, second = book.items
    expected = {
        k: v
        for k, v in plan_dict["items"][0].items()
        if k not in ("phase_id", "formats")
    }
    assert {k: _plain(first)[k] for k in expected} == expected
    # A list is checked, and kept, as the JSON text its column stores.
    assert json.loads(first["formats"]) == ["CSV", "JSON"]
    assert first["phase"] == "Giai đoạn 1"
    # Text that looks like a formula is kept as text, not run.
    assert second["title"] == plan_dict["items"][1]["title"]


def test_the_empty_template_is_read_as_changing_nothing():
    book = read_workbook(write_workbook())

    # A general sheet left blank is not a plan without a title: it is not given.
    assert (book.general, book.phases, book.items, book.problems) == (None, [], [], [])


def test_a_general_sheet_with_some_values_still_needs_the_title():
    def change(sheets):
        sheets[columns.GENERAL]["B3"] = 2026  # Năm bắt đầu

    book = read_workbook(_edited({}, change))

    assert [(p.sheet, p.column) for p in book.problems] == [
        (columns.GENERAL, "Tên kế hoạch")
    ]


def _edited(plan: dict, change) -> bytes:
    sheets = openpyxl.load_workbook(io.BytesIO(write_workbook(plan)))
    change(sheets)
    out = io.BytesIO()
    sheets.save(out)
    return out.getvalue()


def test_a_bad_cell_is_named_by_sheet_row_and_column(plan_dict):
    def change(sheets):
        sheets[columns.PHASES]["F2"] = 7  # min_stars: 0 to 5
        sheets[columns.ITEMS]["D2"] = "Không có lĩnh vực này"

    book = read_workbook(_edited(plan_dict, change))

    problems = {(p.sheet, p.row, p.column) for p in book.problems}
    assert (columns.PHASES, 2, "Mức sao tối thiểu") in problems
    assert (columns.ITEMS, 2, "Lĩnh vực") in problems


def test_a_formula_is_not_taken(plan_dict):
    def change(sheets):
        sheets[columns.PHASES]["D2"] = "=1+1"

    book = read_workbook(_edited(plan_dict, change))

    assert [(p.sheet, p.column) for p in book.problems] == [
        (columns.PHASES, "Số tập dữ liệu tối thiểu")
    ]


def test_a_missing_column_refuses_the_file(plan_dict):
    def change(sheets):
        sheets[columns.PHASES]["E1"] = "Cột khác"

    with pytest.raises(Refused):
        read_workbook(_edited(plan_dict, change))


def test_a_file_that_is_no_workbook_is_refused():
    with pytest.raises(Refused):
        read_workbook(b"not a workbook", "plan.xlsx")


def test_merged_cells_and_wrong_types_are_named_never_a_crash(plan_dict):
    def change(sheets):
        items = sheets[columns.ITEMS]
        items.append([3, "Dòng gộp ô"])
        items.merge_cells("B4:D4")
        items["J2"] = True  # Thời hạn công bố: a boolean
        sheets[columns.PHASES]["D2"] = "năm"  # Số tập dữ liệu tối thiểu: text

    book = read_workbook(_edited(plan_dict, change))

    problems = {(p.sheet, p.row, p.column) for p in book.problems}
    assert problems == {
        (columns.ITEMS, 2, "Thời hạn công bố"),
        (columns.PHASES, 2, "Số tập dữ liệu tối thiểu"),
        (columns.ITEMS, 2, "Giai đoạn"),  # its phase's row is refused
    }
    assert [i["title"] for i in book.items][-1] == "Dòng gộp ô"
