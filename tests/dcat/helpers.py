"""What several dcat tests share: the stacked profiles and a parse with them, the
official DCAT-AP SHACL shapes and a check against them."""

from __future__ import annotations

import pyshacl
import rdflib
from rdflib.namespace import RDF

from ckanext.dcat.processors import RDFParser

from tests.helpers import REPO_ROOT

# DCAT-AP 3, then ours: the stack the dcat tests parse and serialize with.
PROFILES = ["euro_dcat_ap_3", "vn_dcat_ap"]
SHAPES = REPO_ROOT / "tests" / "data" / "shacl"
DCAT_AP_2 = [
    "2.1.1/dcat-ap_2.1.1_shacl_shapes.ttl",
    "2.1.1/dcat-ap_2.1.1_shacl_range.ttl",
]
DCAT_AP_3 = ["3.0.1/dcat-ap-SHACL.ttl"]


def _shapes(files: list[str]) -> rdflib.Graph:
    graph = rdflib.Graph()
    for name in files:
        graph.parse(SHAPES / name)
    return graph


def shacl_violations(data: rdflib.Graph, files: list[str]) -> list[str]:
    """The violations of the shapes in ``files`` (tests/data/shacl) by ``data``."""
    conforms, results, _text = pyshacl.validate(data, shacl_graph=_shapes(files))
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    return [
        f"{results.value(r, sh.focusNode)} {results.value(r, sh.resultPath)}: "
        f"{results.value(r, sh.resultMessage)}"
        for r in results.subjects(RDF.type, sh.ValidationResult)
        if results.value(r, sh.resultSeverity) == sh.Violation
    ]


def parse_one(text: str, fmt: str = "turtle", profiles: list[str] = PROFILES) -> dict:
    """The one dataset ``text`` describes, as the profiles parse it."""
    parser = RDFParser(profiles=profiles)
    parser.parse(text, _format=fmt)
    (dataset,) = list(parser.datasets())
    return dataset
