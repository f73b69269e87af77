"""The same dataset arriving from two sources: reported with both origins, not
merged; what a record's global keys are."""

from __future__ import annotations

import pytest

from ckan.tests import helpers

from tests.harvester.helpers import CATALOGUE
from tests.harvester.sources import harvest_source
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
        aggregator = _source(url, "tong-hop-mien-trung", timeout=30)

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
