"""The template teaches the officer who fills it without the manual: an instructions
sheet with an example row, required columns marked, widths that fit, and checks Excel
makes as values are typed, each refusing with what is allowed (plan/excel/guidance.py).
"""

from __future__ import annotations

import io

import openpyxl
import pytest

from ckanext.vndata.lib import vocabularies
from ckanext.vndata.plan.excel import columns
from ckanext.vndata.plan.excel.read import read_workbook
from ckanext.vndata.plan.excel.write import write_workbook

pytestmark = pytest.mark.usefixtures("with_plugins", "request_context")


def _template() -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(write_workbook()))


def _letter(keys, key: str) -> str:
    return openpyxl.utils.get_column_letter([k for k, _ in keys].index(key) + 1)


def _rules(sheet) -> dict[str, object]:
    """{first cell of the range: rule} of a sheet's checks."""
    return {
        str(rule.sqref).split(":")[0]: rule
        for rule in sheet.data_validations.dataValidation
    }


def test_the_instructions_come_first_and_name_every_column_and_what_it_allows():
    book = _template()
    sheet = book.worksheets[0]
    text = "\n".join(
        str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None
    )

    assert sheet.title == "Hướng dẫn"
    for _, header in (*columns.GENERAL_FIELDS, *columns.ITEM_COLUMNS,
                      *columns.PHASE_COLUMNS):  # fmt: skip
        assert header in text
    assert all(term.vi in text for term in vocabularies.SECTORS)
    assert "dd/mm/yyyy" in text and "Mã mục (không sửa)" in text
    assert "giữ nguyên" in text  # rows left out are kept


def test_the_example_row_is_on_the_instructions_sheet_and_never_read():
    book = _template()
    rows = [[c.value for c in row] for row in book.worksheets[0].iter_rows()]
    headers = [h for _, h in columns.ITEM_COLUMNS]

    example = rows[rows.index(headers) + 1]
    assert example[1] and example[3] in [t.vi for t in vocabularies.SECTORS]
    assert read_workbook(write_workbook()).items == []


def test_required_columns_are_marked_and_the_key_column_hidden():
    book = _template()
    items, phases = book[columns.ITEMS], book[columns.PHASES]
    title = items[f"{_letter(columns.ITEM_COLUMNS, 'title')}1"]
    described = items[f"{_letter(columns.ITEM_COLUMNS, 'description')}1"]
    key = len(columns.ITEM_COLUMNS) + 1

    assert title.comment.text == "Bắt buộc" and described.comment is None
    assert title.fill.fgColor.rgb != described.fill.fgColor.rgb
    assert phases["B1"].comment.text == "Bắt buộc"  # Từ ngày
    assert items.cell(1, key).value == columns.ITEM_KEY[1]
    assert items.column_dimensions[openpyxl.utils.get_column_letter(key)].hidden
    assert items.freeze_panes == "A2" and phases.freeze_panes == "A2"


def test_columns_are_as_wide_as_their_content_not_all_the_same():
    items = _template()[columns.ITEMS]
    widths = {
        key: items.column_dimensions[_letter(columns.ITEM_COLUMNS, key)].width
        for key in ("number", "sector", "source_database")
    }

    assert widths["number"] < widths["source_database"]
    longest_sector = max(len(t.vi) for t in vocabularies.SECTORS)
    assert widths["sector"] >= longest_sector


@pytest.mark.parametrize("key", ["sector", "update_frequency", "priority", "phase"])
def test_drop_downs_refuse_other_values_with_a_vietnamese_message(key):
    rule = _rules(_template()[columns.ITEMS])[f"{_letter(columns.ITEM_COLUMNS, key)}2"]

    assert rule.type == "list"
    assert rule.showErrorMessage and rule.errorStyle == "stop"
    assert rule.errorTitle == "Giá trị không hợp lệ" and rule.error


def test_the_blank_templates_phase_drop_down_offers_the_phases_typed_on_its_sheet():
    rule = _rules(_template()[columns.ITEMS])[
        f"{_letter(columns.ITEM_COLUMNS, 'phase')}2"
    ]

    assert rule.formula1.startswith(f"'{columns.PHASES}'!$A$2")


def test_the_sector_drop_down_says_the_12_allowed_sectors():
    rule = _rules(_template()[columns.ITEMS])[
        f"{_letter(columns.ITEM_COLUMNS, 'sector')}2"
    ]

    assert all(term.vi in rule.error for term in vocabularies.SECTORS)


@pytest.mark.parametrize(
    ("sheet", "keys", "key", "kind"),
    [
        (columns.ITEMS, columns.ITEM_COLUMNS, "target_date", "date"),
        (columns.PHASES, columns.PHASE_COLUMNS, "start_date", "date"),
        (columns.PHASES, columns.PHASE_COLUMNS, "min_stars", "whole"),
        (columns.PHASES, columns.PHASE_COLUMNS, "min_percent_api", "decimal"),
    ],
)
def test_dates_and_numbers_are_checked_as_typed(sheet, keys, key, kind):
    book = _template()
    letter = _letter(keys, key)
    rule = _rules(book[sheet])[f"{letter}2"]

    assert (rule.type, rule.showErrorMessage) == (kind, True)
    assert rule.error
    if kind == "date":
        assert "dd/mm/yyyy" in rule.error
        assert book[sheet].column_dimensions[letter].number_format == "DD/MM/YYYY"


def test_the_general_sheets_date_entry_is_checked_and_its_title_marked():
    general = _template()[columns.GENERAL]
    headers = [h for _, h in columns.GENERAL_FIELDS]
    row = headers.index("Ngày ban hành") + 2

    assert _rules(general)[f"B{row}"].type == "date"
    assert general["A2"].comment.text == "Bắt buộc"  # Tên kế hoạch
