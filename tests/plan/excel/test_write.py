"""A plan, or the empty template, written as a workbook."""

from __future__ import annotations

import io

import openpyxl
import pytest

from ckanext.vndata.plan.excel import columns
from ckanext.vndata.plan.excel.write import write_workbook

pytestmark = pytest.mark.usefixtures("with_plugins", "request_context")


def test_the_template_has_every_sheet_and_column():
    sheets = openpyxl.load_workbook(io.BytesIO(write_workbook()))

    assert sheets.sheetnames == [
        "Hướng dẫn", columns.GENERAL, columns.ITEMS, columns.PHASES, columns.CODES
    ]  # fmt: skip
    headers = [c.value for c in sheets[columns.PHASES][1]]
    assert headers == [h for _, h in (*columns.PHASE_COLUMNS, columns.PHASE_KEY)]
    assert [c.value for c in sheets[columns.ITEMS][1]] == [
        h for _, h in (*columns.ITEM_COLUMNS, columns.ITEM_KEY)
    ]
    assert sheets[columns.CODES].sheet_state == "hidden"


def test_codes_are_written_as_their_labels(plan_dict):
    sheets = openpyxl.load_workbook(io.BytesIO(write_workbook(plan_dict)))
    row = [c.value for c in sheets[columns.ITEMS][2]]
    keys = [k for k, _ in (*columns.ITEM_COLUMNS, columns.ITEM_KEY)]
    by_key = dict(zip(keys, row, strict=True))

    assert by_key["sector"] == "Giáo dục đào tạo"
    assert by_key["priority"] == "Trung bình"
    assert by_key["formats"] == "CSV, JSON"
    assert by_key["phase"] == "Giai đoạn 1"


def test_text_like_a_formula_is_written_as_text(plan_dict):
    sheets = openpyxl.load_workbook(io.BytesIO(write_workbook(plan_dict)))
    cell = sheets[columns.ITEMS]["B3"]

    assert cell.data_type == "s"
    assert cell.value == plan_dict["items"][1]["title"]
