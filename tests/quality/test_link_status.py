"""The resource page says whether the link checker found the link working, when, and
why not, in the reader's language."""

from __future__ import annotations

import datetime

import pytest

from ckan import model
from ckan.tests import factories

from ckanext.vndata.quality.link_status import (
    vndata_quality_link_status,
    vndata_quality_link_verdicts,
)
from ckanext.vndata.quality.model import LinkCheck
from tests.factories import VnDataset

URL = "http://du-lieu.example.vn/a.csv"
# Stored in UTC; test.ini shows times in UTC (no ckan.display_timezone).
CHECKED = datetime.datetime(2026, 11, 30, 14, 5)
LAST_OK = datetime.datetime(2026, 11, 20, 8, 30)


@pytest.fixture
def dataset():
    org = factories.Organization()
    return VnDataset(owner_org=org["id"], resources=[{"url": URL, "format": "CSV"}])


def _page(app, dataset, prefix=""):
    resource = dataset["resources"][0]
    return app.get(f"{prefix}/dataset/{dataset['name']}/resource/{resource['id']}").body


def _store(dataset, **values):
    resource = dataset["resources"][0]
    model.Session.add(
        LinkCheck(resource_id=resource["id"], package_id=dataset["id"], **values)
    )
    model.Session.commit()


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestResourcePage:
    def test_never_checked_says_so(self, app, dataset):
        assert "Kiểm tra liên kết" in _page(app, dataset)
        assert "Chưa kiểm tra" in _page(app, dataset)
        assert "Not checked yet" in _page(app, dataset, "/en")

    @pytest.mark.parametrize(
        "stored, vietnamese, english",
        [
            (
                {"status": 200, "ok": True, "last_ok": CHECKED},
                ["Hoạt động (HTTP 200)", "kiểm tra lúc 30/11/2026 14:05"],
                ["Working (HTTP 200)", "checked 2026-11-30 14:05"],
            ),
            (
                {"ok": False, "error": "timeout", "last_ok": LAST_OK, "failures": 2},
                ["Máy chủ không trả lời trong 10 giây",
                 "hoạt động lần cuối 20/11/2026 08:30"],
                ["The server did not answer within 10 seconds",
                 "last working 2026-11-20 08:30"],
            ),
        ],
        ids=["working", "broken"],
    )  # fmt: skip
    def test_the_verdict_in_the_readers_language(
        self, app, dataset, stored, vietnamese, english
    ):
        _store(dataset, url=URL, checked=CHECKED, **stored)

        page, english_page = _page(app, dataset), _page(app, dataset, "/en")
        assert all(text in page for text in vietnamese)
        assert all(text in english_page for text in english)
        assert not any(text in english_page for text in vietnamese)

    def test_a_link_that_never_worked_says_so(self, app, dataset):
        _store(dataset, url=URL, status=404, ok=False, error="http_error",
               checked=CHECKED, failures=1)  # fmt: skip

        page = _page(app, dataset)
        assert "Máy chủ trả về lỗi HTTP 404" in page
        assert "chưa từng hoạt động" in page
        assert "http_error" not in page

    def test_a_verdict_about_an_older_address_is_not_shown(self, app, dataset):
        _store(dataset, url="http://cu.example.vn/", status=200, ok=True,
               checked=CHECKED, failures=0)  # fmt: skip

        assert "Chưa kiểm tra" in _page(app, dataset)
        assert "HTTP 200" not in _page(app, dataset)


@pytest.mark.usefixtures("with_plugins", "clean_db", "with_request_context")
class TestStatus:
    def test_an_unknown_error_code_reads_as_not_working(self, dataset):
        _store(dataset, url=URL, ok=False, error="from-an-older-version",
               checked=CHECKED, failures=1)  # fmt: skip

        status = vndata_quality_link_status(dataset["resources"][0])
        assert (status["ok"], status["label"]) == (False, "Không hoạt động")

    def test_a_resource_without_id_is_not_checked(self):
        assert vndata_quality_link_status({})["ok"] is None


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestVerdicts:
    def test_only_verdicts_about_the_current_address_count(self):
        org = factories.Organization()
        dataset = VnDataset(
            owner_org=org["id"],
            resources=[{"url": f"http://a.example.vn/{n}"} for n in range(4)],
        )
        first, second, third, fourth = (r["id"] for r in dataset["resources"])
        rows = [
            (first, "http://a.example.vn/0", True),
            (second, "http://a.example.vn/1", False),
            (third, "http://cu.example.vn/", True),  # about an older address
            (fourth, "http://a.example.vn/3", None),  # leased, not checked yet
        ]
        for rid, url, ok in rows:
            model.Session.add(LinkCheck(
                resource_id=rid, package_id=dataset["id"], url=url, ok=ok,
                checked=CHECKED if ok is not None else None, failures=0,
            ))  # fmt: skip
        model.Session.commit()

        verdicts = vndata_quality_link_verdicts([dataset["id"], "other"])

        assert verdicts == {first: True, second: False}
        assert vndata_quality_link_verdicts([]) == {}
