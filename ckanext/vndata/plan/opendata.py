"""A plan published as open data: CSV rows and a DCAT catalogue of its list.

Each list item is a dcat:Dataset with adms:status (EU dataset-status: DEVELOP while
planned, COMPLETED once published), its planned date, its sector and, once published,
a link to the real dataset, so other portals can harvest plans like datasets.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD

import ckan.plugins.toolkit as tk

from ckanext.vndata.dcat import terms
from ckanext.vndata.lib import vocabularies
from ckanext.vndata.plan.spreadsheet import csv_row
from ckanext.vndata.plan.states import PUBLISHED_ITEM_STATUSES

ADMS = Namespace("http://www.w3.org/ns/adms#")
STATUS = Namespace("http://publications.europa.eu/resource/authority/dataset-status/")
CSV_COLUMNS = (
    "number",
    "title",
    "sector",
    "lead_agency",
    "phase",
    "target_date",
    "status",
    "published_date",
    "datasets",
)


def plan_url(plan: dict[str, Any]) -> str:
    return tk.url_for("vndata_plan.read", plan_id=plan["id"], _external=True)


def csv_text(plan: dict[str, Any]) -> str:
    phases = {p["id"]: p["label"] for p in plan.get("phases") or []}
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for item in plan.get("items") or []:
        writer.writerow(
            csv_row([
                item["number"],
                item["title"],
                item.get("sector") or "",
                item.get("lead_agency") or "",
                phases.get(item.get("phase_id"), ""),
                item.get("target_date") or "",
                item["status"],
                item.get("published_date") or "",
                # A dataset the reader may not see is left out (it has no id here).
                " ".join(
                    d["package_id"]
                    for d in item.get("datasets") or []
                    if d.get("package_id")
                ),
            ])
        )  # fmt: skip
    return out.getvalue()


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
