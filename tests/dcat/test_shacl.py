"""Our catalogue output conforms to the official DCAT-AP shapes (pyshacl).

22 varied Vietnamese datasets (three agencies, old and new units, six formats, legacy
agency codes, optional fields present and absent) are served by ckanext-dcat's real
/catalog.ttl endpoint with our profiles, then validated. Every IRI the profiles write is
typed in the graph, so no external vocabulary (ont_graph) is needed.
"""

from __future__ import annotations

import pytest
import rdflib
from rdflib.namespace import DCAT, RDF

from tests.dcat.helpers import DCAT_AP_2, DCAT_AP_3, shacl_violations


def _catalogue(app, query: str = "") -> rdflib.Graph:
    body = app.get(f"/catalog.ttl{query}").body
    return rdflib.Graph().parse(data=body, format="turtle")


@pytest.mark.ckan_config("ckanext.dcat.datasets_per_page", "50")
@pytest.mark.usefixtures(
    "with_plugins", "clean_db", "clean_index", "vietnamese_catalogue"
)
class TestConformance:
    def test_dcat_ap_3_output_has_no_violation_of_the_3_0_1_shapes(self, app):
        graph = _catalogue(app)

        assert len(set(graph.subjects(RDF.type, DCAT.Dataset))) == 22
        assert shacl_violations(graph, DCAT_AP_3) == []

    def test_dcat_ap_2_output_has_no_violation_of_the_2_1_1_shapes(self, app):
        graph = _catalogue(app, "?profiles=euro_dcat_ap_2,vn_dcat_ap_2")

        assert len(set(graph.subjects(RDF.type, DCAT.Dataset))) == 22
        assert shacl_violations(graph, DCAT_AP_2) == []

    def test_the_two_versions_disagree_only_on_byte_size(self, app):
        # Why two profiles: 2.1.1 wants xsd:decimal, 3.0.1 xsd:nonNegativeInteger.
        violations = shacl_violations(_catalogue(app), DCAT_AP_2)

        assert violations
        assert all("byteSize" in v for v in violations)
