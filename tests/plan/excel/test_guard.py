"""An uploaded file is judged from its zip directory and a bounded, streamed reading
of its XML before openpyxl opens it: refused with the limit it broke, and a file at
the limits is let through (plan/excel/guard.py). The upload page's refusals are in
tests/plan/views/test_files_hostile.py."""

from __future__ import annotations

import pytest

from ckanext.vndata.plan.excel import guard
from ckanext.vndata.plan.excel.write import write_workbook
from tests.plan.helpers import rezip, sheet_xml

pytestmark = pytest.mark.usefixtures("with_plugins", "request_context")

SHEET = "xl/worksheets/sheet2.xml"  # the list sheet: openpyxl writes them in order


def _refusal(data: bytes, filename: str | None = None) -> str:
    with pytest.raises(guard.Refused) as refused:
        guard.check(data, filename)
    return str(refused.value)


def _rows(count: int, cells: int = 1) -> bytes:
    row = "".join(f'<c r="{_letters(c)}{{n}}"/>' for c in range(1, cells + 1))
    rows = "".join(f'<row r="{n}">{row.format(n=n)}</row>' for n in range(1, count + 1))
    return rezip(write_workbook(), {SHEET: sheet_xml(rows)})


def _letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def test_our_own_template_passes():
    guard.check(write_workbook(), "ke-hoach.xlsx")


def test_a_sheet_at_the_limits_passes():
    guard.check(_rows(guard.MAX_ROWS + 1, guard.MAX_COLUMNS))


def test_one_row_more_is_refused_naming_the_limit():
    assert str(guard.MAX_ROWS) in _refusal(_rows(guard.MAX_ROWS + 2))


def test_one_column_more_is_refused_naming_the_limit():
    assert str(guard.MAX_COLUMNS) in _refusal(_rows(2, guard.MAX_COLUMNS + 1))


def test_a_declared_dimension_past_the_limits_is_refused():
    head = '<dimension ref="A1:XFD400"/>'
    sheet = sheet_xml("", head="").replace(
        b"<sheetData>", head.encode() + b"<sheetData>"
    )

    assert str(guard.MAX_COLUMNS) in _refusal(rezip(write_workbook(), {SHEET: sheet}))


@pytest.mark.parametrize(
    ("data", "filename", "says"),
    [
        (b"", None, "rỗng"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "a.xls", ".xls"),
        ("STT,Tên\n1,Trường học\n".encode(), "ke-hoach.csv", "CSV"),
        (b"PK\x03\x04 broken", "ke-hoach.xlsx", ".xlsx"),
    ],
)
def test_a_file_that_is_no_workbook_says_what_it_is(data, filename, says):
    assert says in _refusal(data, filename)


def test_a_macro_workbook_is_refused_by_name_and_by_content():
    assert "macro" in _refusal(write_workbook(), "ke-hoach.xlsm").lower()
    with_vba = rezip(write_workbook(), {"xl/vbaProject.bin": b"\0" * 10})
    assert "macro" in _refusal(with_vba, "ke-hoach.xlsx").lower()


def test_a_dtd_is_refused_even_split_across_reads():
    padding = " " * (64 * 1024 - 30)
    sheet = f'<?xml version="1.0"?>{padding}<!DOCTYPE x [<!ENTITY a "b">]><x/>'

    assert "DTD" in _refusal(rezip(write_workbook(), {SHEET: sheet.encode()}))


def test_a_utf16_part_is_refused():
    sheet = '<?xml version="1.0" encoding="UTF-16"?><x/>'.encode("utf-16")

    assert "UTF-8" in _refusal(rezip(write_workbook(), {SHEET: sheet}))


def test_a_file_over_the_size_limit_is_refused_before_unzipping():
    assert "5 MB" in _refusal(b"PK" + b"\0" * guard.MAX_BYTES)


def test_too_many_parts_are_refused():
    extra = {f"xl/media/{n}.bin": b"x" for n in range(guard.MAX_PARTS)}

    assert str(guard.MAX_PARTS) in _refusal(rezip(write_workbook(), extra))
