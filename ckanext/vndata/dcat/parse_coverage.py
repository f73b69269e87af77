"""Where and when a record is about: its spatial and temporal coverage (RDF -> dataset
dict, for parse.py)."""

from __future__ import annotations

from typing import Any

from rdflib.namespace import DCTERMS, SKOS

from ckanext.vndata.dcat import terms
from ckanext.vndata.dcat.translations import best_literal


def spatial(g, dataset: dict[str, Any], ref, report: list[str]) -> None:
    """The province or commune code of the coverage (an IRI of ours or a node with
    the unit's code as its skos:notation); anything else goes to the report."""
    for node in g.objects(ref, DCTERMS.spatial):
        for kind, field in (("province", "province_code"), ("commune", "commune_code")):
            code = terms.value_of(str(node), kind)
            if code:
                dataset[field] = code
                break
        else:
            notation = best_literal(g, node, SKOS.notation)
            if notation and notation.isdigit() and len(notation) in (2, 5):
                field = "province_code" if len(notation) == 2 else "commune_code"
                dataset[field] = notation
            else:
                report.append(
                    f"dct:spatial {node}: not a Vietnamese administrative unit"
                )


def temporal(profile, dataset: dict[str, Any], ref) -> None:
    """The coverage's dates in the date fields; date-times whole in temporal_coverage.

    The form and the national report work with dates; a source's time of day (and
    its time zone, which can move the date) is kept as DCAT-AP 3 read it.
    """
    start, end = profile._time_interval(ref, DCTERMS.temporal, dcat_ap_version=2)
    whole = {}
    for field, key, value in (
        ("temporal_start", "start", start),
        ("temporal_end", "end", end),
    ):
        if value:
            dataset[field] = str(value)[:10]
            whole[key] = str(value)
    if any(len(value) > 10 for value in whole.values()):
        dataset["temporal_coverage"] = [whole]
