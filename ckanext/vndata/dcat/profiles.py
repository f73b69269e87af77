"""The Vietnamese DCAT-AP profiles, stacked on ckanext-dcat's DCAT-AP profiles.

Select one with ``ckanext.dcat.rdf.profiles = euro_dcat_ap_3 vn_dcat_ap`` (the default
catalogue), or per request with ``?profiles=euro_dcat_ap_2,vn_dcat_ap_2`` for consumers
still on DCAT-AP 2 (the two versions disagree on the datatype of dcat:byteSize, so one
graph cannot conform to both). DCAT-AP maps the fields it knows; the mixin then maps the
Vietnamese ones (serialize.py, parse.py).
"""

from __future__ import annotations

from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, SKOS

import ckan.plugins.toolkit as tk
from ckanext.dcat.profiles.euro_dcat_ap_2 import EuropeanDCATAP2Profile
from ckanext.dcat.profiles.euro_dcat_ap_3 import EuropeanDCATAP3Profile

from ckanext.vndata.dcat import parse, serialize, terms
from ckanext.vndata.dcat.terms import FOAF
from ckanext.vndata.lib import admin_units

namespaces = {"vndata": terms.vndata}


class _VietnamMixin:
    """The Vietnamese schema (vndata_metadata) on top of a DCAT-AP profile."""

    def parse_dataset(
        self, dataset_dict: dict[str, Any], dataset_ref
    ) -> dict[str, Any]:
        dataset_dict = super().parse_dataset(dataset_dict, dataset_ref)
        return parse.parse_dataset(self, dataset_dict, dataset_ref)

    def _get_source_catalog(self, dataset_ref):
        """The (sub)catalogue a record came from, or None where ckanext-dcat would fail.

        With ckanext.dcat.expose_subcatalogs, ckanext-dcat 2.4.4's DCAT-AP parse
        describes the record's catalogue and fails on valid catalogues:
        _get_root_catalog_ref raises IndexError when the graph has no dcat:Catalog
        (and no dct:hasPart), _get_source_catalog asserts when a dataset is in two
        subcatalogues, and _extract_catalog_dict raises UnboundLocalError
        ("publisher") when the catalogue has no dct:publisher. Such records are
        parsed without the source_catalog_* extras, as when the option is off.
        """
        has_root = (None, DCTERMS.hasPart, None) in self.g or (
            None,
            RDF.type,
            DCAT.Catalog,
        ) in self.g
        if not has_root:
            return None
        try:
            catalog = super()._get_source_catalog(dataset_ref)
        except AssertionError:
            return None
        if catalog is None or (catalog, DCTERMS.publisher, None) not in self.g:
            return None
        return catalog

    def graph_from_dataset(self, dataset_dict: dict[str, Any], dataset_ref) -> None:
        super().graph_from_dataset(dataset_dict, dataset_ref)
        self.g.bind("vndata", terms.vndata())
        serialize.add_dataset(self, dataset_dict, dataset_ref)

    def graph_from_catalog(self, catalog_dict: dict[str, Any], catalog_ref) -> None:
        super().graph_from_catalog(catalog_dict, catalog_ref)
        self.g.bind("vndata", terms.vndata())
        serialize.describe_catalog(self.g, catalog_ref)
        _describe_portal(self.g, catalog_ref)


class VietnamDCATAPProfile(_VietnamMixin, EuropeanDCATAP3Profile):
    """DCAT-AP 3 plus the Vietnamese schema: ``vn_dcat_ap``."""


class VietnamDCATAP2Profile(_VietnamMixin, EuropeanDCATAP2Profile):
    """DCAT-AP 2 plus the Vietnamese schema: ``vn_dcat_ap_2``."""


def _describe_portal(g, catalog_ref) -> None:
    """The catalogue names the portal (national or provincial) and its publisher."""
    ns = terms.vndata()
    level = tk.config.get("ckanext.vndata.portal_level")
    g.add((catalog_ref, ns.portalLevel, URIRef(terms.term_iri("portal", level))))
    # A portal running vndata_plan advertises its plans index, so whoever harvests
    # the catalogue finds the plans too. The helper is registered by that plugin: no
    # import of the plan layer here, and no setting a portal could forget.
    plans_index = tk.h.get("vndata_plan_index_url")
    if plans_index is not None:
        g.add((catalog_ref, ns.openDataPlans, URIRef(plans_index())))
    publisher_name = tk.config.get("ckanext.vndata.dcat.publisher_name")
    if publisher_name:
        g.remove((catalog_ref, DCTERMS.publisher, None))
        node = URIRef(
            tk.config.get("ckanext.vndata.dcat.publisher_uri")
            or terms.term_iri(
                "agency",
                tk.config.get("ckanext.vndata.dcat.publisher_code") or "portal",
            )
        )
        g.add((catalog_ref, DCTERMS.publisher, node))
        g.add((node, RDF.type, FOAF.Agent))
        g.add((node, FOAF.name, Literal(publisher_name, lang="vi")))
        code = tk.config.get("ckanext.vndata.dcat.publisher_code")
        if code:
            g.add((node, DCTERMS.identifier, Literal(code)))
    province = tk.config.get("ckanext.vndata.portal_province_code")
    if province:
        node = URIRef(terms.term_iri("province", province))
        g.add((node, RDF.type, DCTERMS.Location))
        name = admin_units.provinces().get(province)
        if name:
            g.add((node, SKOS.prefLabel, Literal(name, lang="vi")))
        g.add((catalog_ref, DCTERMS.spatial, node))
