"""A Huế-style portal (static RDF/XML with hueod: properties) through vn_hue_od."""

from __future__ import annotations

from pathlib import Path

import pytest

from ckan.tests import helpers

from tests.harvester.sources import harvest_source
from tests.helpers import run_harvest

CATALOGUE = Path(__file__).parents[1] / "data" / "hue" / "catalogue.rdf"


def _source(url: str, **config) -> dict:
    return harvest_source(url, name="cong-du-lieu-hue", province_code="46", **config)


def _resources(handler, url: str, **config) -> dict[str, dict]:
    handler.body = CATALOGUE.read_bytes()
    handler.content_type = "application/rdf+xml"
    (harvested,) = run_harvest(_source(url, **config)["id"], "vndata_dcat")
    assert harvested.state == "COMPLETE", [e.message for e in harvested.errors]
    dataset = helpers.call_action("package_show", id=harvested.package_id)
    assert dataset["province_code"] == "46"
    return {r["name"]: r for r in dataset["resources"]}


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestHuePortal:
    def test_hue_properties_fill_the_resource_fields(self, catalogue_server):
        handler, url = catalogue_server

        resources = _resources(handler, url, extra_profiles=["vn_hue_od"])

        photo, api = resources["Ảnh di tích"], resources["API di tích"]
        assert photo["url"].endswith("/000.00.14.H57/2025/di-tich.jpg")
        assert photo["declared_stars"] == 1
        assert api["api_method"] == "GET"
        assert api["api_header"] == "Accept: application/json"
        assert api["declared_stars"] == 3

    def test_without_the_extra_profile_the_hue_properties_are_ignored(
        self, catalogue_server
    ):
        handler, url = catalogue_server

        resources = _resources(handler, url)

        assert "declared_stars" not in resources["Ảnh di tích"]
        assert "api_method" not in resources["API di tích"]

    def test_unknown_extra_profile_is_refused_in_the_config(self):
        with pytest.raises(Exception, match="extra_profiles"):
            _source("http://127.0.0.1/catalog.rdf", extra_profiles=["khong_co"])
