"""Hostile and wrong files sent to the Excel upload: each refused before openpyxl
spends time or memory on it, in under 2 seconds, with a message in Vietnamese."""

from __future__ import annotations

import io
import time
import zipfile

import pytest

from tests.helpers import token_headers
from tests.plan.conftest import call
from tests.plan.helpers import ITEMS, plan_with_parts, workbook_of, xlsx_bytes
from tests.plan.helpers import rezip as _rezip
from tests.plan.helpers import sheet_xml as _sheet_xml

ITEMS_PART = "xl/worksheets/sheet2.xml"  # openpyxl writes the sheets in order


def _far_cell(base: bytes, book, ref: str) -> bytes:
    book[ITEMS][ref] = "x"
    return xlsx_bytes(book)


def _million_empty_cells(base: bytes, book) -> bytes:
    row = "<c/>" * 1000
    rows = "".join(f'<row r="{n}">{row}</row>' for n in range(2, 1002))
    return _rezip(base, {ITEMS_PART: _sheet_xml(rows)}, stored=(ITEMS_PART,))


def _repeated_cells(base: bytes, book) -> bytes:
    rows = '<row r="2">' + '<c r="A2"/>' * 200_000 + "</row>"
    return _rezip(base, {ITEMS_PART: _sheet_xml(rows)}, stored=(ITEMS_PART,))


def _repeated_rows(base: bytes, book) -> bytes:
    rows = '<row r="2"><c r="A2"/></row>' * 100_000
    return _rezip(base, {ITEMS_PART: _sheet_xml(rows)}, stored=(ITEMS_PART,))


def _zip_bomb(base: bytes, book) -> bytes:
    return _rezip(base, {"xl/media/image1.png": b"\0" * (200 * 1024 * 1024)})


def _dense_part(base: bytes, book) -> bytes:
    padding = "<!-- " + " " * 5_000_000 + " -->"  # packs about 5,000 times
    return _rezip(base, {ITEMS_PART: _sheet_xml("", padding)})


def _billion_laughs(base: bytes, book) -> bytes:
    entities = '<!ENTITY a0 "ha">' + "".join(
        f'<!ENTITY a{n} "{("&a" + str(n - 1) + ";") * 10}">' for n in range(1, 10)
    )
    rows = '<row r="2"><c r="B2" t="inlineStr"><is><t>&a9;</t></is></c></row>'
    return _rezip(base, {ITEMS_PART: _sheet_xml(rows, f"<!DOCTYPE x [{entities}]>")})


def _vba_project(base: bytes, book) -> bytes:
    return _rezip(base, {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 macros"})


def _macro_content_type(base: bytes, book) -> bytes:
    with zipfile.ZipFile(io.BytesIO(base)) as source:
        types = source.read("[Content_Types].xml").decode()
    types = types.replace(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    )
    return _rezip(base, {"[Content_Types].xml": types.encode()})


def _zip_of_other_things(base: bytes, book) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zip_:
        zip_.writestr("bao-cao.docx", b"not a workbook")
    return out.getvalue()


HOSTILE = {
    # case: (file builder, file name, what the Vietnamese message says)
    "cell_at_XFD400": (lambda b, k: _far_cell(b, k, "XFD400"), "a.xlsx",
                       "quá nhiều cột: tối đa 50"),
    "cell_at_XFD2001": (lambda b, k: _far_cell(b, k, "XFD2001"), "a.xlsx",
                        "quá nhiều cột: tối đa 50"),
    "cell_at_A5000": (lambda b, k: _far_cell(b, k, "A5000"), "a.xlsx",
                      "quá nhiều dòng: tối đa 2000"),
    "million_empty_cells": (_million_empty_cells, "a.xlsx", "quá nhiều cột"),
    "repeated_cells": (_repeated_cells, "a.xlsx", "quá nhiều cột"),
    "repeated_rows": (_repeated_rows, "a.xlsx", "quá nhiều dòng"),
    "zip_bomb": (_zip_bomb, "a.xlsx", "khi giải nén lớn hơn 20 MB"),
    "dense_part": (_dense_part, "a.xlsx", "bom zip"),
    "billion_laughs": (_billion_laughs, "a.xlsx", "khai báo thực thể XML (DTD)"),
    "vba_project": (_vba_project, "a.xlsx", "Không nhận bảng tính có macro"),
    "macro_content_type": (_macro_content_type, "a.xlsx", "có macro"),
    "xlsm_name": (lambda b, k: b, "ke-hoach.xlsm", "có macro"),
    "csv": (lambda b, k: "STT,Tên dữ liệu\n1,=1+1\n".encode(), "a.csv", "tệp CSV"),
    "xls": (lambda b, k: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, "a.xls",
            "định dạng cũ (.xls)"),
    "zip_of_other_things": (_zip_of_other_things, "a.xlsx",
                            "không phải bảng tính Excel"),
    "empty_file": (lambda b, k: b"", "a.xlsx", "Tệp rỗng"),
}  # fmt: skip


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestHostileUploads:
    @pytest.mark.parametrize("case", list(HOSTILE))
    def test_hostile_file_is_refused_quickly_with_a_reason(self, app, agency, case):
        build, name, message = HOSTILE[case]
        plan = plan_with_parts(agency)
        book = workbook_of(app, plan["id"], agency.editor)
        data = build(xlsx_bytes(book), book)
        headers = token_headers(agency.editor)
        app.get(f"/ke-hoach/{plan['id']}/tai-len", headers=headers)  # page compiled

        started = time.monotonic()
        page = app.post(
            f"/ke-hoach/{plan['id']}/tai-len",
            headers=headers,
            data={"file": (io.BytesIO(data), name)},
        )
        elapsed = time.monotonic() - started

        assert page.status_code == 200
        assert 'id="vndata-refusal"' in page.body
        assert message in page.body
        assert elapsed < 2
        assert len(call("vndata_plan_show", agency.editor, id=plan["id"])["items"]) == 1

    def test_no_file_chosen_says_so(self, app, agency):
        plan = plan_with_parts(agency)

        page = app.post(
            f"/ke-hoach/{plan['id']}/tai-len",
            headers=token_headers(agency.editor),
            data={"file": (io.BytesIO(b""), "")},
        )

        assert "Chưa chọn tệp" in page.body
