"""Text bound for a spreadsheet is never run as a formula, and XLSX gets only what XML
can carry (plan/spreadsheet.py)."""

from __future__ import annotations

import io

import openpyxl
import pytest

from ckanext.vndata.plan import spreadsheet

FORMULAS = [
    '=HYPERLINK("http://x","y")',
    "+1",
    "-2+3",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
    "＝1+1",
    "＋1",
    "－1",
    "＠A1",
]


@pytest.mark.parametrize("value", FORMULAS)
def test_a_csv_cell_like_a_formula_is_marked_as_text(value):
    assert spreadsheet.csv_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["Đà Nẵng", "1=1", "a-b", "", 5, None, 2.5])
def test_other_csv_cells_are_kept(value):
    assert spreadsheet.csv_cell(value) == value


def test_a_csv_row_marks_each_cell():
    assert spreadsheet.csv_row(["=1", "x", 3]) == ["'=1", "x", 3]


def test_xlsx_values_lose_what_xml_cannot_carry():
    assert spreadsheet.xlsx_value("a\x00b\x07c\x1fd\te\nf") == "abcd\te\nf"
    assert spreadsheet.xlsx_value(7) == 7


@pytest.mark.parametrize("value", FORMULAS[:4] + ["Đà Nẵng"])
def test_an_xlsx_cell_stays_text_once_saved_and_opened(value):
    book = openpyxl.Workbook()
    cell = book.active["A1"]
    cell.value = spreadsheet.xlsx_value(value)
    spreadsheet.xlsx_text(cell)
    out = io.BytesIO()
    book.save(out)

    read = openpyxl.load_workbook(io.BytesIO(out.getvalue())).active["A1"]

    assert (read.data_type, read.value) == ("s", value)
    assert read.quotePrefix == spreadsheet.formula_like(value)


def test_a_number_cell_is_left_a_number():
    cell = openpyxl.Workbook().active["A1"]
    cell.value = 12

    spreadsheet.xlsx_text(cell)

    assert (cell.data_type, cell.value) == ("n", 12)
