"""Records held back: why the parser rejected one, and that a held-back record is
read again on the next harvest until it can come in.

How each kind of record is held back is tested with its cause: a record the parser
cannot use in test_rdf_reading.py (TestRecordByRecord), an unknown publisher in
test_rules.py, a record the harvest policy cannot repair in test_policy.py.
"""

from __future__ import annotations

import json

import pytest

from ckanext.harvest.model import HarvestObject

from ckanext.vndata.dcat.parse import REJECTION_KEY
from ckanext.vndata.harvester import quarantine
from tests.harvester.sources import (
    harvest_source,
    newest_job_report,
    turtle_catalogue,
    turtle_record,
)
from tests.helpers import run_harvest


def rejection(content: str | None) -> str | None:
    return quarantine.rejection(HarvestObject(content=content))


class TestRejection:
    def test_the_parsers_reasons_are_the_message(self):
        record = {"title": "x", REJECTION_KEY: ["không có tiêu đề", 42]}

        message = rejection(json.dumps(record))

        assert message is not None
        assert "không có tiêu đề; 42" in message

    @pytest.mark.parametrize(
        "content",
        [
            None,
            "",
            "{not json",
            json.dumps(["a", "list"]),
            json.dumps("text"),
            json.dumps({"title": "a record the parser took"}),
            json.dumps({REJECTION_KEY: []}),
            json.dumps({REJECTION_KEY: None}),
        ],
    )
    def test_a_record_the_parser_did_not_reject_has_no_rejection(self, content):
        assert rejection(content) is None

    def test_a_held_back_record_carries_its_reason(self):
        held = quarantine.Quarantined("Nhà xuất bản chưa có quy tắc.")

        assert held.reason == str(held) == "Nhà xuất bản chưa có quy tắc."


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestReadAgain:
    def test_a_held_back_record_is_reported_again_on_an_unchanged_page(
        self, catalogue_server
    ):
        handler, url = catalogue_server
        handler.body = turtle_catalogue({1: turtle_record(1), 2: turtle_record(2, "")})
        source = harvest_source(url)
        run_harvest(source["id"], "vndata_dcat")

        again = run_harvest(source["id"], "vndata_dcat")

        # The page is parsed again (not skipped as unchanged): the record is read.
        assert [o.guid.rsplit("/", 1)[1] for o in again] == ["1", "2"]
        counts = newest_job_report(source["id"])["counts"]
        assert (counts["quarantined"], counts["unchanged"]) == (1, 1)
        held = HarvestObject.get(again[1].id)
        assert {e.key for e in held.extras} >= {quarantine.QUARANTINE}

    def test_a_held_back_record_comes_in_once_its_cause_is_fixed(
        self, catalogue_server
    ):
        handler, url = catalogue_server
        handler.body = turtle_catalogue({2: turtle_record(2, "")})
        source = harvest_source(url)
        (held,) = run_harvest(source["id"], "vndata_dcat")

        handler.body = turtle_catalogue({2: turtle_record(2, "Đã có tên")})
        (fixed,) = run_harvest(source["id"], "vndata_dcat")

        assert held.package_id is None
        assert fixed.state == "COMPLETE" and fixed.package_id
        assert newest_job_report(source["id"])["counts"]["added"] == 1
