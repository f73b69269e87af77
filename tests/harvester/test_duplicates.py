"""The same dataset arriving from two sources: reported with both origins, not
merged; what a record's global keys are."""

from __future__ import annotations

import json

import pytest

from ckan import model
from ckan.tests import helpers
from ckanext.harvest import queue
from ckanext.harvest.model import HarvestObject

from ckanext.vndata.harvester import duplicates
from tests.harvester.helpers import CATALOGUE
from tests.harvester.sources import harvest_source, objects_of_a_running_job
from tests.helpers import run_harvest

_source = harvest_source


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestCrossSourceDuplicates:
    def test_same_dataset_from_two_sources_is_reported_with_both_origins(
        self, catalogue_server
    ):
        handler, url = catalogue_server
        handler.body = CATALOGUE.encode("utf-8")
        direct = _source(url, "da-nang")
        # Another address (the server answers every path alike): two sources of one
        # type at one address are refused (source_urls.py).
        aggregator = _source(
            url.replace("/catalog.ttl", "/tong-hop/catalog.ttl"),
            "tong-hop-mien-trung",
            timeout=30,
        )

        (first,) = run_harvest(direct["id"], "vndata_dcat")
        (second,) = run_harvest(aggregator["id"], "vndata_dcat")

        assert first.package_id != second.package_id  # kept apart, not merged
        (message,) = [e.message for e in second.errors]
        for source in (direct, aggregator):  # by title, as their pages show them
            assert f"«{source['title']}»" in message
        for harvested in (first, second):  # by title and address
            dataset = helpers.call_action("package_show", id=harvested.package_id)
            assert f"«{dataset['title']}» (" in message
            assert f"/dataset/{dataset['name']})" in message
        (pair,) = helpers.call_action("vndata_harvest_duplicates")
        assert pair["key"] == "http://127.0.0.1/ds/1"
        assert {o["package_id"] for o in pair["origins"]} == {
            first.package_id,
            second.package_id,
        }
        overview = helpers.call_action("vndata_harvest_overview")
        assert [row["duplicates"] for row in overview] == [1, 1]

    def test_a_record_imported_again_reports_its_duplicate_once(self, catalogue_server):
        # A record sent again after its try had made its dataset (a lost connection)
        # runs the last steps again: the notice is not said twice.
        handler, url = catalogue_server
        handler.body = CATALOGUE.encode("utf-8")
        direct = _source(url, "da-nang")
        aggregator = _source(
            url.replace("/catalog.ttl", "/tong-hop/catalog.ttl"), "tong-hop-mien-trung"
        )
        run_harvest(direct["id"], "vndata_dcat")
        (second,) = run_harvest(aggregator["id"], "vndata_dcat")
        harvester = queue.get_harvester("vndata_dcat")

        assert harvester.import_stage(HarvestObject.get(second.id)) is True

        model.Session.remove()
        assert len(HarvestObject.get(second.id).errors) == 1

    def test_same_plain_identifier_in_two_provinces_is_not_a_duplicate(
        self, catalogue_server
    ):
        handler, url = catalogue_server
        blank = CATALOGUE.replace("<http://127.0.0.1/ds/1>", "_:ds1").replace(
            "dcat:dataset _:ds1", "dcat:dataset _:ds1"
        )
        handler.body = blank.encode("utf-8")
        run_harvest(_source(url, "da-nang")["id"], "vndata_dcat")
        run_harvest(
            _source(url + "?hue", "hue", province_code="46")["id"], "vndata_dcat"
        )

        assert helpers.call_action("vndata_harvest_duplicates") == []
        assert helpers.call_action("package_search")["count"] == 2


def keys(record, source_type: str = "vndata_dcat") -> set[str]:
    content = record if isinstance(record, str) else json.dumps(record)
    return duplicates.keys_of(content, source_type, "https://portal.example.vn/")


class TestKeysOf:
    def test_addresses_that_name_the_record_are_its_keys(self):
        record = {
            "uri": "https://a.vn/ds/1/",
            "identifier": "http://b.vn/id/1",
            "extras": [
                {"key": "uri", "value": "https://a.vn/ds/1"},
                {"key": "identifier", "value": "https://c.vn/x"},
            ],
        }

        assert keys(record) == {
            "https://a.vn/ds/1",
            "http://b.vn/id/1",
            "https://c.vn/x",
        }

    def test_a_ckan_record_is_also_named_by_its_address_on_its_portal(self):
        record = {"id": "abc", "identifier": "truong-hoc"}

        assert keys(record, "vndata_ckan") == {"https://portal.example.vn/dataset/abc"}
        assert keys(record, "vndata_dcat") == set()

    @pytest.mark.parametrize(
        "record",
        [
            {"identifier": "truong-hoc"},  # two provinces may both use it
            {"uri": "urn:uuid:1"},
            {"uri": "ftp://a.vn/ds"},
            {"uri": "https://a.vn/\0ds"},
            {"uri": "https://a.vn/" + "x" * duplicates.MAX_KEY_CHARS},
            {"uri": ["https://a.vn/ds"]},
            {"uri": 5, "extras": "https://a.vn/ds"},
            {"extras": [None, "x", {"key": "uri"}]},
            {"extras": {"uri": {"nested": "https://a.vn"}}},
            ["https://a.vn/ds"],
            "{not json",
            "",
        ],
    )
    def test_what_is_no_address_or_cannot_be_stored_is_no_key(self, record):
        assert keys(record) == set()

    def test_extras_given_as_a_mapping_are_read_too(self):
        assert keys({"extras": {"uri": "https://a.vn/ds"}}) == {"https://a.vn/ds"}


@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_keys_are_remembered_once_and_found_only_from_other_sources():
    first, second = objects_of_a_running_job(2, state="COMPLETE")
    for harvest_object in (first, second):
        harvest_object.current = True
        duplicates.remember(harvest_object, {"https://a.vn/ds", "https://a.vn/x"})
        duplicates.remember(harvest_object, {"https://a.vn/ds"})
        harvest_object.save()

    held = sorted(e.value for e in first.extras if e.key == duplicates.SAME_AS)
    assert held == ["https://a.vn/ds", "https://a.vn/x"]
    # The two objects are of the same source: no duplicate.
    assert duplicates.others(first, {"https://a.vn/ds"}) == []
    assert duplicates.others(first, set()) == []
    assert duplicates.duplicate_pairs() == []
