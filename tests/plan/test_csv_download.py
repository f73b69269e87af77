"""CSV files a person can read (plan/csv_download.py): headers in the reader's
language, empty cells for missing values, formulas kept as text, and a byte-order
mark so that Excel reads the file as UTF-8."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given

from ckanext.vndata.plan import csv_download
from ckanext.vndata.plan.csv_download import Column
from tests.fuzz import FUZZ, HOSTILE

pytestmark = pytest.mark.usefixtures("with_plugins")

COLUMNS = (
    Column("Agency", lambda row: row.get("agency")),
    Column("Items planned", lambda row: row.get("planned")),
    Column("Passes its current phase's minimum levels",
           lambda row: csv_download.yes_no(row.get("passes"))),
)  # fmt: skip


@pytest.fixture
def page(app):
    with app.flask_app.test_request_context():
        yield


def _read(text: str) -> list[list[str]]:
    # The hostile values hold a cell of a million characters: above the reader's
    # default limit, not the writer's.
    csv.field_size_limit(2_000_000)
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.usefixtures("page")
class TestText:
    def test_headers_are_in_vietnamese_and_missing_values_are_empty(self):
        rows = [
            {"agency": "Sở Xây dựng Đà Nẵng", "planned": 12, "passes": True},
            {"agency": None, "planned": None, "passes": False},
        ]

        assert _read(csv_download.text(COLUMNS, rows)) == [
            ["Cơ quan", "Số mục theo kế hoạch",
             "Đạt các mức tối thiểu của giai đoạn hiện tại"],
            ["Sở Xây dựng Đà Nẵng", "12", "Có"],
            ["", "", "Không"],
        ]  # fmt: skip

    def test_a_formula_like_value_stays_text(self):
        rows = [{"agency": '=HYPERLINK("http://x","y")', "planned": "@SUM(A1)"}]

        (_, row) = _read(csv_download.text(COLUMNS, rows))

        assert row[:2] == ['\'=HYPERLINK("http://x","y")', "'@SUM(A1)"]

    @FUZZ
    @given(value=HOSTILE)
    def test_any_value_is_one_cell_and_never_a_formula(self, value):
        (_, row) = _read(csv_download.text(COLUMNS, [{"agency": value}]))

        assert len(row) == len(COLUMNS)
        if isinstance(value, str):  # a number is written as one ("-1")
            assert not row[0].startswith(("=", "+", "-", "@"))


@pytest.mark.usefixtures("page")
def test_the_download_has_a_byte_order_mark_and_a_file_name():
    response = csv_download.response(COLUMNS, [{"agency": "Huế"}], "co-quan.csv")

    body = response.get_data(as_text=True)
    assert body.startswith("\ufeffCơ quan,")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="co-quan.csv"'
    )
