"""A catalogue that cannot be read fails its job cleanly, through the real stages:
an error on the job (no traceback, no remote body), the job finished, the last
successful harvest and every dataset left as they were, and the next job possible."""

from __future__ import annotations

import json
import urllib.parse

import pytest

from ckan.tests import helpers
from ckanext.harvest.model import HarvestObject

from tests.harvester.helpers import bare_ckan_record
from tests.harvester.sources import (
    active_datasets,
    create_job,
    harvest_source,
    newest_job_report,
    overview_row,
    turtle_catalogue,
    turtle_record,
)
from tests.helpers import run_harvest

HYDRA = "http://www.w3.org/ns/hydra/core#"
GOOD = turtle_catalogue({n: turtle_record(n) for n in (1, 2)})
RDF_XML = """<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns:dcat="http://www.w3.org/ns/dcat#" xmlns:dct="http://purl.org/dc/terms/">
  <dcat:Catalog rdf:about="http://127.0.0.1/catalog">
    <dcat:dataset>
      <dcat:Dataset rdf:about="http://127.0.0.1/ds/1">
        <dct:title xml:lang="vi">Tập dữ liệu số 1</dct:title>
      </dcat:Dataset>
    </dcat:dataset>
  </dcat:Catalog>
</rdf:RDF>
"""


def assert_failed_cleanly(source_id: str, before: dict, message: str, body: bytes):
    """The newest job failed with ``message`` and changed nothing."""
    report = newest_job_report(source_id)
    assert report["status"] == "Finished"
    assert report["failed"] is True
    errors = " ".join(report["gather_errors"])
    assert message in errors, errors
    assert "Traceback" not in errors
    assert body[:40].decode("utf-8", "replace") not in errors  # no remote body
    row = overview_row(source_id)
    assert row["last_successful_harvest"] == before["last_successful_harvest"]
    assert row["last_job"]["job_id"] == report["job_id"]
    assert active_datasets() == 2  # nothing withdrawn
    assert create_job(source_id)["status"] == "New"  # the source is not stuck


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestDcatPageThatCannotBeRead:
    @pytest.mark.parametrize(
        ("content_type", "body", "message"),
        [
            ("application/ld+json", b'{"@graph": [{"@id": ', "JSON-LD hợp lệ"),
            ("text/turtle", GOOD.decode("utf-8").encode("utf-16"), "văn bản UTF-8"),
            (
                "application/rdf+xml",
                RDF_XML[: len(RDF_XML) // 2].encode("utf-8"),
                "Không đọc được trang theo định dạng application/rdf+xml",
            ),
            (
                "application/ld+json",
                b'{"@graph": ' + b"[" * 50000 + b"]" * 50000 + b"}",
                "lồng nhau sâu hơn 32 cấp",
            ),
        ],
        ids=["invalid-json-ld", "utf-16-turtle", "truncated-rdf-xml", "deep-json-ld"],
    )
    def test_the_job_fails_and_nothing_changes(
        self, catalogue_server, content_type, body, message
    ):
        handler, url = catalogue_server
        handler.body = GOOD
        source = harvest_source(url, deletion={"grace_days": 0, "max_share": 1.0})
        run_harvest(source["id"], "vndata_dcat")
        before = overview_row(source["id"])
        assert before["last_successful_harvest"]
        handler.content_type, handler.body = content_type, body

        objects = run_harvest(source["id"], "vndata_dcat")  # nothing escapes

        assert objects == []
        assert_failed_cleanly(source["id"], before, message, body)

    def test_an_unreadable_second_page_drops_the_first_pages_records(
        self, catalogue_server
    ):
        """No object of a failed gather waits forever: the job finishes."""
        handler, url = catalogue_server
        second = url.replace("catalog.ttl", "page2.jsonld")
        handler.pages = {
            "/catalog.ttl": GOOD
            + f"""<http://127.0.0.1/page> a <{HYDRA}PagedCollection> ;
    <{HYDRA}next> "{second}" .
""".encode("utf-8"),
            "/page2.jsonld": b"{not json",
        }
        source = harvest_source(url)

        objects = run_harvest(source["id"], "vndata_dcat")

        report = newest_job_report(source["id"])
        assert objects == []
        assert report["failed"] is True
        assert HarvestObject.filter(harvest_job_id=report["job_id"]).count() == 0
        assert active_datasets() == 0


def package_search(results) -> dict:
    return {"success": True, "result": {"count": 2, "results": results}}


def first_page_answers(answer):
    """package_search answers ``answer`` (bytes, or a dict/list made JSON) on its
    first page, and an empty page after it."""

    def respond(path: str) -> bytes | None:
        parsed = urllib.parse.urlsplit(path)
        if not parsed.path.endswith("/api/3/action/package_search"):
            return None
        if urllib.parse.parse_qs(parsed.query)["start"][0] != "0":
            return json.dumps(package_search([])).encode("utf-8")
        return answer if isinstance(answer, bytes) else json.dumps(answer).encode()

    return respond


WRONG_SHAPES = {
    "not-json": ("<html><body>Bảo trì</body></html>".encode(), "không phải là JSON"),
    "a-list": (
        [package_search([bare_ckan_record(1)])],
        "không phải là một đối tượng JSON",
    ),
    "result-null": ({"success": True, "result": None}, "result không phải là một"),
    "result-a-list": ({"success": True, "result": []}, "result không phải là một"),
    "results-not-a-list": (
        {"success": True, "result": {"count": 2, "results": {"id": "remote-1"}}},
        "result.results không phải là một danh sách",
    ),
    "count-a-string": (
        {"success": True, "result": {"count": "2", "results": [bare_ckan_record(1)]}},
        "result.count không phải là một số",
    ),
    "success-false": (
        {"success": False, "error": {"message": "Not found"}},
        "success không phải là true",
    ),
}


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestCkanAnswerOfTheWrongShape:
    def _source(self, handler, url: str) -> tuple[dict, dict]:
        handler.respond = first_page_answers(
            package_search([bare_ckan_record(1), bare_ckan_record(2)])
        )
        source = harvest_source(
            url.replace("/catalog.ttl", ""),
            source_type="vndata_ckan",
            deletion={"grace_days": 0, "max_share": 1.0},
        )
        run_harvest(source["id"], "vndata_ckan")
        before = overview_row(source["id"])
        assert before["last_successful_harvest"]
        return source, before

    @pytest.mark.parametrize("shape", WRONG_SHAPES, ids=list(WRONG_SHAPES))
    def test_the_job_fails_and_nothing_changes(self, catalogue_server, shape):
        handler, url = catalogue_server
        source, before = self._source(handler, url)
        answer, message = WRONG_SHAPES[shape]
        handler.respond = first_page_answers(answer)

        objects = run_harvest(source["id"], "vndata_ckan")

        body = answer if isinstance(answer, bytes) else json.dumps(answer).encode()
        assert objects == []
        assert_failed_cleanly(source["id"], before, message, body)

    def test_records_without_an_id_are_left_out_and_withdraw_nothing(
        self, catalogue_server
    ):
        handler, url = catalogue_server
        source, before = self._source(handler, url)
        unstorable = {**bare_ckan_record(3), "id": "remote\x003"}  # a NUL: no guid
        handler.respond = first_page_answers(
            package_search(
                [
                    bare_ckan_record(1),
                    {"title": "không có id"},
                    ["remote-2"],
                    unstorable,
                ]
            )
        )

        (imported,) = run_harvest(source["id"], "vndata_ckan")

        report = newest_job_report(source["id"])
        assert imported.state == "COMPLETE"
        assert report["counts"]["withdrawn"] == 0
        assert len(report["gather_errors"]) == 3
        assert all("không có id" in e for e in report["gather_errors"])
        assert helpers.call_action("package_search")["count"] == 2
