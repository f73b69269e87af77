"""A plan as open data: CSV rows and a DCAT catalogue of its list, holding only what
the reader may see (plan/opendata.py)."""

from __future__ import annotations

import csv
import io

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS

from ckanext.vndata.plan import opendata

pytestmark = pytest.mark.usefixtures("with_plugins")

PLAN = {
    "id": "p1",
    "title": "Kế hoạch 2025",
    "modified": "2025-03-01T10:00:00",
    "phases": [{"id": "g1", "label": "Giai đoạn 1"}],
    "items": [
        {
            "number": 1,
            "key": "k1",
            "title": "Danh sách trường học",
            "description": "Trường mầm non",
            "sector": "giao-duc-dao-tao",
            "phase_id": "g1",
            "target_date": "2025-06-30",
            "status": "published_on_time",
            "published_date": "2025-06-01",
            "datasets": [
                {"package_id": "truong-hoc", "is_public": True},
                {"package_id": None, "is_public": False},  # one the reader may not see
            ],
        },
        {
            "number": 2,
            "key": "k2",
            "title": '=HYPERLINK("http://x","y")',
            "sector": "<b>khong-co</b>",
            "status": "not_due",
        },
    ],
}
ORGANIZATION = {"title": "Sở Giáo dục Đà Nẵng", "agency_code": "H48.01"}


@pytest.fixture
def page(app):
    with app.flask_app.test_request_context():
        yield


HEADERS = [
    "STT",
    "Tiêu đề",
    "Lĩnh vực",
    "Cơ quan chủ trì",
    "Giai đoạn",
    "Thời hạn công bố",
    "Tình trạng",
    "Mã trạng thái",
    "Ngày công bố",
    "Tập dữ liệu",
    "Mã mục",
]


@pytest.mark.usefixtures("page")
def test_the_csv_has_a_row_per_item_in_vietnamese_with_formulas_kept_as_text():
    rows = list(csv.reader(io.StringIO(opendata.csv_text(PLAN))))

    assert rows[0] == HEADERS
    assert rows[1][2:] == [
        "Giáo dục đào tạo",
        "",
        "Giai đoạn 1",
        "30/06/2025",
        "công bố đúng hạn",
        "published_on_time",
        "01/06/2025",
        "http://test.ckan.net/dataset/truong-hoc",
        "k1",
    ]
    assert rows[2][1] == "'" + PLAN["items"][1]["title"]
    # An unknown sector is shown as it is; an item without dates has empty cells.
    assert rows[2][2:6] == ["<b>khong-co</b>", "", "", ""]
    assert rows[2][6] == "chưa đến hạn"


@pytest.mark.usefixtures("page")
def test_a_plan_without_items_is_a_header_only():
    assert list(csv.reader(io.StringIO(opendata.csv_text({})))) == [HEADERS]


@pytest.mark.usefixtures("page")
class TestCatalogue:
    def test_each_item_is_a_dataset_with_its_status(self):
        g = opendata.graph(PLAN, ORGANIZATION)
        catalogue = URIRef(opendata.plan_url(PLAN))
        done, planned = (URIRef(f"{catalogue}#muc-{n}") for n in (1, 2))

        assert set(g.objects(catalogue, DCAT.dataset)) == {done, planned}
        assert (done, opendata.ADMS.status, opendata.STATUS.COMPLETED) in g
        assert (planned, opendata.ADMS.status, opendata.STATUS.DEVELOP) in g
        assert (done, DCTERMS.identifier, Literal("k1")) in g

    def test_only_a_public_dataset_is_linked_and_an_unknown_sector_is_no_theme(
        self,
    ):
        g = opendata.graph(PLAN, ORGANIZATION)
        catalogue = opendata.plan_url(PLAN)
        done, planned = (URIRef(f"{catalogue}#muc-{n}") for n in (1, 2))

        (relation,) = g.objects(done, DCTERMS.relation)
        assert str(relation).endswith("/dataset/truong-hoc")
        assert len(list(g.objects(done, DCAT.theme))) == 1
        assert list(g.objects(planned, DCAT.theme)) == []

    def test_the_publisher_is_the_agency_with_its_code(self):
        g = opendata.graph(PLAN, ORGANIZATION)
        (publisher,) = g.objects(URIRef(opendata.plan_url(PLAN)), DCTERMS.publisher)

        assert (publisher, DCTERMS.identifier, Literal("H48.01")) in g
