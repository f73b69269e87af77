"""DCAT-US ``data.json`` catalogues, read as the JSON-LD they are meant to be.

A DCAT-US catalogue (Project Open Data 1.1, DCAT-US 3.0; ArcGIS Hub, DKAN, Socrata and
data.gov publish it) is JSON served as ``application/json``; 1.1 names its JSON-LD
context (project-open-data.cio.gov, shipped in jsonld_contexts/), 3.0 catalogues often
give none. rdflib has no parser for ``application/json``, so such a page used to be lost
whole. Here a JSON page is read as JSON-LD when it is recognisably a catalogue:

- a DCAT-US catalogue (an object with a ``dataset`` list and no context of its own, or
  the DCAT-US 1.1 context): the context is supplied (1.1's shipped copy, or the terms of
  ``dcat-us-3.0-terms.jsonld``), and what the format leaves implicit is made explicit,
  so that every entry of ``dataset`` becomes a dcat:Dataset (see ``_prepared``);
- any other JSON that declares itself JSON-LD (``@context``, ``@graph``, ``@id``);
- anything else is refused with a message saying what the page is not.

Nothing is fetched here: remote contexts are jsonld.py's business, as for any page.
"""

from __future__ import annotations

import html.parser
import json
import re
from typing import Any

from rdflib import Graph, Literal
from rdflib.namespace import DCTERMS, FOAF, SKOS
from rdflib.plugins.parsers.jsonld import JsonLDParser

import ckan.plugins.toolkit as tk

from ckanext.vndata.harvester import jsonld, rdf_reading

V1_1 = "1.1"
V3_0 = "3.0"
V1_1_CONTEXT = "https://project-open-data.cio.gov/v1.1/schema/catalog.jsonld"
_V3_TERMS = "dcat-us-3.0-terms.jsonld"
# The class names each version's context gives the catalogue's nodes.
_TYPES = {
    V1_1: {"catalog": "dcat:Catalog", "dataset": "dcat:Dataset",
           "distribution": "dcat:Distribution"},
    V3_0: {"catalog": "Catalog", "dataset": "Dataset", "distribution": "Distribution"},
}  # fmt: skip
# Keys a JSON-LD document (compacted or expanded) has at its top.
_JSON_LD_KEYS = ("@context", "@graph", "@id", "@type")
# A tag, not a lone "<" of the text: a description is HTML when it has one.
_HTML_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?/?>")


def read_as(text: str, kind: str | None) -> tuple[str, str | None, str | None]:
    """The page to parse, its format and its DCAT-US version (None if not DCAT-US).

    A page that is not JSON is returned unchanged, whatever it was served as (Turtle
    may start with "[", but does not parse as JSON); JSON is read as JSON, whatever
    it was served as (data.json comes as application/json, text/plain or without a
    media type); rdf_reading.UnreadablePage for JSON that is no catalogue.
    """
    if text.lstrip("\ufeff \t\r\n")[:1] not in ("{", "["):
        return text, kind, None
    rdf_reading.check_json_depth(text)  # before json.loads can recurse that deep
    try:
        document = json.loads(text.lstrip("\ufeff"))
    except ValueError:
        return text, kind, None  # the reader of its format says what is wrong
    version = version_of(document)
    if version:
        prepared = _prepared(document, version)
        return json.dumps(prepared, ensure_ascii=False), "application/ld+json", version
    parser = rdf_reading.parser_class(rdf_reading.rdflib_format(kind)) if kind else None
    if parser is not None and issubclass(parser, JsonLDParser):
        return text, kind, None  # served as JSON-LD: expanded JSON-LD needs no @context
    if not _declares_json_ld(document):
        raise rdf_reading.UnreadablePage(
            tk._(
                "The page is JSON but not a catalogue this portal reads: neither "
                "JSON-LD (it has no @context, @graph or @id) nor a DCAT-US "
                "data.json (it has no dataset list)."
            )
        )
    return text, "application/ld+json", None


def version_of(document: Any) -> str | None:
    """V1_1 or V3_0 for a DCAT-US catalogue, None for any other JSON."""
    if not isinstance(document, dict) or not isinstance(document.get("dataset"), list):
        return None
    context = document.get("@context")
    if context is not None:  # its own context decides what it means
        known = isinstance(context, str) and jsonld.well_known_key(context)
        return V1_1 if known == jsonld.well_known_key(V1_1_CONTEXT) else None
    standard = json.dumps(document.get("conformsTo") or "").lower()
    if "project-open-data" in standard or "v1.1" in standard:
        return V1_1
    if "3.0" in standard or document.get("@type") == "Catalog":
        return V3_0
    types = {d.get("@type") for d in document["dataset"] if isinstance(d, dict)}
    return V3_0 if "Dataset" in types else V1_1


def complete(graph: Graph, version: str | None) -> None:
    """What a DCAT-US graph says in other words than the DCAT-AP profiles read.

    DCAT-US 1.1 names an agent with skos:prefLabel (its context maps ``name`` so, as
    the W3C Organization Ontology does); the profiles read foaf:name, and without it
    the record's publisher would be lost.
    """
    if version != V1_1:
        return
    for agent in set(graph.objects(None, DCTERMS.publisher)):
        if graph.value(agent, FOAF.name) is None:
            for label in list(graph.objects(agent, SKOS.prefLabel)):
                if isinstance(label, Literal):
                    graph.add((agent, FOAF.name, label))


def _prepared(document: dict, version: str) -> dict:
    """The catalogue with its context, and what DCAT-US leaves implicit made explicit.

    - the context: 1.1 by the address jsonld.py inlines from its shipped copy, 3.0 by
      the terms written here (catalogues without one give no address to use);
    - every entry of ``dataset`` is a dcat:Dataset and every entry of its
      ``distribution`` a dcat:Distribution (the range of those properties): an entry
      without ``@type`` would otherwise be no dataset at all, and vanish unreported;
    - a contact's ``email`` (ArcGIS Hub writes it instead of ``hasEmail``) is read as
      ``hasEmail``;
    - HTML in a description, licence or rights statement (ArcGIS Hub and DKAN publish
      HTML) becomes text: CKAN stores notes as Markdown, and the tags and styles of
      another portal's pages are not content.
    """
    types = _TYPES[version]
    document = dict(document)
    if "@context" not in document:
        document["@context"] = (
            V1_1_CONTEXT if version == V1_1 else jsonld.shipped_context(_V3_TERMS)
        )
    document.setdefault("@type", types["catalog"])
    document["dataset"] = [
        _entry(record, types["dataset"], types["distribution"])
        for record in document["dataset"]
    ]
    return document


def _entry(record: Any, record_type: str, distribution_type: str) -> Any:
    if not isinstance(record, dict):
        return record
    record = _as_text(dict(record))
    record.setdefault("@type", record_type)
    contacts = record.get("contactPoint")
    for contact in contacts if isinstance(contacts, list) else [contacts]:
        if isinstance(contact, dict) and "hasEmail" not in contact:
            email = contact.pop("email", None)
            if isinstance(email, str) and email.strip():
                contact["hasEmail"] = "mailto:" + email.strip().removeprefix("mailto:")
    distributions = record.get("distribution")
    if isinstance(distributions, list):
        record["distribution"] = [
            {"@type": distribution_type, **_as_text(dict(d))}
            if isinstance(d, dict)
            else d
            for d in distributions
        ]
    return record


def _as_text(node: dict) -> dict:
    for key in ("description", "license", "rights"):
        value = node.get(key)
        if isinstance(value, str) and _HTML_TAG.search(value):
            node[key] = html_to_text(value)
    return node


class _Text(html.parser.HTMLParser):
    """HTML to Markdown-safe text: blocks become lines, links keep their address."""

    BLOCKS = {"p", "div", "br", "li", "ul", "ol", "tr", "table", "section",
              "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre"}  # fmt: skip
    HIDDEN = {"script", "style", "template"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0
        self.links: list[str | None] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.hidden += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")
            if tag == "li":
                self.parts.append("- ")
        elif tag == "a":
            href = dict(attrs).get("href") or ""
            self.links.append(href if re.match(r"https?://", href) else None)

    def handle_endtag(self, tag):
        if tag in self.HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")
        elif tag == "a" and self.links:
            href = self.links.pop()
            if href and href not in "".join(self.parts[-3:]):
                self.parts.append(f" ({href})")

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def html_to_text(value: str) -> str:
    parser = _Text()
    parser.feed(value)
    parser.close()
    lines = [" ".join(line.split()) for line in "".join(parser.parts).split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _declares_json_ld(document: Any) -> bool:
    nodes = document if isinstance(document, list) else [document]
    return any(
        isinstance(node, dict) and any(key in node for key in _JSON_LD_KEYS)
        for node in nodes
    )
