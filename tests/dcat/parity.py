"""The stock DCAT-AP 3 parse and the Vietnamese parse of the real corpus, compared.

Shared by tests/dcat/test_parity.py and bench/bench_parity.py. Both profiles parse the
same rdflib graph (blank-node ids are the graph's own, so they compare), and every
leaf value of the stock parse must be found, by value, somewhere in the Vietnamese
parse: a mapped field or a key kept for the harvest. The only other ways a value
counts as found are the transformations in TRANSFORMATIONS, each declared below.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

from rdflib import BNode, Graph

from ckanext.dcat.processors import RDFParser

from ckanext.vndata.dcat import terms
from tests.helpers import REPO_ROOT

CORPUS = REPO_ROOT / "tests" / "data" / "real"
FORMATS = {
    "application/rdf+xml": "xml",
    "text/turtle": "turtle",
    "application/ld+json": "json-ld",
}
# Files of vndata_dcat that rdflib does not read as they are: the DCAT-US data.json
# files (arcgis-hub/evian.json, dkan/data.json, data.gov/*.json) are plain JSON, not
# RDF (their format is application/json, left out by FORMATS), and this GeoNetwork
# page is RDF/XML inside a CSW envelope, which the harvester unwraps first.
NOT_RDF_AS_IS = {"geonetwork/geonetwork-geodcatap-page-1.xml"}


def corpus_files() -> list[tuple[str, str]]:
    """(file, rdflib format) of every vndata_dcat file that rdflib reads as it is."""
    manifest = json.loads((CORPUS / "manifest.json").read_text())
    return [
        (entry["file"], FORMATS[entry["format"]])
        for entry in manifest
        if entry["harvester"] == "vndata_dcat"
        and entry["format"] in FORMATS
        and entry["file"] not in NOT_RDF_AS_IS
    ]


def parse_both(name: str, fmt: str) -> tuple[Graph, list[tuple[dict, dict]]]:
    """The graph of a corpus file and (stock, vn_dcat_ap) dicts of each dataset."""
    stock = RDFParser(profiles=["euro_dcat_ap_3"])
    stock.parse((CORPUS / name).read_text(encoding="utf-8"), _format=fmt)
    ours = RDFParser(profiles=["vn_dcat_ap"])
    ours.g = stock.g
    return stock.g, list(zip(stock.datasets(), ours.datasets(), strict=True))


def leaves(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """(path, text) of every non-empty leaf; JSON lists and objects in strings opened.

    Extras are named by their key (``extras.publisher_type``).
    """
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaves(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        if path == "extras":
            for extra in value:
                yield from leaves(extra.get("value"), f"extras.{extra.get('key')}")
            return
        for item in value:
            yield from leaves(item, f"{path}[]")
    elif isinstance(value, str):
        text = value.strip()
        if text[:1] in ("[", "{"):
            try:
                yield from leaves(json.loads(text), path)
                return
            except ValueError:
                pass
        if text:
            yield path, text
    elif value is not None and not isinstance(value, bool):
        yield path, str(value)


def _language_code(g: Graph, value: str) -> list[str] | None:
    """A language IRI of the EU table, mapped to our code (dct:language -> language)."""
    code = terms.by_uri(terms.LANGUAGE_URIS, value)
    return [code] if code else None


def _file_type(g: Graph, value: str) -> list[str] | None:
    """An EU file-type IRI, mapped to our format name (dct:format -> format)."""
    base = str(terms.EU_FILE_TYPE)
    if not value.startswith(base):
        return None
    code = value[len(base) :]
    return [terms.FORMATS_BY_FILE_TYPE.get(code, code)]


def _blank_node(g: Graph, value: str) -> list[str] | None:
    """A blank node's id (DCAT-AP 3 lists it as is, e.g. for a dct:Standard), which
    means nothing outside the file: the node's own values must be there instead."""
    node = BNode(value)
    objects = g.predicate_objects(node)
    described = [str(o) for _, o in objects if not isinstance(o, BNode)]
    return described or None


TRANSFORMATIONS: dict[str, Callable[[Graph, str], list[str] | None]] = {
    "language IRI -> language code": _language_code,
    "file-type IRI -> format": _file_type,
    "blank node id -> its description": _blank_node,
}


def compare(g: Graph, stock: dict, ours: dict) -> list[dict[str, Any]]:
    """Each stock leaf and how it is kept: "value", a transformation, None (lost)."""
    found = {text for _, text in leaves(ours)}
    rows = []
    for path, text in leaves(stock):
        kept = "value" if text in found else None
        if kept is None:
            for name, transform in TRANSFORMATIONS.items():
                equivalents = transform(g, text)
                if equivalents and all(e in found for e in equivalents):
                    kept = name
                    break
        rows.append({"field": _field(path), "value": text, "kept": kept})
    return rows


def _field(path: str) -> str:
    return path.replace("[]", "")
