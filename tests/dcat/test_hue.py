"""The Huế portal's own distribution properties (dcat/hue.py, profile vn_hue_od)."""

from __future__ import annotations

import pytest

from tests.dcat.helpers import PROFILES, parse_one


def _resource(properties: str) -> dict:
    dataset = parse_one(
        f"""
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix hueod: <https://data.thuathienhue.gov.vn/> .
<https://data.thuathienhue.gov.vn/dataset/1> a dcat:Dataset ;
    dct:identifier "1" ; dct:title "Điểm wifi"@vi ;
    dcat:distribution <https://data.thuathienhue.gov.vn/d/1> .
<https://data.thuathienhue.gov.vn/d/1> a dcat:Distribution ; {properties} .
""",
        profiles=[*PROFILES, "vn_hue_od"],
    )
    (resource,) = dataset["resources"]
    return resource


@pytest.mark.usefixtures("with_plugins")
class TestHueDistribution:
    def test_stars_method_header_and_download_fill_the_resource(self):
        resource = _resource(
            'hueod:ratingStars "4" ; hueod:apiMethod "get" ; '
            'hueod:apiHeader "Accept: application/json" ; '
            "hueod:downloadURL <https://data.thuathienhue.gov.vn/f/wifi.csv>"
        )

        assert resource["declared_stars"] == 4
        assert resource["api_method"] == "GET"
        assert resource["api_header"] == "Accept: application/json"
        assert resource["url"] == "https://data.thuathienhue.gov.vn/f/wifi.csv"

    @pytest.mark.parametrize(
        "properties", ['hueod:ratingStars "7"', 'hueod:ratingStars "bốn"']
    )
    def test_stars_out_of_range_are_ignored(self, properties):
        assert "declared_stars" not in _resource(properties)

    def test_a_method_other_than_get_or_post_is_ignored(self):
        assert "api_method" not in _resource('hueod:apiMethod "DELETE"')

    def test_the_download_address_does_not_replace_an_access_url(self):
        resource = _resource(
            "dcat:accessURL <https://data.thuathienhue.gov.vn/a> ; "
            "hueod:downloadURL <https://data.thuathienhue.gov.vn/b>"
        )

        assert resource["url"] == "https://data.thuathienhue.gov.vn/a"
