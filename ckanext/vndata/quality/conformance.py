"""DCAT-AP conformance of datasets, judged with the official SHACL shapes: MQA's
"DCAT-AP compliance" indicator (quality/indicators.py, key ``dcat_ap``).

Each dataset is serialized as ``/dataset/<id>.ttl`` serves it (ckanext-dcat's
RDFSerializer with the site's ``ckanext.dcat.rdf.profiles``) and validated with pyshacl
against the DCAT-AP 3.0.1 shapes shipped in ``data/`` (data/README.md: origin, licence,
why that file). Many datasets are validated in one data graph, which costs about half as
much per dataset as one graph each; each violation goes back to its dataset through the
node it is about (the dataset, its distributions, its contact point, its publisher).

Nothing here runs inside a request: conformance_job.py runs it in a background job.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import pathlib
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import pyshacl
import rdflib
from pyshacl.graph_abstraction import DataGraph
from pyshacl.shapes_graph import ShapesGraph
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, SH

import ckan.plugins.toolkit as tk
from ckanext.dcat.processors import RDFSerializer

from ckanext.vndata.dcat import serialize

log = logging.getLogger(__name__)

# The complete shapes of DCAT-AP 3.0.1: cardinalities, node kinds, datatypes and the
# classes of values. The release's ranges.ttl only repeats the class constraints (plus
# two on dcat:DataService, which we do not publish), so this file alone is the check.
SHAPES = pathlib.Path(__file__).parent / "data" / "dcat-ap-3.0.1" / "dcat-ap-SHACL.ttl"
# Part of every digest: new shapes judge every dataset again.
SHAPES_VERSION = "DCAT-AP 3.0.1 SEMICeu/DCAT-AP@7c531da7"
# Our DQV profile (dqv.py) writes the score, which depends on this verdict: it is left
# out of the graph judged here, or each new score would make the graph "changed".
DQV_PROFILE = "vn_dqv"
BATCH = 100
# Violations kept per dataset (for the page and the logs; the verdict counts them all).
MAX_VIOLATIONS = 5

# (conformant, [the first violations as short text])
Verdict = tuple[bool, list[str]]

_PREFIXES = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "adms": "http://www.w3.org/ns/adms#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "locn": "http://www.w3.org/ns/locn#",
    "prov": "http://www.w3.org/ns/prov#",
    "spdx": "http://spdx.org/rdf/terms#",
    "odrl": "http://www.w3.org/ns/odrl/2/",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
}


@functools.cache
def _shapes() -> tuple[rdflib.Graph, dict[Any, str]]:
    """The parsed shapes (once per process), and {property shape: the class it is
    about, as a CURIE}."""
    graph = rdflib.Graph().parse(SHAPES)
    # The published file names two property shapes of dcat:DataService it does not
    # define; pyshacl stops on such a reference, so the two references are dropped.
    for shape, ref in list(graph.subject_objects(SH.property)):
        if (ref, SH.path, None) not in graph:
            graph.remove((shape, SH.property, ref))
    about = {
        ref: _curie(graph.value(shape, SH.targetClass))
        for shape, ref in graph.subject_objects(SH.property)
    }
    return graph, about


@functools.cache
def _names() -> rdflib.namespace.NamespaceManager:
    graph = rdflib.Graph(bind_namespaces="core")
    for prefix, namespace in _PREFIXES.items():
        graph.bind(prefix, namespace)
    return graph.namespace_manager


def _curie(node) -> str:
    if node is None:
        return ""
    if isinstance(node, URIRef):
        return _names().normalizeUri(node)
    return str(node)[:60]


def _profiles() -> list[str] | None:
    """The profiles ``/dataset/<id>.ttl`` serializes with, without ours of DQV."""
    names = tk.aslist(tk.config.get("ckanext.dcat.rdf.profiles"))
    return [name for name in names if name != DQV_PROFILE] or None


def vndata_quality_graphs(
    datasets: Iterable[dict[str, Any]],
) -> tuple[dict[str, rdflib.Graph], dict[str, Verdict]]:
    """({package id: its graph}, {package id: verdict}) for ``datasets`` (as
    package_show gives them): a dataset the profiles cannot serialize gets a failing
    verdict instead of a graph (its RDF page would fail too)."""
    serializer = RDFSerializer(profiles=_profiles())
    graphs: dict[str, rdflib.Graph] = {}
    failed: dict[str, Verdict] = {}
    agencies: dict[str, Any] = {}
    for dataset in datasets:
        serializer.g = rdflib.Graph()
        serialize.share_agencies(serializer.g, agencies)
        try:
            serializer.graph_from_dataset(dataset)
        except Exception as error:  # noqa: BLE001 - any profile error is a verdict
            log.warning("Dataset %s cannot be serialized: %r", dataset["id"], error)
            failed[dataset["id"]] = (False, [f"serialization: {type(error).__name__}"])
        else:
            graphs[dataset["id"]] = serializer.g
    return graphs, failed


def _description(graph: rdflib.Graph, node, depth: int = 0) -> frozenset:
    """What ``graph`` says about ``node``, with its blank nodes replaced by what is
    said about them (blank node labels differ from one serialization to the next)."""
    if depth > 8:  # a cycle of blank nodes (profiles write trees)
        return frozenset()
    return frozenset(
        (p, ("_", _description(graph, o, depth + 1)) if isinstance(o, BNode) else o)
        for p, o in graph.predicate_objects(node)
    )


def vndata_quality_digest(graph: rdflib.Graph) -> str:
    """A digest of a dataset's graph, the same for the same triples whatever its blank
    nodes are called, and of the shapes judging it."""
    referenced = {o for o in graph.objects() if isinstance(o, BNode)}
    lines = sorted(
        ("_" if isinstance(s, BNode) else s.n3()) + _canonical(_description(graph, s))
        for s in set(graph.subjects())
        if s not in referenced  # blank nodes are written inside what refers to them
    )
    text = "\n".join([SHAPES_VERSION, *lines])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _canonical(description: frozenset) -> str:
    """A description as text, the same in every process (a set's order is not: it
    follows the process's hash seed)."""
    pairs = sorted(
        p.n3() + " " + ("_" + _canonical(o[1]) if isinstance(o, tuple) else o.n3())
        for p, o in description
    )
    return "{" + " ; ".join(pairs) + "}"


def vndata_quality_conformance(
    datasets: Iterable[dict[str, Any]],
) -> dict[str, Verdict]:
    """{package id: (conformant, [first violations as short text])} of ``datasets``
    (as package_show gives them), validated ``BATCH`` at a time."""
    graphs, verdicts = vndata_quality_graphs(datasets)
    verdicts.update(vndata_quality_judge_graphs(graphs))
    return verdicts


def vndata_quality_judge_graphs(graphs: dict[str, rdflib.Graph]) -> dict[str, Verdict]:
    """{package id: verdict} of the datasets' ``graphs``, ``BATCH`` per data graph."""
    verdicts: dict[str, Verdict] = {}
    ids = list(graphs)
    for start in range(0, len(ids), BATCH):
        verdicts.update(
            _judge_batch({i: graphs[i] for i in ids[start : start + BATCH]})
        )
    return verdicts


def _judge_batch(graphs: dict[str, rdflib.Graph]) -> dict[str, Verdict]:
    """One data graph for many datasets. A node that several datasets describe alike (a
    licence, a theme) is in it once. A node they describe differently (a publisher
    named with each dataset's own agency code), or with blank nodes under it, gets a
    copy per dataset under another IRI: no dataset is judged on another's triples, so
    the verdicts are those of one graph per dataset."""
    descriptions: dict[Any, set[frozenset]] = defaultdict(set)
    for graph in graphs.values():
        for node in _iris(graph):
            descriptions[node].add(_description(graph, node))
    copied = {
        node
        for node, seen in descriptions.items()
        if len(seen) > 1 or any(isinstance(o, tuple) for _p, o in next(iter(seen)))
    }
    data = rdflib.Graph()
    speaks_for: dict[Any, set[str]] = defaultdict(set)  # node -> its datasets
    originals: dict[URIRef, URIRef] = {}
    for index, (package_id, graph) in enumerate(graphs.items()):
        own = {}
        for node in copied & _iris(graph):
            own[node] = URIRef(f"{node}#vndata-copy-{index}")
            originals[own[node]] = node
        for triple in graph:
            s, p, o = (own.get(n, n) for n in triple)
            data.add((s, p, o))
            speaks_for[s].add(package_id)
            speaks_for[o].add(package_id)
    try:
        results = _validate(data, originals)
    except Exception as error:  # noqa: BLE001 - pyshacl on hostile values
        if len(graphs) > 1:
            log.warning("Batch validation failed (%r); judging alone", error)
            return {i: v for i, g in graphs.items() for v in [_judge_batch({i: g})[i]]}
        log.warning("Validation of %s failed: %r", next(iter(graphs)), error)
        return {i: (False, [f"validation: {type(error).__name__}"]) for i in graphs}
    found: dict[str, set[str]] = defaultdict(set)
    for focus, text in results:
        for package_id in speaks_for.get(focus, ()):
            found[package_id].add(text)
    return {i: (not found[i], sorted(found[i])[:MAX_VIOLATIONS]) for i in graphs}


def _iris(graph: rdflib.Graph) -> set:
    return {n for t in graph for n in (t[0], t[2]) if isinstance(n, URIRef)}


@functools.cache
def _shapes_graph() -> ShapesGraph:
    shapes = ShapesGraph(_shapes()[0])
    shapes.shapes  # noqa: B018 - builds pyshacl's shapes once, here
    return shapes


def _validate(
    data: rdflib.Graph, originals: dict[URIRef, URIRef]
) -> list[tuple[Any, str]]:
    """[(focus node, short text)] of each violation of the shapes by ``data``, whose
    copies of nodes (``originals``: {copy: original IRI}) are named as the original."""
    shapes, about = _shapes()
    # pyshacl.validate copies the shapes graph and builds its shapes again on every
    # call, a third of the time of a small graph; this Validator gets them built once.
    validator = pyshacl.Validator(
        DataGraph.from_rdflib(data),
        shacl_graph=shapes,
        options={"inference": "none", "inplace": True, "logger": log},
    )
    validator.shacl_graph = _shapes_graph()
    _conforms, report, _text = validator.run()
    violations = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        if report.value(result, SH.resultSeverity) != SH.Violation:
            continue
        component = str(report.value(result, SH.sourceConstraintComponent))
        component = component.rsplit("#", 1)[-1].removesuffix("ConstraintComponent")
        value = report.value(result, SH.value)
        if isinstance(value, Literal):
            value = f"({value[:60]})"
        elif value is not None:
            value = f"({_curie(originals.get(value, value))})"
        parts = (
            about.get(report.value(result, SH.sourceShape), ""),
            _curie(report.value(result, SH.resultPath)) + ":",
            component[:1].lower() + component[1:],
            value or "",
        )
        text = " ".join(part for part in parts if part)
        violations.append((report.value(result, SH.focusNode), text))
    return violations
