"""Sources that already harvest an address, compared as addresses."""

from __future__ import annotations

import pytest

from ckan.tests import factories, helpers

from ckanext.vndata.harvester import source_urls
from tests.fuzz import HOSTILE_WORDS
from tests.harvester.sources import harvest_source


class TestNormalised:
    @pytest.mark.parametrize(
        "other",
        [
            "https://data.danang.gov.vn/catalog.ttl",
            "HTTPS://Data.DaNang.gov.vn/catalog.ttl",
            "https://data.danang.gov.vn:443/catalog.ttl",
            "https://data.danang.gov.vn/catalog.ttl/",
            " https://data.danang.gov.vn/catalog.ttl#top",
        ],
    )
    def test_case_default_port_trailing_slash_and_fragment_aside(self, other):
        assert source_urls.normalised(other) == source_urls.normalised(
            "https://data.danang.gov.vn/catalog.ttl"
        )

    @pytest.mark.parametrize(
        "other",
        [
            "http://data.danang.gov.vn/catalog.ttl",
            "https://data.danang.gov.vn:8443/catalog.ttl",
            "https://data.danang.gov.vn/Catalog.ttl",
            "https://data.danang.gov.vn/catalog.ttl?page=2",
        ],
    )
    def test_another_scheme_port_path_or_query_is_another_address(self, other):
        assert source_urls.normalised(other) != source_urls.normalised(
            "https://data.danang.gov.vn/catalog.ttl"
        )

    @pytest.mark.parametrize("text", [*HOSTILE_WORDS, "http://x:port/", "http://[::1"])
    def test_hostile_text_never_raises(self, text):
        assert isinstance(source_urls.normalised(text), str)


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestSourcesAt:
    def test_finds_the_other_source_and_whether_it_is_of_the_same_type(self):
        source = harvest_source("https://data.danang.gov.vn/catalog.ttl")

        user = factories.Sysadmin()["name"]

        (found,) = source_urls.sources_at(
            "HTTPS://data.danang.gov.vn:443/catalog.ttl/", "vndata_dcat", user=user
        )
        (other_type,) = source_urls.sources_at(
            "https://data.danang.gov.vn/catalog.ttl", "vndata_ckan", user=user
        )

        assert found["name"] == source["name"] and found["same_type"]
        assert not other_type["same_type"]

    def test_a_source_is_not_its_own_duplicate_nor_is_a_deleted_one(self):
        source = harvest_source("https://data.danang.gov.vn/catalog.ttl")
        url = "https://data.danang.gov.vn/catalog.ttl"
        user = factories.Sysadmin()["name"]

        assert source_urls.sources_at(url, "vndata_dcat", source["id"], user=user) == []
        helpers.call_action(
            "harvest_source_delete", context={"user": user}, id=source["id"]
        )
        assert source_urls.sources_at(url, "vndata_dcat", user=user) == []

    def test_a_source_the_user_may_not_read_is_left_out(self):
        url = "https://data.danang.gov.vn/catalog.ttl"
        source = harvest_source(url, title="Nguồn riêng của Đà Nẵng")
        sysadmin = factories.Sysadmin()["name"]
        helpers.call_action(
            "package_patch", context={"user": sysadmin}, id=source["id"], private=True
        )
        member = factories.User()["name"]

        assert source_urls.sources_at(url, "vndata_dcat", user=member) == []
        assert source_urls.sources_at(url, "vndata_dcat", user=None) == []
        assert len(source_urls.sources_at(url, "vndata_dcat", user=sysadmin)) == 1

    @pytest.mark.parametrize("url", [None, "", 5, ["https://x"], {"a": 1}])
    def test_no_address_has_no_duplicate(self, url):
        assert source_urls.sources_at(url, "vndata_dcat", user="") == []
