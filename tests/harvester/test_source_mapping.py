"""A harvested record's values mapped by its source's config: defaults, province and
sector maps, and the source catalogue it came from."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from ckan.tests import factories, helpers

from ckanext.vndata.harvester import config as source_config
from ckanext.vndata.harvester import job_state
from ckanext.vndata.harvester.source_mapping import (
    SourceOwner,
    apply_source_config,
    source_owner,
)
from tests.harvester.helpers import FOREIGN, harvest_ckan
from tests.harvester.sources import harvest_source
from tests.helpers import statements


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


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestSourceOwner:
    def test_read_once_in_a_stage_for_the_basis_and_the_publisher(self):
        organization = factories.Organization(title="Sở Khoa học và Công nghệ")
        source = harvest_source(
            "http://127.0.0.1:9/catalog", owner_org=organization["id"]
        )
        job = job_state.VndataHarvestJob(job_id=None, source_id=source["id"])

        with job_state.running(job), statements() as seen:
            first = source_owner(source["id"])
            again = source_owner(source["id"])

        assert first == again == SourceOwner(organization["id"], organization["title"])
        assert len(seen) == 1

    def test_outside_a_stage_it_is_read_each_time(self):
        organization = factories.Organization()
        source = harvest_source(
            "http://127.0.0.1:9/catalog", owner_org=organization["id"]
        )
        source_owner(source["id"])
        helpers.call_action(
            "organization_patch",
            context={"user": factories.Sysadmin()["name"]},
            id=organization["id"],
            title="Sở Tài chính",
        )

        assert source_owner(source["id"]).publisher == "Sở Tài chính"

    def test_an_untitled_organization_publishes_under_its_name(self):
        organization = factories.Organization(title="")
        source = harvest_source(
            "http://127.0.0.1:9/catalog", owner_org=organization["id"]
        )

        assert source_owner(source["id"]).publisher == organization["name"]

    def test_no_such_source_has_no_organization(self):
        assert source_owner("khong-co-nguon") == SourceOwner(None, None)
