"""What DCAT-AP 3 read that no field of ours holds stays in the parsed dict
(dcat/unmapped.py)."""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from ckanext.vndata.dcat import unmapped


def test_take_stock_removes_the_replaced_keys_and_returns_them():
    dataset = {"title": "T", "language": ["vi"], "publisher": [{"name": "A"}]}

    stock = unmapped.take_stock_keys(dataset)

    assert stock == {"language": ["vi"], "publisher": [{"name": "A"}]}
    assert dataset == {"title": "T"}


def test_describe_gives_iris_and_literals_as_text_and_blank_nodes_as_dicts():
    g, node = Graph(), BNode()
    g.add((node, DCTERMS.title, Literal("Chuẩn A")))
    g.add((node, DCTERMS.identifier, Literal("a-1")))
    g.add((node, DCTERMS.identifier, Literal("a-2")))

    assert unmapped.describe(g, URIRef("https://example.vn/s")) == (
        "https://example.vn/s"
    )
    described = unmapped.describe(g, node)
    assert described[str(DCTERMS.title)] == "Chuẩn A"
    assert sorted(described[str(DCTERMS.identifier)]) == ["a-1", "a-2"]


def test_a_key_whose_values_were_all_mapped_is_not_kept():
    dataset = {"contact_email": "a@b.vn"}

    unmapped.keep(dataset, {"contact": [{"email": "a@b.vn"}]}, consumed=set())

    assert "contact" not in dataset


def test_a_key_with_a_value_left_unmapped_is_kept_whole():
    dataset = {"contact_email": "a@b.vn"}
    contact = [{"email": "a@b.vn", "url": "https://example.vn/lien-he"}]

    unmapped.keep(dataset, {"contact": contact}, consumed=set())

    assert dataset["contact"] == contact


def test_values_consumed_as_codes_count_as_mapped():
    dataset = {"language": "vi"}
    iri = "http://publications.europa.eu/resource/authority/language/VIE"

    unmapped.keep(dataset, {"language": [iri]}, consumed={iri})

    assert "languages" not in dataset


def test_kept_lists_of_texts_are_sorted_and_renamed():
    dataset: dict = {}

    unmapped.keep(dataset, {"language": '["b", "a"]'}, consumed=set())

    assert dataset["languages"] == ["a", "b"]
