"""Rows read from a workbook, converted and checked with the plan actions' schemas:
each refusal names its sheet, row and column, and a value the tables cannot hold is a
refusal, not a failed write (plan/excel/rows.py)."""

from __future__ import annotations

import datetime

import pytest

from ckanext.vndata.plan.excel import columns
from ckanext.vndata.plan.excel.rows import convert, convert_list

pytestmark = pytest.mark.usefixtures("with_plugins", "request_context")

PHASE = {
    "label": "Giai đoạn 1",
    "start_date": datetime.datetime(2025, 1, 1),
    "end_date": datetime.datetime(2025, 12, 31),
}


def _where(book) -> set[tuple]:
    return {(p.sheet, p.row, p.column) for p in book.problems}


def test_codes_are_read_from_labels_and_numbers_given_in_order():
    book = convert_list(
        [
            (
                2,
                {
                    "title": "Trường học",
                    "sector": "Giáo dục đào tạo",
                    "priority": "trung binh",
                    "phase": "Giai đoạn 1",
                    "formats": "CSV, API",
                },
            ),
            (3, {"title": "Giá đất", "formats": 2025.0}),
        ],  # fmt: skip
        [(2, PHASE)],
    )

    assert book.problems == []
    first, second = book.items
    assert (first["number"], first["sector"], first["priority"]) == (
        1,
        "giao-duc-dao-tao",
        "trung_binh",
    )
    assert (first["phase"], first["formats"]) == ("Giai đoạn 1", '["CSV", "API"]')
    assert (second["number"], second["formats"]) == (2, '["2025"]')
    assert book.phases == [
        {**PHASE, "start_date": datetime.date(2025, 1, 1),
         "end_date": datetime.date(2025, 12, 31), "position": 0},
    ]  # fmt: skip
    assert book.rows == {("phase", "Giai đoạn 1"): 2, ("item", 1): 2, ("item", 2): 3}


def test_a_twice_used_number_or_label_and_an_unknown_phase_are_named():
    book = convert_list(
        [
            (2, {"number": 4, "title": "A", "phase": "Giai đoạn 9"}),
            (3, {"number": 4, "title": "B", "sector": "Không có"}),
        ],
        [(2, PHASE), (3, PHASE)],
    )

    assert _where(book) == {
        (columns.PHASES, 3, "Giai đoạn"),
        (columns.ITEMS, 2, "Giai đoạn"),
        (columns.ITEMS, 3, "Lĩnh vực"),
        (columns.ITEMS, 3, "STT"),
    }


@pytest.mark.parametrize(
    "value", [float("inf"), float("nan"), 2**31, -(2**40), "1e309"]
)
def test_a_number_the_table_cannot_hold_is_a_problem_of_its_cell(value):
    book = convert_list([(5, {"number": value, "title": "A"})], [])

    assert _where(book) == {(columns.ITEMS, 5, "STT")}
    assert book.items == []


@pytest.mark.parametrize("value", ["a\x00b", "x\x1by"])
def test_a_control_character_is_a_problem_of_its_cell(value):
    book = convert_list([], [(4, {**PHASE, "label": value})])

    assert _where(book) == {(columns.PHASES, 4, "Giai đoạn")}
    assert book.phases == []


def test_general_entries_are_read_by_header_in_any_case():
    book = convert(
        [
            (2, {"key": "TÊN KẾ HOẠCH", "value": "Kế hoạch 2025"}),
            (3, {"key": "Năm bắt đầu", "value": 2025.0}),
            (4, {"key": "Mục lạ", "value": "x"}),
        ],
        [],
        [],
    )

    assert (book.general["title"], book.general["period_start"]) == (
        "Kế hoạch 2025",
        2025,
    )
    assert _where(book) == {(columns.GENERAL, 4, "Mục")}


def test_an_unknown_sector_lists_the_12_allowed_ones():
    book = convert_list([(2, {"title": "A", "sector": "Giáo dục"})], [])

    (problem,) = book.problems
    assert (problem.sheet, problem.row, problem.column) == (
        columns.ITEMS, 2, "Lĩnh vực"
    )  # fmt: skip
    assert all(label in problem.message for _, label in columns.choices("sectors"))


@pytest.mark.parametrize(
    "typed", ["30/06/2025", "30-06-2025", "30.06.2025", "2025-06-30", "30/6/2025"]
)
def test_a_date_typed_as_text_in_a_common_form_is_read(typed):
    book = convert_list([(2, {"title": "A", "target_date": typed})], [])

    assert book.problems == []
    assert book.items[0]["target_date"] == datetime.date(2025, 6, 30)


@pytest.mark.parametrize("typed", ["June 30, 2025", "31/02/2025", "30/06", 45838.5])
def test_a_date_that_is_no_date_is_named_not_a_500(typed):
    book = convert_list([(2, {"title": "A", "target_date": typed})], [])

    assert [(p.row, p.column) for p in book.problems] == [(2, "Thời hạn công bố")]
    assert book.items == []
