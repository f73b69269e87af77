"""The plan exchange record in RDF: a plan's DCAT (``/ke-hoach/<id>.ttl``) made
lossless, the index of a portal's published plans (``/ke-hoach/catalog.ttl``), and the
readers another portal uses on them.

``plan_graph`` keeps the DCAT of opendata.py (items as dcat:Dataset with adms:status…)
for the consumers that read it, and adds the whole record of exchange.py in the
``vndata:`` namespace: the plan's header, each phase with every minimum level, each
item with every field and the public datasets delivering it. ``read_plans`` gives the
records back, equal to ``exchange.from_action_api`` of the same plan. Which predicate
holds a field is derived from fields.py (``period_start`` -> ``vndata:periodStart``),
so a field added there travels with no change here.
"""

from __future__ import annotations

import json
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD

import ckan.plugins.toolkit as tk
from ckan.model import meta

from ckanext.vndata.dcat import terms
from ckanext.vndata.plan import exchange, fields, opendata
from ckanext.vndata.plan.model import Plan
from ckanext.vndata.plan.states import PlanStatus

RDF_JSON = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON")
_INTEGER_KINDS = frozenset(
    {"year", "number", "position", "count", "stars", "review_interval"}
)
_DATE_KINDS = frozenset({"date", "required_date"})
# Organization keys written as the publisher's own properties (opendata.py writes its
# title as foaf:name and its agency code as dct:identifier).
_ORGANIZATION_TERMS = {
    "id": "organizationId",
    "name": "organizationName",
    "province_code": "provinceCode",
}


def predicate(key: str) -> URIRef:
    """The ``vndata:`` property of a field: its key in lower camel case."""
    head, *rest = key.split("_")
    return terms.vndata()[head + "".join(word.title() for word in rest)]


def _literal(value: Any, kind: str) -> Literal | None:
    if value is None or value == [] or value == "":
        return None
    if kind in _INTEGER_KINDS:
        return Literal(int(value), datatype=XSD.integer)
    if kind == "percent":
        return Literal(float(value), datatype=XSD.double)
    if kind in _DATE_KINDS:
        return Literal(str(value), datatype=XSD.date)
    if kind == "text_list":  # a list keeps its order: one JSON literal
        return Literal(json.dumps(value, ensure_ascii=False), datatype=RDF_JSON)
    return Literal(str(value))


def _add_fields(g: Graph, node, data: dict, part: tuple[fields.Field, ...]) -> None:
    for field in part:
        if field.kind == "id":  # phase_id: a link to the phase's node
            continue
        literal = _literal(data.get(field.key), field.kind)
        if literal is not None:
            g.add((node, predicate(field.key), literal))


def _phase_nodes(plan: URIRef, record: dict) -> dict[str, URIRef]:
    return {
        phase["id"]: URIRef(f"{plan}#giai-doan-{n}")
        for n, phase in enumerate(record["phases"], start=1)
    }


def add_record(g: Graph, plan: URIRef, record: dict[str, Any]) -> None:
    """The exchange record's triples, on the plan's node ``plan``."""
    ns = terms.vndata()
    g.add((plan, RDF.type, ns.OpenDataPlan))
    g.add((plan, DCTERMS.identifier, Literal(record["id"])))
    g.add((plan, ns.seriesId, Literal(record["series_id"])))
    g.add((plan, DCAT.version, Literal(int(record["version"]), datatype=XSD.integer)))
    g.add((plan, ns.planStatus, Literal(record["status"])))
    g.add((plan, ns.modifiedAt, Literal(record["modified"], datatype=XSD.dateTime)))
    publisher = g.value(plan, DCTERMS.publisher)
    for key, term in _ORGANIZATION_TERMS.items():
        if publisher is not None and record["organization"].get(key):
            g.add((publisher, ns[term], Literal(record["organization"][key])))
    _add_fields(g, plan, record, fields.PLAN)
    phases = _phase_nodes(plan, record)
    for phase in record["phases"]:
        node = phases[phase["id"]]
        g.add((plan, ns.phase, node))
        g.add((node, RDF.type, ns.PlanPhase))
        g.add((node, DCTERMS.identifier, Literal(phase["id"])))
        _add_fields(g, node, phase, fields.PHASE)
    for item in record["items"]:
        node = URIRef(f"{plan}#muc-{item['number']}")  # opendata.py's item node
        g.add((plan, DCAT.dataset, node))
        g.add((node, RDF.type, ns.PlanItem))
        g.add((node, DCTERMS.identifier, Literal(item["key"])))
        _add_fields(g, node, item, fields.ITEM)
        if item.get("phase_id") in phases:
            g.add((node, ns.phase, phases[item["phase_id"]]))
        for dataset in item["datasets"]:
            delivery = BNode()
            g.add((node, ns.deliveredBy, delivery))
            g.add((delivery, RDF.type, ns.Delivery))
            g.add((delivery, ns.dataset, URIRef(dataset["uri"])))
            g.add((delivery, ns.packageId, Literal(dataset["id"])))
            if dataset.get("name"):
                g.add((delivery, ns.packageName, Literal(dataset["name"])))


def plan_graph(plan_show: dict[str, Any], organization: dict[str, Any]) -> Graph:
    """The plan's DCAT: opendata.py's catalogue of its list, plus the whole exchange
    record. Only public dataset links are in it, whoever reads it."""
    g = opendata.graph(plan_show, organization)
    site_url = tk.config.get("ckan.site_url")
    record = exchange.from_action_api(plan_show, organization, site_url)
    add_record(g, URIRef(opendata.plan_url(plan_show)), record)
    return g


# Reading a graph back (another portal's: tolerant, validate_record judges).


def _value(g: Graph, node, key: str, kind: str) -> Any:
    literal = g.value(node, predicate(key))
    if literal is None:
        return [] if kind == "text_list" else None
    if not isinstance(literal, Literal):
        return str(literal)
    if kind in _INTEGER_KINDS or kind == "percent":
        number = literal.toPython()
        is_number = isinstance(number, (int, float)) and not isinstance(number, bool)
        return number if is_number else str(literal)
    if kind == "text_list":
        try:
            listed = json.loads(str(literal))
        except (ValueError, RecursionError):
            return str(literal)  # validate_record reads it as comma-separated text
        return listed if isinstance(listed, list) else str(literal)
    return str(literal)


def _order(value: Any) -> tuple:
    """Numbers first, by value, then anything else a foreign graph holds, as text."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (0, value, "")
    return (1, 0, str(value))


def _text(g: Graph, node, prop) -> str | None:
    value = g.value(node, prop) if node is not None else None
    return None if value is None else str(value)


def _read_fields(g: Graph, node, part: tuple[fields.Field, ...]) -> dict[str, Any]:
    return {f.key: _value(g, node, f.key, f.kind) for f in part if f.kind != "id"}


def _read_organization(g: Graph, plan) -> dict[str, Any]:
    ns = terms.vndata()
    publisher = g.value(plan, DCTERMS.publisher)
    organization = {
        key: _text(g, publisher, ns[term]) for key, term in _ORGANIZATION_TERMS.items()
    }
    organization["title"] = _text(g, publisher, FOAF.name)
    organization["agency_code"] = _text(g, publisher, DCTERMS.identifier)
    return {key: organization[key] for key in exchange.ORGANIZATION_KEYS}


def _read_phases(g: Graph, plan) -> list[dict[str, Any]]:
    ns = terms.vndata()
    phases = [
        {
            "id": _text(g, node, DCTERMS.identifier),
            **_read_fields(g, node, fields.PHASE),
        }
        for node in g.objects(plan, ns.phase)
        if (node, RDF.type, ns.PlanPhase) in g
    ]
    # The order of the plan page (dictization.plan_parts): by position, then start.
    return sorted(
        phases,
        key=lambda p: (_order(p["position"]), str(p["start_date"]), str(p["id"])),
    )


def _read_datasets(g: Graph, item) -> list[dict[str, Any]]:
    ns = terms.vndata()
    datasets = [
        {
            "id": _text(g, delivery, ns.packageId),
            "name": _text(g, delivery, ns.packageName),
            "uri": _text(g, delivery, ns.dataset),
        }
        for delivery in g.objects(item, ns.deliveredBy)
    ]
    return sorted(datasets, key=lambda d: str(d["id"]))


def _read_items(g: Graph, plan) -> list[dict[str, Any]]:
    ns = terms.vndata()
    items = []
    for node in g.objects(plan, DCAT.dataset):
        if (node, RDF.type, ns.PlanItem) not in g:
            continue  # a foreign dataset of the catalogue, not an item of the plan
        phase = g.value(node, ns.phase)
        items.append({
            "key": _text(g, node, DCTERMS.identifier),
            **_read_fields(g, node, fields.ITEM),
            "phase_id": _text(g, phase, DCTERMS.identifier),
            "datasets": _read_datasets(g, node),
        })  # fmt: skip
    return sorted(items, key=lambda i: (_order(i["number"]), str(i["key"])))


def read_plans(g: Graph) -> list[dict[str, Any]]:
    """The exchange records of the plans in ``g`` (not yet validated: another
    portal's graph is read as it is, and ``exchange.validate_record`` judges it)."""
    ns = terms.vndata()
    records = []
    for plan in sorted(set(g.subjects(RDF.type, ns.OpenDataPlan)), key=str):
        version = g.value(plan, DCAT.version)
        records.append(
            {
                "id": _text(g, plan, DCTERMS.identifier),
                "series_id": _text(g, plan, ns.seriesId),
                "version": version.toPython()
                if isinstance(version, Literal)
                else version,
                "status": _text(g, plan, ns.planStatus),
                "modified": _text(g, plan, ns.modifiedAt),
                "url": str(plan),
                "organization": _read_organization(g, plan),
                **_read_fields(g, plan, fields.PLAN),
                "phases": _read_phases(g, plan),
                "items": _read_items(g, plan),
            }
        )
    return records


# The index of a portal's published plans (/ke-hoach/catalog.ttl).

MAX_INDEXED = 500  # a province has tens of plans; the newest first past that


def published_plans() -> list[dict[str, Any]]:
    """The plans the index lists: published ones only (drafts, plans under review,
    approved and superseded versions never leave the portal), newest first.

    Only the portal's own plans: one it harvested belongs to another portal, which
    publishes it itself; listed again here, a portal harvesting this one would take
    it as this portal's (and refuse it for keys another source already brought).
    """
    rows = (
        meta.Session.query(Plan.id, Plan.series_id, Plan.version, Plan.modified)
        .filter(Plan.status == PlanStatus.PUBLISHED)
        .filter(Plan.harvest_source_id.is_(None))
        .order_by(Plan.modified.desc(), Plan.id)
        .limit(MAX_INDEXED)
    )
    return [
        {"id": id_, "series_id": series, "version": version, "modified": modified}
        for id_, series, version, modified in rows
    ]


def index_url(fmt: str = "ttl") -> str:
    return tk.url_for("vndata_plan.plans_index", fmt=fmt, _external=True)


def index_graph(plans: list[dict[str, Any]]) -> Graph:
    """A dcat:Catalog listing each plan: its URI, version, series, last change and
    the address of its Turtle."""
    ns = terms.vndata()
    g = Graph()
    g.bind("dcat", DCAT)
    g.bind("dct", DCTERMS)
    g.bind("vndata", ns)
    catalogue = URIRef(index_url())
    g.add((catalogue, RDF.type, DCAT.Catalog))
    g.add((catalogue, RDF.type, ns.PlanIndex))
    g.add((catalogue, DCTERMS.title, Literal(tk._("Open-data plans"))))
    for plan in plans:
        node = URIRef(opendata.plan_url(plan))
        document = tk.url_for(
            "vndata_plan.export", plan_id=plan["id"], fmt="ttl", _external=True
        )
        g.add((catalogue, ns.plan, node))
        g.add((node, ns.seriesId, Literal(plan["series_id"])))
        g.add((node, DCAT.version, Literal(plan["version"], datatype=XSD.integer)))
        modified = plan["modified"].isoformat()
        g.add((node, ns.modifiedAt, Literal(modified, datatype=XSD.dateTime)))
        g.add((node, ns.planDocument, URIRef(document)))
    return g


def plans_index(g: Graph) -> list[dict[str, Any]]:
    """The plans an index lists: [{"url": its Turtle, "uri", "series_id", "version",
    "modified"}]; an entry without a document address is left out."""
    ns = terms.vndata()
    entries = []
    for node in set(g.objects(None, ns.plan)):
        document = g.value(node, ns.planDocument)
        if not isinstance(document, URIRef):
            continue
        version = g.value(node, DCAT.version)
        entries.append(
            {
                "url": str(document),
                "uri": str(node),
                "series_id": _text(g, node, ns.seriesId),
                "version": version.toPython() if isinstance(version, Literal) else None,
                "modified": _text(g, node, ns.modifiedAt),
            }
        )
    return sorted(entries, key=lambda e: e["uri"])


def advertised_index(g: Graph) -> str | None:
    """The address of the plans index a dataset catalogue (/catalog.ttl) advertises
    (``vndata:openDataPlans``), or None: the portal runs no vndata_plan."""
    ns = terms.vndata()
    advertised = sorted(
        (catalogue not in set(g.subjects(RDF.type, DCAT.Catalog)), str(index))
        for catalogue, index in g.subject_objects(ns.openDataPlans)
        if isinstance(index, URIRef)
    )
    return advertised[0][1] if advertised else None
