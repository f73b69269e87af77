"""A problem found in a workbook names its sheet, row and column in the user's
language, Vietnamese by default (plan/excel/workbook.py)."""

from __future__ import annotations

import pytest

from ckanext.vndata.plan.excel.workbook import Problem, Workbook

pytestmark = pytest.mark.usefixtures("with_plugins", "request_context")


def test_a_problem_in_a_cell_names_sheet_row_and_column():
    problem = Problem("Mức tối thiểu", 7, "Mức sao tối thiểu", "Quá lớn")

    assert str(problem) == (
        "Trang “Mức tối thiểu”, dòng 7, cột “Mức sao tối thiểu”: Quá lớn"
    )


def test_a_problem_of_a_whole_part_names_no_row():
    problem = Problem("Thông tin chung", None, "Tên kế hoạch", "Thiếu")

    assert str(problem) == "Trang “Thông tin chung”, cột “Tên kế hoạch”: Thiếu"


def test_each_workbook_has_parts_of_its_own():
    first, second = Workbook(), Workbook()
    first.items.append({"number": 1})
    first.problems.append(Problem("a", 1, "b", "c"))

    assert (second.items, second.problems, second.rows) == ([], [], {})
