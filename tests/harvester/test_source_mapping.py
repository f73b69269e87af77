"""A harvested record's values mapped by its source's config: defaults, province and
sector maps, and the source catalogue it came from."""

from __future__ import annotations

import pytest

from ckan.tests import helpers

from tests.harvester.helpers import FOREIGN, harvest_ckan


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestSourceCatalogue:
    def test_the_source_catalogues_publisher_is_this_portals_word(
        self, catalogue_server
    ):
        record = {**FOREIGN, "source_catalog_publisher": "Bộ Công an"}
        source, harvested = harvest_ckan(catalogue_server, [record])

        dataset = helpers.call_action("package_show", id=harvested.package_id)
        owner = helpers.call_action("organization_show", id=source["owner_org"])
        assert dataset["source_catalog_publisher"] == owner["title"]
