"""The Excel upload fuzzed through the real view, as a browser sends it: whatever the
cells hold, the answer is a preview, row errors or a refusal (never a 500), a
confirmation that fails writes nothing, and the next request works."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
import sqlalchemy as sa
from hypothesis import example, given, reject
from hypothesis import strategies as st
from openpyxl.utils.exceptions import IllegalCharacterError

from ckan import model

from tests.fuzz import fuzz_settings
from tests.helpers import csrf_token, token_headers
from tests.plan.helpers import (
    GENERAL,
    ITEMS,
    PHASES,
    editor_login,
    plan_with_parts,
    workbook_of,
    xlsx_bytes,
)

PLAN_TABLES = ("vndata_plan", "vndata_plan_phase", "vndata_plan_item")
HOSTILE_TEXT = [
    "inf", "-inf", "nan", "NaN", "1e20", "-1e20", "1e400", "10**12", "1000000000000",
    "hai nghìn", "", " ", "=1+1", '=HYPERLINK("http://x","y")', "+1", "-1",
    "@SUM(A1)", "＝1+1", "31/02/2025", "2025-13-01", "01/01/0001", "99999-01-01",
    "2025-06-30T25:00", "30.06.2025", "Cao", "cao", "Giai đoạn 1", "Giai đoạn 9",
    "giáo dục, đào tạo", "_x0000_", "a_x0001_b", "CSV, JSON", ",,,", "\u202eabc",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "ﬁ", "e\u0301", "\ufeff", "x" * 40_000, "#REF!", "STT",
    "Tên dữ liệu", "Mục",
]  # fmt: skip
HOSTILE_NUMBERS = [10**12, 2**31, -(2**31) - 1, 1e20, -1e20, 1e308, float("inf"),
                   float("-inf"), float("nan"), 0, -1, 0.5]  # fmt: skip
VALUES = st.one_of(
    st.none(),
    st.sampled_from(HOSTILE_TEXT),
    st.sampled_from(HOSTILE_NUMBERS),
    st.sampled_from(HOSTILE_NUMBERS),
    st.integers(min_value=-(10**18), max_value=10**18),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=30),
    st.dates(min_value=datetime.date(1900, 3, 1)),
    st.datetimes(min_value=datetime.datetime(1900, 3, 1)),
    st.times(),
    st.booleans(),
)
# Mostly the data rows of the three sheets read (row 1 holds the headers: a write
# there usually costs the file a column), sometimes elsewhere.
SHEETS = st.sampled_from([ITEMS, ITEMS, PHASES, PHASES, GENERAL, "Mã", "Trang lạ"])
ROWS = st.one_of(st.integers(2, 4), st.integers(2, 4), st.integers(1, 12))
WRITES = st.lists(
    st.tuples(SHEETS, ROWS, st.integers(1, 11), VALUES), min_size=1, max_size=8
)
SHAPES = st.sampled_from(["as_is", "as_is", "as_is", "no_phases", "renamed_items"])


def _snapshot() -> dict:
    tables = {}
    for table in PLAN_TABLES:
        result = model.Session.execute(sa.text(f"SELECT * FROM {table} ORDER BY id"))
        tables[table] = [tuple(row) for row in result]
    model.Session.commit()
    return tables


def _hostile(base: bytes, writes, shape) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(base))
    for sheet, row, column, value in writes:
        if sheet not in book.sheetnames:
            book.create_sheet(sheet)
        try:
            book[sheet].cell(row=row, column=column, value=value)
        except (IllegalCharacterError, ValueError, TypeError):
            reject()  # a value openpyxl itself will not write
    if shape == "no_phases":
        del book[PHASES]
    elif shape == "renamed_items":
        book[ITEMS].title = "Danh muc"
    return xlsx_bytes(book)


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestUploadFuzz:
    def test_any_workbook_gives_a_preview_or_errors_and_never_a_partial_write(
        self, app, agency, other_agency
    ):
        plan = plan_with_parts(agency)
        base = xlsx_bytes(workbook_of(app, plan["id"], agency.editor))
        client, _editor = editor_login(app, agency)
        url = f"/ke-hoach/{plan['id']}/tai-len"
        token = csrf_token(client.get(url).body)
        other = token_headers(other_agency.admin)
        outcomes = []

        @fuzz_settings(max_examples=40)
        @given(writes=WRITES, shape=SHAPES)
        # What the fuzzing found: STT 10**12 (a 500 at the confirmation, and the next
        # request failing), two phase rows without a label (a KeyError).
        @example(writes=[(ITEMS, 3, 1, 10**12), (ITEMS, 3, 2, "Số lớn")], shape="as_is")
        @example(writes=[(PHASES, 3, 2, "inf"), (PHASES, 4, 2, "inf")], shape="as_is")
        def upload_then_confirm(writes, shape):
            data = _hostile(base, writes, shape)
            page = client.post(url, data={
                "_csrf_token": token, "file": (io.BytesIO(data), "ke-hoach.xlsx"),
            })  # fmt: skip
            assert page.status_code == 200, page.body[-2000:]
            body = page.body
            kinds = [k for k in ("vndata-refusal", "vndata-problems", "vndata-preview")
                     if f'id="{k}"' in body]  # fmt: skip
            assert len(kinds) == 1, kinds
            outcomes.append(kinds[0])
            if kinds[0] == "vndata-preview":
                before = _snapshot()
                pending = body.split('name="token" value="', 1)[1][:32]
                done = client.post(url, data={
                    "_csrf_token": token, "token": pending, "confirm": "1",
                }, follow_redirects=False)  # fmt: skip
                assert done.status_code in (302, 409), done.body[-2000:]
                if done.status_code == 409:
                    assert _snapshot() == before
            shown = app.get(
                f"/api/action/organization_show?id={other_agency.org['id']}",
                headers=other,
            )
            assert shown.status_code == 200

        upload_then_confirm()
        # The examples reached every outcome, not only the refusal of a broken file.
        assert {"vndata-problems", "vndata-preview"} <= set(outcomes), outcomes
