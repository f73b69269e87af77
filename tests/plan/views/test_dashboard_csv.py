"""The national dashboard's CSV files read in Excel (plan/views/dashboard_csv.py):
headers and labels in the reader's language (Vietnamese, English under /en/), no raw
code but in the columns named as codes, UTF-8 with a byte-order mark, a file name."""

from __future__ import annotations

import csv
import io

import pytest

from tests.plan.conftest import make_agency, plan_in

AGENCIES_VI = [
    "Cơ quan", "Tỉnh, thành phố", "Mã tỉnh, thành phố", "Cấp cơ quan",
    "Trạng thái kế hoạch", "Mã trạng thái", "Số mục theo kế hoạch",
    "Số mục đã công bố", "Số mục quá hạn", "Số mục đến hạn",
    "Số mục đến hạn đã công bố đúng hạn",
    "Tỷ lệ công bố đúng hạn trên số mục đến hạn (%)", "Giai đoạn hiện tại",
    "Số mức tối thiểu đạt", "Số mức tối thiểu chưa đạt", "Lần thu thập gần nhất",
    "Chất lượng siêu dữ liệu (điểm)", "Mức chất lượng siêu dữ liệu",
    "Số tập dữ liệu đã chấm điểm", "Địa chỉ kế hoạch",
]  # fmt: skip
AGENCIES_EN = [
    "Agency", "Province", "Province code", "Agency level", "Plan status",
    "Status code", "Items planned", "Items published", "Items overdue", "Items due",
    "Items due, published on time", "On time, of the items due (%)",
    "Current phase", "Minimum levels passed", "Minimum levels failed",
    "Last harvest", "Metadata quality (points)", "Metadata quality rating",
    "Datasets scored", "Plan address",
]  # fmt: skip
# The only columns where a code may stand: each is named a code.
CODE_COLUMNS = {"Mã tỉnh, thành phố", "Mã trạng thái", "Mã cơ quan",
                "Status code", "Province code", "Body code"}  # fmt: skip
RAW_CODES = ("so_nganh", "published", "issued", "no_plan", "province", "ministry")


def _csv(app, path: str) -> tuple[str, list[dict[str, str]]]:
    response = app.get(path)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    body = response.get_data(as_text=True)
    assert body.startswith("\ufeff"), "Excel reads it as UTF-8 only with a BOM"
    return body, list(csv.DictReader(io.StringIO(body[1:])))


def _raw_codes_outside_code_columns(rows: list[dict[str, str]]) -> list[str]:
    return [
        f"{header}={value}"
        for row in rows
        for header, value in row.items()
        if header not in CODE_COLUMNS and value in RAW_CODES
    ]


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestAgenciesCsv:
    def test_headers_and_labels_are_vietnamese_and_english_under_en(self, app):
        agency = make_agency("Sở Xây dựng Đà Nẵng", "48", agency_level="so_nganh")
        plan = plan_in(agency, "published")

        _, (row,) = _csv(app, "/ke-hoach/tong-hop.csv")
        _, (en_row,) = _csv(app, "/en/ke-hoach/tong-hop.csv")

        assert list(row) == AGENCIES_VI
        assert row["Cấp cơ quan"] == "Sở, ban, ngành"
        assert row["Trạng thái kế hoạch"] == "đã công bố"
        assert row["Địa chỉ kế hoạch"].endswith(f"/ke-hoach/{plan['id']}")
        assert list(en_row) == AGENCIES_EN
        assert (en_row["Agency level"], en_row["Plan status"]) == (
            "Department",
            "published",
        )
        assert en_row["Status code"] == "published"
        assert _raw_codes_outside_code_columns([row]) == []

    def test_a_filter_or_sort_the_page_knows_gives_the_same_rows(self, app):
        plan_in(make_agency("Sở Xây dựng Đà Nẵng", "48"), "published")
        plan_in(make_agency("Sở Xây dựng Huế", "46"), "published")

        _, rows = _csv(app, "/ke-hoach/tong-hop.csv?province_code=46")
        _, hostile = _csv(app, "/ke-hoach/tong-hop.csv?sort=%00&order=%3Dx")

        assert [r["Cơ quan"] for r in rows] == ["Sở Xây dựng Huế"]
        assert len(hostile) == 2


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestBodiesCsv:
    def test_every_body_has_labels_and_only_named_code_columns(self, app):
        plan_in(make_agency("Sở Xây dựng Đà Nẵng", "48"), "published")

        _, rows = _csv(app, "/ke-hoach/tong-hop/doi-tuong.csv")
        _, english = _csv(app, "/en/ke-hoach/tong-hop/doi-tuong.csv")

        by_code = {r["Mã cơ quan"]: r for r in rows}
        assert by_code["46"]["Tình trạng"] == "chưa ban hành"
        assert by_code["46"]["Mã trạng thái"] == "no_plan"
        assert by_code["48"]["Đạt các mức tối thiểu của giai đoạn hiện tại"] in (
            "Có",
            "Không",
        )
        assert _raw_codes_outside_code_columns(rows) == []
        en = {r["Body code"]: r for r in english}
        assert en["46"]["Status"] == "not issued"
        assert en["46"]["Kind of body"] != by_code["46"]["Loại cơ quan"]
