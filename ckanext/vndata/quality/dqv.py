"""Each dataset's stored MQA score in the catalogue, as W3C DQV: the RDF profile
``vn_dqv`` (``ckanext.dcat.rdf.profiles = vn_dcat_ap vn_dqv``).

For the five dimensions and the total, the dataset gets a ``dqv:hasQualityMeasurement``:
a ``dqv:QualityMeasurement`` of a metric (``dqv:isMeasurementOf``), its ``dqv:value``
and when it was computed (``prov:generatedAtTime``). The metrics are data.europa.eu's
own, the IRIs its MQA publishes in its SPARQL endpoint (piveau's vocabulary,
``https://piveau.eu/ns/voc#``: ``scoring`` for the total, ``findabilityScoring`` ... for
the dimensions), so a consumer reads our scores as it reads MQA's. A dataset not scored
yet gets no measurement. Parsing ignores them: a harvested score is the source's, not
ours (the harvester scores what it imports).
"""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from typing import Any

from rdflib import BNode, Literal, Namespace
from rdflib.namespace import PROV, RDF, XSD

from ckan import model
from ckanext.dcat.profiles import RDFProfile

from ckanext.vndata.quality.indicators import DIMENSIONS
from ckanext.vndata.quality.model import DatasetScore
from ckanext.vndata.quality.tally import Tally

DQV = Namespace("http://www.w3.org/ns/dqv#")
PV = Namespace("https://piveau.eu/ns/voc#")

# The total's metric; each dimension's: {dimension key: (metric, dimension)}.
TOTAL = PV.scoring
METRICS = {d.key: (PV[f"{d.key}Scoring"], PV[d.key]) for d in DIMENSIONS}


class VndataDQVProfile(RDFProfile):
    """``vn_dqv``: the stored score of each dataset as DQV measurements."""

    def __init__(self, graph, dataset_type="dataset", compatibility_mode=False):
        # RDFProfile's constructor looks up the scheming schema, for every dataset a
        # harvest parses; this profile reads no field of it.
        self.g = graph
        self.compatibility_mode = compatibility_mode

    def parse_dataset(self, dataset_dict: dict[str, Any], dataset_ref) -> dict:
        return dataset_dict

    def graph_from_dataset(self, dataset_dict: dict[str, Any], dataset_ref) -> None:
        row = model.Session.get(DatasetScore, dataset_dict.get("id") or "")
        if row is None:
            return
        tally = Tally.from_dict(json.loads(row.tally or "{}"))
        self.g.bind("dqv", DQV)
        self.g.bind("pv", PV)
        computed = _utc(row.computed)
        dimensions = tally.dimension_points()
        # The total in whole points as MQA shows it (and the page: row.points), each
        # dimension to the hundredth (a share of distributions passing is fractional).
        self._measure(dataset_ref, TOTAL, None, int(row.points), computed)
        for key, (metric, dimension) in METRICS.items():
            value = Decimal(str(round(dimensions[key], 2)))
            self._measure(dataset_ref, metric, dimension, value, computed)

    def _measure(self, dataset_ref, metric, dimension, value, computed) -> None:
        g = self.g
        g.add((metric, RDF.type, DQV.Metric))
        datatype = XSD.integer if isinstance(value, int) else XSD.decimal
        g.add((metric, DQV.expectedDataType, datatype))
        if dimension is not None:
            g.add((dimension, RDF.type, DQV.Dimension))
            g.add((metric, DQV.inDimension, dimension))
        measurement = BNode()
        g.add((dataset_ref, DQV.hasQualityMeasurement, measurement))
        g.add((measurement, RDF.type, DQV.QualityMeasurement))
        g.add((measurement, DQV.computedOn, dataset_ref))
        g.add((measurement, DQV.isMeasurementOf, metric))
        g.add((measurement, DQV.value, Literal(value, datatype=datatype)))
        if computed:
            g.add((measurement, PROV.generatedAtTime, Literal(computed)))


def _utc(moment: datetime.datetime | None) -> datetime.datetime | None:
    # The table keeps naive UTC times (model._now); the graph says which zone it is.
    if moment is None:
        return None
    return moment.replace(tzinfo=datetime.timezone.utc, microsecond=0)
