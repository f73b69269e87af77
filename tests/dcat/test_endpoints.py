"""ckanext-dcat's endpoints serve the Vietnamese profile: formats, paging, catalogue."""

from __future__ import annotations

import pytest
import rdflib
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF

from ckan.tests import factories, helpers

from tests.dcat.helpers import DCAT_AP_3, shacl_violations
from tests.metadata.helpers import vn_dataset

HYDRA = rdflib.Namespace("http://www.w3.org/ns/hydra/core#")
VNDATA = rdflib.Namespace("https://w3id.org/vndata/ns#")
RDF_FORMATS = {"ttl": "turtle", "rdf": "xml", "xml": "xml", "jsonld": "json-ld"}


def _create(n: int, org: dict, **fields) -> list[dict]:
    context = {"user": factories.Sysadmin()["name"]}
    return [
        helpers.call_action(
            "package_create",
            context=context,
            **vn_dataset(org["id"], title=f"Dữ liệu giao thông {i}", **fields),
        )
        for i in range(n)
    ]


def _graph(app, url: str, fmt: str = "ttl") -> rdflib.Graph:
    return rdflib.Graph().parse(data=app.get(url).body, format=RDF_FORMATS[fmt])


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestEndpoints:
    @pytest.mark.parametrize("fmt", sorted(RDF_FORMATS))
    def test_catalogue_in_every_format_uses_the_vietnamese_profile(self, app, fmt):
        _create(2, factories.Organization(), province_code="48")

        graph = _graph(app, f"/catalog.{fmt}", fmt)

        datasets = set(graph.subjects(RDF.type, DCAT.Dataset))
        assert len(datasets) == 2
        for dataset in datasets:
            assert (dataset, VNDATA.dataSharingClass, VNDATA["sharing-mo"]) in graph
            assert (dataset, DCTERMS.spatial, VNDATA["province-48"]) in graph
            title = graph.value(dataset, DCTERMS.title)
            assert title.language == "vi"

    def test_dataset_endpoint_uses_the_vietnamese_profile(self, app):
        (dataset,) = _create(1, factories.Organization(), publisher_code="H17.14")

        graph = _graph(app, f"/dataset/{dataset['name']}.ttl")

        publisher = next(graph.objects(None, DCTERMS.publisher))
        assert graph.value(publisher, DCTERMS.identifier) == rdflib.Literal("H17.14")

    @pytest.mark.ckan_config("ckanext.dcat.datasets_per_page", "5")
    def test_catalogue_is_paged_with_hydra(self, app):
        _create(7, factories.Organization())

        first = _graph(app, "/catalog.ttl")
        second = _graph(app, "/catalog.ttl?page=2")

        assert len(set(first.subjects(RDF.type, DCAT.Dataset))) == 5
        assert len(set(second.subjects(RDF.type, DCAT.Dataset))) == 2
        assert next(first.objects(None, HYDRA.totalItems)).toPython() == 7
        assert str(next(first.objects(None, HYDRA.next))).endswith("page=2")

    def test_modified_since_leaves_out_older_datasets(self, app):
        _create(2, factories.Organization())

        graph = _graph(app, "/catalog.ttl?modified_since=2999-01-01")

        assert set(graph.subjects(RDF.type, DCAT.Dataset)) == set()


@pytest.mark.ckan_config("ckanext.vndata.portal_level", "province")
@pytest.mark.ckan_config("ckanext.vndata.portal_province_code", "48")
@pytest.mark.ckan_config(
    "ckanext.vndata.dcat.publisher_name", "Sở Khoa học và Công nghệ thành phố Đà Nẵng"
)
@pytest.mark.ckan_config("ckanext.vndata.dcat.publisher_code", "H17.14")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_provincial_catalogue_names_the_portal_and_its_publisher(app):
    _create(1, factories.Organization())

    graph = _graph(app, "/catalog.ttl")

    catalogue = graph.value(predicate=RDF.type, object=DCAT.Catalog)
    assert graph.value(catalogue, VNDATA.portalLevel) == VNDATA["portal-province"]
    assert graph.value(catalogue, DCTERMS.spatial) == VNDATA["province-48"]
    publisher = graph.value(catalogue, DCTERMS.publisher)
    assert str(graph.value(publisher, FOAF.name)).startswith("Sở Khoa học")
    assert graph.value(publisher, DCTERMS.identifier) == rdflib.Literal("H17.14")


@pytest.mark.ckan_config("ckanext.vndata.portal_level", "national")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_national_catalogue_keeps_each_provincial_catalogue_visible(app):
    org = factories.Organization()
    for province, uri in (("48", "https://data.danang.gov.vn/catalog"),
                          ("46", "https://data.hue.gov.vn/catalog")):  # fmt: skip
        _create(
            2,
            org,
            province_code=province,
            source_catalog_uri=uri,
            source_catalog_title=f"Cổng dữ liệu mở {province}",
            source_catalog_publisher=f"UBND tỉnh {province}",
        )

    graph = _graph(app, "/catalog.ttl")

    root = rdflib.URIRef("http://test.ckan.net")
    parts = set(graph.objects(root, DCTERMS.hasPart))
    assert parts == {
        rdflib.URIRef("https://data.danang.gov.vn/catalog"),
        rdflib.URIRef("https://data.hue.gov.vn/catalog"),
    }
    for part in parts:
        assert len(set(graph.objects(part, DCAT.dataset))) == 2
    assert shacl_violations(graph, DCAT_AP_3) == []
