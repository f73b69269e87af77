"""A plan published as open data: CSV rows and a DCAT catalogue of its list.

Each list item is a dcat:Dataset with adms:status (EU dataset-status: DEVELOP while
planned, COMPLETED once published), its planned date, its sector and, once published,
a link to the real dataset, so other portals can harvest plans like datasets.
"""

from __future__ import annotations

from typing import Any

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD

import ckan.plugins.toolkit as tk

from ckanext.vndata.dcat import terms
from ckanext.vndata.lib import vocabularies
from ckanext.vndata.lib.i18n import N_
from ckanext.vndata.plan import csv_download, fields
from ckanext.vndata.plan.csv_download import Column
from ckanext.vndata.plan.states import PUBLISHED_ITEM_STATUSES, status_label

ADMS = Namespace("http://www.w3.org/ns/adms#")
STATUS = Namespace("http://publications.europa.eu/resource/authority/dataset-status/")


def _label(key: str) -> str:
    """A list item field's label (plan/fields.py), the CSV's header for it."""
    return fields.labels()[key]


def _dataset_urls(item: dict[str, Any]) -> str:
    # A dataset the reader may not see is left out (it has no id here).
    return " ".join(
        tk.url_for("dataset.read", id=d["package_id"], _external=True)
        for d in item.get("datasets") or []
        if d.get("package_id")
    )


# The plan's list as CSV: one line per item, labels and dates in the reader's
# language; the status code and the item's key for reusers matching versions.
CSV_COLUMNS = (
    Column(_label("number"), lambda item: item["number"]),
    Column(_label("title"), lambda item: item["title"]),
    Column(
        _label("sector"),
        lambda item: tk.h.vndata_term_label("sectors", item["sector"])
        if item.get("sector")
        else None,
    ),
    Column(_label("lead_agency"), lambda item: item.get("lead_agency")),
    Column(_label("phase_id"), lambda item: item.get("phase")),
    Column(
        _label("target_date"),
        lambda item: tk.h.vndata_format_date(item.get("target_date")),
    ),
    Column(N_("Status"), lambda item: status_label(item["status"])),
    Column(N_("Status code"), lambda item: item["status"]),
    Column(
        N_("Publication date"),
        lambda item: tk.h.vndata_format_date(item.get("published_date")),
    ),
    Column(N_("Datasets"), _dataset_urls),
    Column(N_("Item key"), lambda item: item.get("key")),
)


def plan_url(plan: dict[str, Any]) -> str:
    return tk.url_for("vndata_plan.read", plan_id=plan["id"], _external=True)


def csv_text(plan: dict[str, Any]) -> str:
    """The plan's list as CSV text (without the byte-order mark: csv_download)."""
    phases = {p["id"]: p["label"] for p in plan.get("phases") or []}
    items = (
        {**item, "phase": phases.get(item.get("phase_id"))}
        for item in plan.get("items") or []
    )
    return csv_download.text(CSV_COLUMNS, items)


def graph(plan: dict[str, Any], organization: dict[str, Any]) -> Graph:
    g = Graph()
    ns = terms.vndata()
    for prefix, namespace in (("dcat", DCAT), ("dct", DCTERMS), ("adms", ADMS)):
        g.bind(prefix, namespace)
    g.bind("vndata", ns)
    catalogue = URIRef(plan_url(plan))
    g.add((catalogue, RDF.type, DCAT.Catalog))
    g.add((catalogue, DCTERMS.title, Literal(plan["title"], lang="vi")))
    g.add(
        (catalogue, DCTERMS.modified, Literal(plan["modified"][:10], datatype=XSD.date))
    )
    publisher = BNode()
    g.add((catalogue, DCTERMS.publisher, publisher))
    g.add((publisher, RDF.type, FOAF.Agent))
    g.add((publisher, FOAF.name, Literal(organization["title"], lang="vi")))
    if organization.get("agency_code"):
        g.add((publisher, DCTERMS.identifier, Literal(organization["agency_code"])))
    for item in plan.get("items") or []:
        node = URIRef(f"{catalogue}#muc-{item['number']}")
        g.add((catalogue, DCAT.dataset, node))
        g.add((node, RDF.type, DCAT.Dataset))
        g.add((node, DCTERMS.identifier, Literal(item["key"])))
        g.add((node, DCTERMS.title, Literal(item["title"], lang="vi")))
        if item.get("description"):
            g.add((node, DCTERMS.description, Literal(item["description"], lang="vi")))
        published = item["status"] in PUBLISHED_ITEM_STATUSES
        g.add((node, ADMS.status, STATUS.COMPLETED if published else STATUS.DEVELOP))
        if item.get("target_date"):
            g.add(
                (node, ns.plannedDate, Literal(item["target_date"], datatype=XSD.date))
            )
        sector = vocabularies.term("sectors", item.get("sector") or "")
        if sector is not None:
            g.add((node, DCAT.theme, URIRef(terms.term_iri("sector", sector.value))))
        if item.get("published_date"):
            g.add(
                (
                    node,
                    DCTERMS.issued,
                    Literal(item["published_date"], datatype=XSD.date),
                )
            )
        for link in item.get("datasets") or []:
            if link.get("is_public") and link.get("package_id"):
                url = tk.url_for("dataset.read", id=link["package_id"], _external=True)
                g.add((node, DCTERMS.relation, URIRef(url)))
    return g
