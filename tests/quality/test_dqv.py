"""The stored score in the DCAT output as W3C DQV (profile vn_dqv, in test.ini's
ckanext.dcat.rdf.profiles): five dimensions and the total, with MQA's metric IRIs,
and the graph still conforms to the DCAT-AP 3.0.1 shapes."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

import pytest
import rdflib
from rdflib.namespace import PROV, RDF, XSD

from ckan import model
from ckanext.dcat.processors import RDFParser

from ckanext.vndata.quality import conformance_job
from ckanext.vndata.quality.dqv import DQV, METRICS, PV, TOTAL
from ckanext.vndata.quality.model import DatasetScore
from ckanext.vndata.quality.tally import Tally
from tests.dcat.helpers import DCAT_AP_3, shacl_violations
from tests.quality.shacl_helpers import made_datasets


def _turtle(app, path: str) -> rdflib.Graph:
    return rdflib.Graph().parse(data=app.get(path).body, format="turtle")


def _unscored(package_id: str) -> None:
    """As a dataset written before vndata_quality was enabled (every write since
    stores a score): no score row until ``ckan vndata_quality score`` runs."""
    model.Session.query(DatasetScore).filter(
        DatasetScore.package_id == package_id
    ).delete()
    model.Session.commit()


def _measurements(graph: rdflib.Graph, dataset_uri: str) -> dict:
    """{metric: (value, its datatype, generated at)} of the dataset's measurements."""
    found = {}
    for m in graph.objects(rdflib.URIRef(dataset_uri), DQV.hasQualityMeasurement):
        assert (m, RDF.type, DQV.QualityMeasurement) in graph
        assert graph.value(m, DQV.computedOn) == rdflib.URIRef(dataset_uri)
        value = graph.value(m, DQV.value)
        found[graph.value(m, DQV.isMeasurementOf)] = (
            value.toPython(),
            value.datatype,
            graph.value(m, PROV.generatedAtTime).toPython(),
        )
    return found


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestMeasurements:
    def test_a_scored_dataset_has_the_total_and_five_dimensions(self, app):
        datasets = made_datasets(2)
        conformance_job.vndata_quality_judge([d["id"] for d in datasets])
        dataset = datasets[0]
        row = model.Session.get(DatasetScore, dataset["id"])
        dimensions = Tally.from_dict(json.loads(row.tally)).dimension_points()
        uri = f"http://test.ckan.net/dataset/{dataset['id']}"

        graph = _turtle(app, f"/dataset/{dataset['id']}.ttl")

        found = _measurements(graph, uri)
        when = row.computed.replace(microsecond=0, tzinfo=datetime.timezone.utc)
        expected = {TOTAL: (row.points, XSD.integer, when)} | {
            metric: (Decimal(str(round(dimensions[key], 2))), XSD.decimal, when)
            for key, (metric, _dimension) in METRICS.items()
        }
        assert found == expected
        assert set(METRICS) == {
            "findability", "accessibility", "interoperability", "reusability",
            "contextuality",
        }  # fmt: skip
        assert METRICS["findability"][0] == PV.findabilityScoring
        assert row.points == round(sum(dimensions.values()))
        assert (PV.findabilityScoring, DQV.inDimension, PV.findability) in graph
        assert shacl_violations(graph, DCAT_AP_3) == []

    def test_the_catalogue_carries_each_scored_dataset_and_conforms(self, app):
        datasets = made_datasets(3)
        conformance_job.vndata_quality_judge([d["id"] for d in datasets[:2]])
        _unscored(datasets[2]["id"])

        graph = _turtle(app, "/catalog.ttl")

        counts = {
            d["id"]: len(
                _measurements(graph, f"http://test.ckan.net/dataset/{d['id']}")
            )
            for d in datasets
        }
        assert counts == {
            datasets[0]["id"]: 6,
            datasets[1]["id"]: 6,
            datasets[2]["id"]: 0,
        }
        assert shacl_violations(graph, DCAT_AP_3) == []

    def test_a_dataset_without_a_score_has_no_measurement(self, app):
        (dataset,) = made_datasets(1)
        _unscored(dataset["id"])

        graph = _turtle(app, f"/dataset/{dataset['id']}.ttl")

        assert not list(graph.triples((None, DQV.hasQualityMeasurement, None)))
        assert not list(graph.triples((None, RDF.type, DQV.Metric)))

    def test_parsing_ignores_measurements(self, app):
        datasets = made_datasets(1)
        conformance_job.vndata_quality_judge([datasets[0]["id"]])
        parser = RDFParser(profiles=["vn_dcat_ap", "vn_dqv"])
        parser.parse(app.get(f"/dataset/{datasets[0]['id']}.ttl").body, "turtle")
        (parsed,) = list(parser.datasets())

        assert parsed["title"] == datasets[0]["title"]
        assert not any("quality" in key or "dqv" in key for key in parsed)
