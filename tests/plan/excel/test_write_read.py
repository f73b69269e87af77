"""A plan written as a workbook reads back as the same plan; a workbook officers edit
reads back with each bad cell named (no database: the workbook alone)."""

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

PLAN = {
    "title": "Kế hoạch cung cấp dữ liệu mở 2025-2026",
    "period_start": 2025,
    "period_end": 2026,
    "decision_number": "123/QĐ-UBND",
    "decision_date": "2025-01-15",
    "decision_signer": "Nguyễn Văn A",
    "objectives": "Công bố dữ liệu giáo dục",
    "contact_name": "Trần Thị B",
    "contact_email": "b@danang.gov.vn",
    "contact_phone": "0236 3822 000",
    "phases": [
        {
            "id": "p1",
            "label": "Giai đoạn 1",
            "start_date": "2025-01-01",
            "end_date": "2025-12-31",
            "min_datasets": 5,
            "min_percent_published": 50,
            "min_stars": 3,
            "min_percent_machine_readable": 80,
            "min_percent_api": 20,
            "min_percent_complete_metadata": 90,
            "min_percent_updated_on_schedule": 75,
        }
    ],
    "items": [
        {
            "number": 1,
            "title": "Danh sách trường học",
            "description": "Trường mầm non đến trung học phổ thông",
            "sector": "giao-duc-dao-tao",
            "lead_agency": "Sở Giáo dục và Đào tạo",
            "source_database": "CSDL ngành giáo dục",
            "formats": ["CSV", "JSON"],
            "update_frequency": "hang_ngay",
            "phase_id": "p1",
            "target_date": "2025-06-30",
            "priority": "trung_binh",
        },
        {"number": 2, "title": '=HYPERLINK("http://x","y")'},
    ],
}


@pytest.fixture
def request_context(app):
    with app.flask_app.test_request_context():
        yield


pytestmark = pytest.mark.usefixtures("with_plugins", "request_context")


def _plain(values: dict) -> dict:
    """Dates as the ISO text the actions take (reading gives dates)."""
    return {
        k: v.isoformat() if isinstance(v, datetime.date) else v
        for k, v in values.items()
    }


def test_a_plan_reads_back_as_it_was_written():
    book = read_workbook(write_workbook(PLAN))

    assert book.problems == []
    assert _plain(book.general) == {f.key: PLAN[f.key] for f in fields.PLAN if f.header}
    (phase,) = book.phases
    written = {k: v for k, v in PLAN["phases"][0].items() if k != "id"}
    assert _plain(phase) == {**written, "position": 0}
    first, second = book.items
    expected = {
        k: v for k, v in PLAN["items"][0].items() if k not in ("phase_id", "formats")
    }
    assert {k: _plain(first)[k] for k in expected} == expected
    # A list is checked, and kept, as the JSON text its column stores.
    assert json.loads(first["formats"]) == ["CSV", "JSON"]
    assert first["phase"] == "Giai đoạn 1"
    # Text that looks like a formula is kept as text, not run.
    assert second["title"] == PLAN["items"][1]["title"]


def test_the_empty_template_has_every_sheet_and_column_and_lacks_only_a_title():
    body = write_workbook()
    sheets = openpyxl.load_workbook(io.BytesIO(body))

    assert sheets.sheetnames == [
        columns.GENERAL, columns.ITEMS, columns.PHASES, columns.CODES
    ]  # fmt: skip
    headers = [c.value for c in sheets[columns.PHASES][1]]
    assert headers == [header for _, header in columns.PHASE_COLUMNS]
    assert [c.value for c in sheets[columns.ITEMS][1]] == [
        header for _, header in columns.ITEM_COLUMNS
    ]
    book = read_workbook(body)
    assert (book.general, book.phases, book.items) == ({}, [], [])
    # Only the plan's title is required of a file.
    assert [(p.sheet, p.column) for p in book.problems] == [
        (columns.GENERAL, "Tên kế hoạch")
    ]


def test_every_minimum_level_is_a_column_of_the_phase_sheet():
    assert [key for key, _ in columns.PHASE_COLUMNS][3:] == list(fields.LEVEL_KEYS)


def test_codes_are_written_as_labels_and_labels_typed_loosely_read_as_codes():
    sheets = openpyxl.load_workbook(io.BytesIO(write_workbook(PLAN)))
    row = [c.value for c in sheets[columns.ITEMS][2]]
    by_key = dict(zip([k for k, _ in columns.ITEM_COLUMNS], row, strict=True))

    assert by_key["sector"] == "Giáo dục đào tạo"
    assert by_key["priority"] == "Trung bình"
    assert by_key["formats"] == "CSV, JSON"
    assert columns.code_of("sectors", "giao duc, DAO TAO") == "giao-duc-dao-tao"
    assert columns.code_of("priority", "trung binh") == "trung_binh"
    assert columns.code_of("priority", "khẩn") is None


def _edited(change) -> bytes:
    sheets = openpyxl.load_workbook(io.BytesIO(write_workbook(PLAN)))
    change(sheets)
    out = io.BytesIO()
    sheets.save(out)
    return out.getvalue()


def test_a_bad_cell_is_named_by_sheet_row_and_column():
    def change(sheets):
        sheets[columns.PHASES]["F2"] = 7  # min_stars: 0 to 5
        sheets[columns.ITEMS]["D2"] = "Không có lĩnh vực này"

    book = read_workbook(_edited(change))

    problems = {(p.sheet, p.row, p.column) for p in book.problems}
    assert (columns.PHASES, 2, "Mức sao tối thiểu") in problems
    assert (columns.ITEMS, 2, "Lĩnh vực") in problems


def test_a_formula_is_not_taken():
    def change(sheets):
        sheets[columns.PHASES]["D2"] = "=1+1"

    book = read_workbook(_edited(change))

    assert [(p.sheet, p.column) for p in book.problems] == [
        (columns.PHASES, "Số tập dữ liệu tối thiểu")
    ]


def test_a_missing_column_refuses_the_file():
    def change(sheets):
        sheets[columns.PHASES]["E1"] = "Cột khác"

    with pytest.raises(Refused):
        read_workbook(_edited(change))


def test_a_file_that_is_no_workbook_is_refused():
    with pytest.raises(Refused):
        read_workbook(b"not a workbook", "plan.xlsx")
