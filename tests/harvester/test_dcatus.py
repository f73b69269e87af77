"""DCAT-US ``data.json`` catalogues read as the JSON-LD they are meant to be.

Whole harvests of real data.json files (ArcGIS Hub, DKAN, data.gov) are in
test_real_catalogues.py (TestDcatUsDataJson); here the module's own functions, on
catalogues written here: which JSON is a catalogue, what is made explicit, what is
refused, and HTML turned into text.
"""

from __future__ import annotations

import json

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS

from ckanext.vndata.harvester import dcatus
from ckanext.vndata.harvester.rdf_reading import MAX_JSON_DEPTH, UnreadablePage


def catalogue(**fields) -> dict:
    """A DCAT-US 3.0 catalogue as ArcGIS Hub writes it: no context, untyped entries."""
    return {
        "conformsTo": "https://resources.data.gov/schemas/dcat-us/v3.0/schema",
        "dataset": [
            {
                "@id": "https://data.example.gov/ds/1",
                "title": "Chất lượng không khí",
                "description": "<p>Đo <b>hằng giờ</b>.</p><script>alert(1)</script>",
                "contactPoint": {"fn": "Sở", "email": " mailto:so@example.gov "},
                "distribution": [{"downloadURL": "https://data.example.gov/1.csv"}],
            }
        ],
        **fields,
    }


def read(document, kind: str | None = "application/json"):
    return dcatus.read_as(json.dumps(document), kind)


class TestReadAs:
    def test_a_dcat_us_3_catalogue_becomes_json_ld_with_its_terms_inlined(self):
        text, kind, version = read(catalogue())

        assert (kind, version) == ("application/ld+json", dcatus.V3_0)
        prepared = json.loads(text)
        # The terms are in the page itself: rdflib has no address to open.
        assert isinstance(prepared["@context"], dict)
        graph = Graph().parse(data=text, format="json-ld")
        record = URIRef("https://data.example.gov/ds/1")
        assert (record, RDF.type, DCAT.Dataset) in graph
        (distribution,) = graph.objects(record, DCAT.distribution)
        assert (distribution, RDF.type, DCAT.Distribution) in graph

    def test_what_dcat_us_leaves_implicit_is_made_explicit(self):
        text, _kind, _version = read(catalogue())

        (record,) = json.loads(text)["dataset"]
        assert record["@type"] == "Dataset"
        assert record["distribution"][0]["@type"] == "Distribution"
        # ArcGIS Hub's "email" is read as vCard's hasEmail, as an address.
        assert record["contactPoint"] == {
            "fn": "Sở",
            "hasEmail": "mailto:so@example.gov",
        }
        assert record["description"] == "Đo hằng giờ."

    def test_a_dcat_us_1_1_catalogue_names_the_shipped_context(self):
        document = catalogue(conformsTo="https://project-open-data.cio.gov/v1.1/schema")

        text, kind, version = read(document)

        assert (kind, version) == ("application/ld+json", dcatus.V1_1)
        prepared = json.loads(text)
        assert prepared["@context"] == dcatus.V1_1_CONTEXT
        assert prepared["@type"] == "dcat:Catalog"
        assert prepared["dataset"][0]["@type"] == "dcat:Dataset"

    @pytest.mark.parametrize(
        "text",
        [
            "@prefix dcat: <http://www.w3.org/ns/dcat#> .",
            "[ a <http://www.w3.org/ns/dcat#Catalog> ] .",  # Turtle starting with [
            "<rdf:RDF/>",
        ],
    )
    def test_a_page_that_is_not_json_is_left_to_its_own_reader(self, text):
        assert dcatus.read_as(text, "text/turtle") == (text, "text/turtle", None)

    def test_json_that_declares_itself_json_ld_is_read_as_json_ld(self):
        document = {"@context": {"@vocab": "http://schema.org/"}, "name": "x"}

        text, kind, version = read(document)

        assert (json.loads(text), kind, version) == (
            document,
            "application/ld+json",
            None,
        )

    def test_json_served_as_json_ld_is_left_as_it_is(self):
        expanded = [{"@id": "http://x/1", "http://purl.org/dc/terms/title": "t"}]
        page = json.dumps(expanded)

        assert dcatus.read_as(page, "application/ld+json") == (
            page,
            "application/ld+json",
            None,
        )

    @pytest.mark.parametrize(
        "document",
        [{"items": []}, [1, 2], {"dataset": "not a list"}, [{"dataset": []}]],
    )
    def test_json_that_is_no_catalogue_is_refused_saying_what_it_is_not(self, document):
        with pytest.raises(UnreadablePage, match="DCAT-US"):
            read(document)

    def test_json_nested_too_deep_is_refused_before_it_is_loaded(self):
        deep = (
            '{"dataset": ['
            + "[" * (MAX_JSON_DEPTH + 5)
            + "]" * (MAX_JSON_DEPTH + 5)
            + "]}"
        )

        with pytest.raises(UnreadablePage):
            dcatus.read_as(deep, "application/json")

    def test_hostile_entries_are_kept_as_they_are_without_error(self):
        document = catalogue(
            dataset=[
                "a string",
                None,
                {"title": "x", "distribution": ["y", None], "contactPoint": [1, None]},
                {"title": "z", "contactPoint": {"email": ["not", "text"]}},
            ]
        )

        text, _kind, version = read(document)

        assert version == dcatus.V3_0
        entries = json.loads(text)["dataset"]
        assert entries[:2] == ["a string", None]
        assert entries[2]["distribution"] == ["y", None]
        assert "hasEmail" not in entries[3]["contactPoint"]


class TestVersionOf:
    @pytest.mark.parametrize(
        ("document", "version"),
        [
            ({"dataset": [], "conformsTo": "https://project-open-data.cio.gov/v1.1"},
             dcatus.V1_1),
            ({"dataset": [], "@type": "Catalog"}, dcatus.V3_0),
            ({"dataset": [{"@type": "Dataset"}]}, dcatus.V3_0),
            ({"dataset": [{"@type": "dcat:Dataset"}]}, dcatus.V1_1),
            ({"dataset": [], "@context": dcatus.V1_1_CONTEXT}, dcatus.V1_1),
            ({"dataset": [], "@context": "http://www.project-open-data.cio.gov/"
              "v1.1/schema/catalog.jsonld/"}, dcatus.V1_1),
            # Its own context decides what it means: not read as DCAT-US.
            ({"dataset": [], "@context": "https://example.org/ctx.jsonld"}, None),
            ({"dataset": [], "@context": {"@vocab": "http://schema.org/"}}, None),
            ({"datasets": []}, None),
            ([{"dataset": []}], None),
        ],
    )  # fmt: skip
    def test_the_version_is_told_from_the_catalogue(self, document, version):
        assert dcatus.version_of(document) == version


class TestComplete:
    def _graph(self) -> tuple[Graph, BNode]:
        graph = Graph()
        agent = BNode()
        graph.add((URIRef("http://x/1"), DCTERMS.publisher, agent))
        graph.add((agent, SKOS.prefLabel, Literal("Sở Tài nguyên")))
        return graph, agent

    def test_a_1_1_publisher_named_with_pref_label_gets_a_foaf_name(self):
        graph, agent = self._graph()

        dcatus.complete(graph, dcatus.V1_1)

        assert graph.value(agent, FOAF.name) == Literal("Sở Tài nguyên")

    def test_a_name_the_publisher_has_is_kept_alone(self):
        graph, agent = self._graph()
        graph.add((agent, FOAF.name, Literal("Tên riêng")))

        dcatus.complete(graph, dcatus.V1_1)

        assert list(graph.objects(agent, FOAF.name)) == [Literal("Tên riêng")]

    @pytest.mark.parametrize("version", [dcatus.V3_0, None])
    def test_other_graphs_are_left_as_they_are(self, version):
        graph, agent = self._graph()

        dcatus.complete(graph, version)

        assert graph.value(agent, FOAF.name) is None


class TestHtmlToText:
    def test_blocks_become_lines_and_lists_dashes(self):
        html = (
            "<h2>Tiêu đề</h2><p>Đoạn một.</p><ul><li>Mục một</li><li>Mục hai</li></ul>"
        )

        assert dcatus.html_to_text(html) == (
            "Tiêu đề\n\nĐoạn một.\n\n- Mục một\n\n- Mục hai"
        )

    def test_links_keep_their_web_address_only(self):
        html = (
            '<a href="https://example.gov/a">Nguồn</a> và '
            '<a href="javascript:alert(1)">bấm</a> và '
            '<a href="https://example.gov/b">https://example.gov/b</a>'
        )

        assert dcatus.html_to_text(html) == (
            "Nguồn (https://example.gov/a) và bấm và https://example.gov/b"
        )

    def test_scripts_styles_and_entities_are_not_markup_left_in_the_text(self):
        html = (
            "<style>p{color:red}</style><script>var a = '<p>';</script>"
            "<template><b>x</b></template>A &amp; B &lt;C&gt;"
        )

        assert dcatus.html_to_text(html) == "A & B <C>"

    def test_broken_html_still_gives_its_text(self):
        assert dcatus.html_to_text("<p>Một <b>hai</p></i> ba <") == "Một hai\nba <"
