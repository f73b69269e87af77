"""Where and when a record is about: dct:spatial and dct:temporal read into the
Vietnamese fields (dcat/parse_coverage.py), through the stacked profiles' parser."""

from __future__ import annotations

import pytest

from ckanext.vndata.dcat import terms
from tests.dcat.helpers import parse_one


def _parse(body: str) -> dict:
    return parse_one(
        f"""
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://example.vn/dataset/1> a dcat:Dataset ; dct:identifier "1" ;
    dct:title "Giá đất"@vi ; {body} .
"""
    )


@pytest.mark.usefixtures("with_plugins")
class TestSpatial:
    def test_unit_iris_of_ours_give_the_province_and_the_commune(self):
        province = terms.term_iri("province", "48")
        commune = terms.term_iri("commune", "20242")

        parsed = _parse(f"dct:spatial <{province}>, <{commune}>")

        assert (parsed["province_code"], parsed["commune_code"]) == ("48", "20242")

    @pytest.mark.parametrize(
        ("notation", "field"), [("46", "province_code"), ("20242", "commune_code")]
    )
    def test_a_node_with_a_unit_code_as_notation_gives_the_unit(self, notation, field):
        parsed = _parse(f'dct:spatial [ a dct:Location ; skos:notation "{notation}" ]')

        assert parsed[field] == notation

    @pytest.mark.parametrize(
        "spatial",
        [
            "<https://sws.geonames.org/1583992/>",
            '[ a dct:Location ; skos:notation "Đà Nẵng" ]',
            '[ a dct:Location ; skos:notation "480" ]',
        ],
    )
    def test_anything_else_is_reported_not_guessed(self, spatial):
        parsed = _parse(f"dct:spatial {spatial}")

        assert "province_code" not in parsed
        assert "commune_code" not in parsed
        assert any(
            "not a Vietnamese administrative unit" in line
            for line in parsed["vndata_parse_report"]
        )


@pytest.mark.usefixtures("with_plugins")
class TestTemporal:
    def test_dates_fill_the_date_fields_and_nothing_else(self):
        parsed = _parse(
            "dct:temporal [ a dct:PeriodOfTime ; "
            'dcat:startDate "2024-01-01"^^xsd:date ; '
            'dcat:endDate "2024-12-31"^^xsd:date ]'
        )

        assert (parsed["temporal_start"], parsed["temporal_end"]) == (
            "2024-01-01",
            "2024-12-31",
        )
        assert "temporal_coverage" not in parsed

    def test_an_open_ended_period_fills_its_start_only(self):
        parsed = _parse(
            "dct:temporal [ a dct:PeriodOfTime ; "
            'dcat:startDate "2024-01-01"^^xsd:date ]'
        )

        assert parsed["temporal_start"] == "2024-01-01"
        assert "temporal_end" not in parsed
