"""A harvested record's values mapped by its source's config: defaults, province and
sector maps, and the source catalogue it came from."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from ckan.tests import helpers

from ckanext.vndata.harvester import config as source_config
from ckanext.vndata.harvester.source_mapping import apply_source_config
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


def mapped(package: dict, source=None, **config) -> tuple[dict, list[str]]:
    """``package`` after the mapping of a source with ``config`` (parsed as saved)."""
    source = source or SimpleNamespace(
        id="khong-co-nguon", url="https://cong.vn/catalog.ttl", title=""
    )
    parsed = source_config.parse(json.dumps(config))
    defaulted = apply_source_config(package, parsed, source)
    return package, defaulted


@pytest.mark.usefixtures("with_plugins", "with_request_context")
class TestApplySourceConfig:
    def test_defaults_fill_only_what_the_record_lacks_and_are_listed(self):
        package = {"update_frequency": "hang_nam", "data_sharing_class": "", "tags": []}

        package, defaulted = mapped(
            package,
            defaults={
                "update_frequency": "khong_dinh_ky",
                "data_sharing_class": "mo",
                "data_importance_class": "khac",
            },
            personal_data_assessed=True,
        )

        assert package["update_frequency"] == "hang_nam"
        assert (package["data_sharing_class"], package["data_importance_class"]) == (
            "mo",
            "khac",
        )
        assert package["personal_data_assessed"] is True
        assert sorted(defaulted) == [
            "data_importance_class",
            "data_sharing_class",
            "personal_data_assessed",
        ]

    def test_the_sources_province_fills_a_record_without_one_unlisted(self):
        package, defaulted = mapped({}, province_code="Đà Nẵng")

        assert package["province_code"] == "48"
        assert defaulted == []

    def test_old_province_codes_and_sectors_are_mapped(self):
        package = {
            "province_code": "49",
            "sectors": ["Giáo dục", "giao-duc-dao-tao", "y-te"],
        }

        package, _defaulted = mapped(
            package,
            province_map={"49": "48"},
            sector_map={"Giáo dục": "giao-duc-dao-tao"},
        )

        assert package["province_code"] == "48"
        assert package["sectors"] == ["giao-duc-dao-tao", "y-te"]

    def test_the_record_names_its_source_catalogue_by_address_when_untitled(self):
        package = {"source_catalog_publisher": "Bộ Công an", "source_catalog_uri": "x"}

        package, _defaulted = mapped(package)

        assert package["source_catalog_uri"] == "https://cong.vn/catalog.ttl"
        assert package["source_catalog_title"] == "https://cong.vn/catalog.ttl"
        # No source dataset here, so no publisher: never the remote record's word.
        assert "source_catalog_publisher" not in package

    def test_the_catalogues_own_publisher_given_by_ckanext_dcat_is_not_kept(self):
        said = {"uri": "https://cong.vn/#publisher", "name": "Cổng dữ liệu"}
        package = {"extras": [
            {"key": "source_catalog_publisher", "value": json.dumps(said)},
            {"key": "source_catalog_modified", "value": "2026-01-02"},
        ]}  # fmt: skip

        package, _defaulted = mapped(package)

        assert "source_catalog_publisher" not in package
        assert package["extras"] == [
            {"key": "source_catalog_modified", "value": "2026-01-02"}
        ]
