"""Dataset dict -> RDF: what vn_dcat_ap writes beside DCAT-AP 3 (dcat/serialize.py).

The dicts are serialized as they are, without a database, except where the publisher's
own fields are read from its organization.
"""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS, XSD

from ckan.tests import factories
from ckanext.dcat.processors import RDFSerializer
from ckanext.dcat.utils import catalog_uri

from ckanext.vndata.dcat import serialize, terms
from tests.dcat.helpers import PROFILES
from tests.metadata.helpers import FULL_DATASET, FULL_RESOURCE

IANA = terms.IANA_MEDIA_TYPE

VCARD = terms.VCARD
EU_FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
EU_THEME = "http://publications.europa.eu/resource/authority/data-theme/"
DATASET_ID = "0b7c1f5e-3c1d-4f7e-9d0a-5a6b7c8d9e01"


def _dataset(**fields) -> dict:
    """FULL_DATASET as package_show returns it (an id, a resource with an id)."""
    resource = {**FULL_RESOURCE, "id": "5d6e7f80-1a2b-4c3d-8e9f-a0b1c2d3e4f5"}
    return {
        **FULL_DATASET,
        "id": DATASET_ID,
        "license_url": "https://creativecommons.org/licenses/by/4.0/",
        "license_title": "Creative Commons Attribution 4.0",
        "contact_phone": "02363822111",  # as stored (tests/metadata/helpers.py)
        "resources": [resource],
        **fields,
    }


def _graph(dataset: dict, catalogue: bool = False) -> tuple[Graph, URIRef]:
    serializer = RDFSerializer(profiles=PROFILES)
    if catalogue:  # as in a catalogue page: the root catalogue is in the graph
        serializer.g.add((URIRef(catalog_uri()), RDF.type, DCAT.Catalog))
    ref = serializer.graph_from_dataset(dataset)
    return serializer.g, ref


def _one(g: Graph, subject, predicate):
    (value,) = g.objects(subject, predicate)
    return value


@pytest.mark.usefixtures("with_plugins")
class TestFullDataset:
    @pytest.fixture
    def graph(self):
        return _graph(_dataset())

    def test_texts_are_vietnamese_and_the_english_title_is_english(self, graph):
        g, ref = graph

        assert set(g.objects(ref, DCTERMS.title)) == {
            Literal(FULL_DATASET["title"], lang="vi"),
            Literal(FULL_DATASET["title_en"], lang="en"),
        }
        assert _one(g, ref, DCTERMS.description).language == "vi"

    def test_province_and_commune_are_typed_locations_with_their_names(self, graph):
        g, ref = graph
        province = URIRef(terms.term_iri("province", "48"))
        commune = URIRef(terms.term_iri("commune", "20242"))

        assert set(g.objects(ref, DCTERMS.spatial)) >= {province, commune}
        assert (province, RDF.type, DCTERMS.Location) in g
        assert (province, SKOS.prefLabel, Literal("Thành phố Đà Nẵng", lang="vi")) in g
        assert (commune, SKOS.prefLabel, Literal("Phường Hải Châu", lang="vi")) in g
        assert (ref, terms.vndata().legacyAdminCode, Literal("20236")) in g

    def test_each_sector_is_a_national_concept_and_an_eu_data_theme(self, graph):
        g, ref = graph
        sector = URIRef(terms.term_iri("sector", "giao-duc-dao-tao"))
        eu = URIRef(EU_THEME + "EDUC")

        assert {sector, eu} <= set(g.objects(ref, DCAT.theme))
        assert (sector, SKOS.prefLabel, Literal("Giáo dục đào tạo", lang="vi")) in g
        assert (sector, SKOS.notation, Literal("giao-duc-dao-tao")) in g
        assert (eu, RDF.type, SKOS.Concept) in g

    def test_language_and_frequency_are_typed_authority_iris(self, graph):
        g, ref = graph

        language = _one(g, ref, DCTERMS.language)
        frequency = _one(g, ref, DCTERMS.accrualPeriodicity)
        assert str(language) == terms.LANGUAGE_URIS["vi"]
        assert (language, RDF.type, DCTERMS.LinguisticSystem) in g
        assert str(frequency) == terms.FREQUENCY_URIS["hang_quy"]
        assert (frequency, RDF.type, DCTERMS.Frequency) in g

    def test_one_contact_point_with_the_dataset_contact(self, graph):
        g, ref = graph

        contact = _one(g, ref, DCAT.contactPoint)
        assert _one(g, contact, VCARD.fn) == Literal(
            "Phòng Công nghệ thông tin", lang="vi"
        )
        assert _one(g, contact, VCARD.hasEmail) == URIRef(
            "mailto:opendata@danang.gov.vn"
        )
        assert (contact, RDF.type, VCARD.Kind) in g

    def test_vietnamese_fields_are_vndata_properties(self, graph):
        g, ref = graph
        ns = terms.vndata()

        sharing = _one(g, ref, ns.dataSharingClass)
        assert sharing == URIRef(terms.term_iri("sharing", "mo"))
        assert (sharing, RDF.type, SKOS.Concept) in g
        assert _one(g, ref, ns.legalBasis) == Literal(
            FULL_DATASET["legal_basis"], lang="vi"
        )
        assert _one(g, ref, ns.personalDataAssessed) == Literal(
            True, datatype=XSD.boolean
        )

    def test_the_plan_item_the_dataset_delivers_is_written(self, graph):
        g, ref = graph

        assert _one(g, ref, terms.vndata().planItem) == Literal(
            FULL_DATASET["plan_item"]
        )

    def test_the_distribution_carries_format_access_and_licence(self, graph):
        g, ref = graph
        ns = terms.vndata()

        distribution = _one(g, ref, DCAT.distribution)
        file_type = _one(g, distribution, DCTERMS["format"])
        assert file_type == URIRef(EU_FILE_TYPE + "CSV")
        assert (file_type, RDF.type, DCTERMS.MediaTypeOrExtent) in g
        assert str(_one(g, distribution, DCAT.mediaType)).endswith("/text/csv")
        assert _one(g, distribution, ns.accessType) == URIRef(
            terms.term_iri("access", "tai_ve")
        )
        assert _one(g, distribution, ns.authRequired) == Literal(
            False, datatype=XSD.boolean
        )
        assert _one(g, distribution, ns.declaredStars) == Literal(
            3, datatype=XSD.integer
        )
        assert _one(g, distribution, ns.apiMethod) == Literal("GET")
        licence = _one(g, distribution, DCTERMS.license)
        assert (licence, RDF.type, DCTERMS.LicenseDocument) in g

    def test_the_sharing_class_is_the_eu_access_right(self, graph):
        g, ref = graph

        right = _one(g, ref, DCTERMS.accessRights)
        assert right == URIRef(terms.EU_ACCESS_RIGHT.PUBLIC)
        assert (right, RDF.type, DCTERMS.RightsStatement) in g

    def test_a_download_gives_its_address_as_download_and_access_url(self, graph):
        g, ref = graph

        distribution = _one(g, ref, DCAT.distribution)
        url = URIRef(FULL_RESOURCE["url"])
        assert _one(g, distribution, DCAT.downloadURL) == url
        assert _one(g, distribution, DCAT.accessURL) == url


@pytest.mark.usefixtures("with_plugins")
@pytest.mark.parametrize(
    ("sharing", "right"),
    [("dung_chung", "RESTRICTED"), ("dung_rieng", "NON_PUBLIC"), ("khac", None)],
)
def test_each_sharing_class_has_its_access_right(sharing, right):
    g, ref = _graph(_dataset(data_sharing_class=sharing))
    found = list(g.objects(ref, DCTERMS.accessRights))
    assert found == ([URIRef(terms.EU_ACCESS_RIGHT[right])] if right else [])


@pytest.mark.usefixtures("with_plugins")
@pytest.mark.parametrize(
    ("resource", "download"),
    [
        ({"access_type": "api"}, None),
        ({"access_type": "api", "url_type": "upload"}, "url"),
        ({"access_type": "api", "download_url": "https://x.vn/f.csv"},
         "https://x.vn/f.csv"),
        ({"access_type": "tai_ve", "url": ""}, None),
    ],
)  # fmt: skip
def test_only_a_file_gives_a_download_url(resource, download):
    fields = {**FULL_RESOURCE, "id": "5d6e7f80-1a2b-4c3d-8e9f-a0b1c2d3e4f5"}
    g, ref = _graph(_dataset(resources=[{**fields, **resource}]))
    expected = FULL_RESOURCE["url"] if download == "url" else download
    assert serialize.download_url({**fields, **resource}) == expected
    distribution = _one(g, ref, DCAT.distribution)
    found = list(g.objects(distribution, DCAT.downloadURL))
    assert found == ([URIRef(expected)] if expected else [])


@pytest.mark.usefixtures("with_plugins")
class TestSourceCatalogue:
    def test_in_a_catalogue_the_source_catalogue_is_a_part_of_it(self):
        source = "https://opendata.danang.gov.vn/catalog.ttl"
        g, ref = _graph(
            _dataset(source_catalog_uri=source, source_catalog_title="Đà Nẵng"),
            catalogue=True,
        )

        assert (URIRef(catalog_uri()), DCTERMS.hasPart, URIRef(source)) in g
        assert (URIRef(source), DCAT.dataset, ref) in g
        assert _one(g, URIRef(source), DCTERMS.title) == Literal("Đà Nẵng", lang="vi")

    def test_a_single_dataset_names_no_source_catalogue(self):
        source = "https://opendata.danang.gov.vn/catalog.ttl"
        g, _ref = _graph(_dataset(source_catalog_uri=source))

        assert (None, DCTERMS.hasPart, URIRef(source)) not in g


@pytest.mark.usefixtures("with_plugins")
def test_a_licence_from_the_source_has_a_type_that_is_a_concept():
    # A harvested resource keeps its source's licence; ckanext-dcat then types the
    # licence with an ADMS licence type, an IRI alone, and DCAT-AP 3's shapes want a
    # concept (every harvested dataset of the demo failed them).
    resource = {
        **FULL_RESOURCE,
        "id": "5d6e7f80-1a2b-4c3d-8e9f-a0b1c2d3e4f5",
        "license": "http://hethongphapluat.vn/luat/chuong-5",
    }
    g, ref = _graph(_dataset(resources=[resource]))

    licence = _one(g, _one(g, ref, DCAT.distribution), DCTERMS.license)
    kind = _one(g, licence, DCTERMS.type)
    assert (kind, RDF.type, SKOS.Concept) in g
    assert _one(g, kind, SKOS.prefLabel) == Literal("Unknown IPR", lang="en")


@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_the_publisher_is_described_from_its_organization():
    org = factories.Organization(
        title="Sở Khoa học và Công nghệ Đà Nẵng",
        agency_code="H17.14",
        province_code="48",
    )
    g, ref = _graph(_dataset(organization=org, owner_org=org["id"]))

    publisher = _one(g, ref, DCTERMS.publisher)
    assert (publisher, RDF.type, FOAF.Organization) in g
    assert (publisher, FOAF.name, Literal(org["title"], lang="vi")) in g
    assert (publisher, DCTERMS.identifier, Literal("H17.14")) in g
    province = URIRef(terms.term_iri("province", "48"))
    assert (publisher, DCTERMS.spatial, province) in g
    assert (province, RDF.type, DCTERMS.Location) in g


ODD = [
    {"province_code": "99", "commune_code": "00000"},
    {"sectors": ["khong-co-linh-vuc"], "language": "xx", "update_frequency": "?"},
    {"data_sharing_class": "", "legal_basis": None, "legacy_admin_codes": None},
    {"contact_email": None, "contact_phone": None, "contact_name": None},
    {"personal_data_assessed": None, "plan_item": "", "openness_stars": None},
    {"resources": []},
    {"resources": [{"id": "r1", "url": "", "format": None, "declared_stars": 0}]},
    {"resources": [{"id": "r2", "format": "KHÔNG RÕ", "size": None}]},
    {"resources": [{"id": "r3", "mimetype": "text csv"}]},
    {"resources": [{"id": "r4", "mimetype": "text/csv; charset=utf-8 <x>"}]},
]


@pytest.mark.usefixtures("with_plugins")
@pytest.mark.parametrize("odd", ODD)
def test_odd_values_serialize_without_error(odd):
    text = RDFSerializer(profiles=PROFILES).serialize_dataset(
        _dataset(**odd), _format="turtle"
    )

    assert Graph().parse(data=text, format="turtle")


@pytest.mark.usefixtures("with_plugins")
def test_unknown_codes_get_no_authority_iri_and_no_label():
    g, ref = _graph(_dataset(language="xx", update_frequency="?", sectors=["abc"]))

    assert not any(g.subjects(RDF.type, DCTERMS.LinguisticSystem))
    assert not any(g.subjects(RDF.type, DCTERMS.Frequency))
    sector = URIRef(terms.term_iri("sector", "abc"))
    assert (ref, DCAT.theme, sector) in g
    assert not any(g.objects(sector, SKOS.prefLabel))


@pytest.mark.usefixtures("with_plugins")
def test_untagged_texts_become_vietnamese_and_tagged_ones_stay():
    g, ref = Graph(), URIRef("https://example.vn/dataset/1")
    g.add((ref, DCTERMS.title, Literal("Giá đất")))
    g.add((ref, DCTERMS.title, Literal("Land prices", lang="en")))
    g.add((ref, DCTERMS.description, Literal("2025", datatype=XSD.gYear)))

    serialize.tag_vietnamese(g, ref)

    assert set(g.objects(ref, DCTERMS.title)) == {
        Literal("Giá đất", lang="vi"),
        Literal("Land prices", lang="en"),
    }
    assert _one(g, ref, DCTERMS.description).datatype == XSD.gYear


@pytest.mark.usefixtures("with_plugins")
@pytest.mark.ckan_config("ckan.site_title", "Cổng dữ liệu mở Đà Nẵng")
@pytest.mark.ckan_config("ckan.site_description", "")
def test_a_bare_catalogue_gets_a_description_language_and_publisher():
    g, ref = Graph(), URIRef("https://example.vn/catalog")

    serialize.describe_catalog(g, ref)

    assert _one(g, ref, DCTERMS.description) == Literal(
        "Danh mục dữ liệu mở của Cổng dữ liệu mở Đà Nẵng", lang="vi"
    )
    assert (_one(g, ref, DCTERMS.language), RDF.type, DCTERMS.LinguisticSystem) in g
    publisher = _one(g, ref, DCTERMS.publisher)
    assert _one(g, publisher, FOAF.name) == Literal(
        "Cổng dữ liệu mở Đà Nẵng", lang="vi"
    )


@pytest.mark.usefixtures("with_plugins")
@pytest.mark.parametrize("mimetype", ["text csv", "text/csv\n<x>", "tệp/csv", "/csv"])
def test_a_mimetype_that_is_no_media_type_names_no_iana_iri(mimetype):
    g, ref = _graph(_dataset(resources=[{"id": "r", "mimetype": mimetype}]))

    iana = [o for o in g.objects(None, DCAT.mediaType) if str(o).startswith(IANA)]
    assert iana == []


@pytest.mark.usefixtures("with_plugins")
def test_a_media_type_names_its_iana_iri():
    g, ref = _graph(_dataset(resources=[{"id": "r", "mimetype": "text/csv"}]))

    assert URIRef(IANA + "text/csv") in set(g.objects(None, DCAT.mediaType))
