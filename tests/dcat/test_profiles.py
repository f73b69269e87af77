"""The Vietnamese profiles stacked on DCAT-AP (dcat/profiles.py): what the catalogue
says of the portal, and records ckanext-dcat's sub-catalogue parse would fail on."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, SKOS

from ckanext.dcat.processors import RDFSerializer
from ckanext.dcat.utils import catalog_uri

from ckanext.vndata.dcat import terms
from tests.dcat.helpers import PROFILES, parse_one


def _catalogue() -> tuple[Graph, URIRef]:
    text = RDFSerializer(profiles=PROFILES).serialize_catalog(
        {}, dataset_dicts=[], _format="turtle"
    )
    return Graph().parse(data=text, format="turtle"), URIRef(catalog_uri())


@pytest.mark.usefixtures("with_plugins")
class TestPortal:
    @pytest.mark.ckan_config("ckanext.vndata.portal_level", "province")
    @pytest.mark.ckan_config("ckanext.vndata.portal_province_code", "48")
    def test_a_provincial_catalogue_names_its_level_and_province(self):
        g, ref = _catalogue()
        province = URIRef(terms.term_iri("province", "48"))

        level = URIRef(terms.term_iri("portal", "province"))
        assert (ref, terms.vndata().portalLevel, level) in g
        assert (ref, DCTERMS.spatial, province) in g
        assert (province, SKOS.prefLabel, Literal("Thành phố Đà Nẵng", lang="vi")) in g

    @pytest.mark.ckan_config(
        "ckanext.vndata.dcat.publisher_name", "Sở Khoa học và Công nghệ Đà Nẵng"
    )
    @pytest.mark.ckan_config("ckanext.vndata.dcat.publisher_code", "H17.14")
    def test_the_configured_publisher_is_the_catalogue_publisher(self):
        g, ref = _catalogue()

        (publisher,) = g.objects(ref, DCTERMS.publisher)
        assert publisher == URIRef(terms.term_iri("agency", "H17.14"))
        assert (publisher, RDF.type, FOAF.Agent) in g
        assert (publisher, DCTERMS.identifier, Literal("H17.14")) in g

    @pytest.mark.ckan_config(
        "ckanext.vndata.dcat.publisher_uri", "https://danang.gov.vn/so-khcn"
    )
    @pytest.mark.ckan_config("ckanext.vndata.dcat.publisher_name", "Sở KH&CN")
    def test_a_configured_publisher_iri_is_used_as_is(self):
        g, ref = _catalogue()

        assert set(g.objects(ref, DCTERMS.publisher)) == {
            URIRef("https://danang.gov.vn/so-khcn")
        }


RECORD = """
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
{catalogues}
<https://example.vn/dataset/1> a dcat:Dataset ; dct:identifier "1" ;
    dct:title "Giá đất"@vi .
"""


@pytest.mark.usefixtures("with_plugins")
@pytest.mark.ckan_config("ckanext.dcat.expose_subcatalogs", "true")
class TestSubcatalogues:
    @pytest.mark.parametrize(
        "catalogues",
        [
            "",  # no catalogue at all
            "<https://example.vn/c> a dcat:Catalog ; "
            "dcat:dataset <https://example.vn/dataset/1> .",  # no publisher
            "<https://example.vn/a> a dcat:Catalog ; "
            'dct:publisher [ foaf:name "A" ] ; '
            "dcat:dataset <https://example.vn/dataset/1> .\n"
            "<https://example.vn/b> a dcat:Catalog ; "
            'dct:publisher [ foaf:name "B" ] ; '
            "dcat:dataset <https://example.vn/dataset/1> .",  # in two catalogues
        ],
    )
    def test_a_record_ckanext_dcat_would_fail_on_is_parsed(self, catalogues):
        # vn_dcat_ap alone, as the harvester parses (it subclasses DCAT-AP 3).
        record = RECORD.format(catalogues=catalogues)

        parsed = parse_one(record, profiles=["vn_dcat_ap"])

        assert parsed["title"] == "Giá đất"
        extras = {e["key"] for e in parsed.get("extras") or []}
        assert not any(key.startswith("source_catalog") for key in extras)
