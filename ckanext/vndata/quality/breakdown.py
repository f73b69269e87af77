"""A stored score as the reader sees it: the rating, each dimension and indicator
with its points, and what to fix first, in the reader's language. The action
``vndata_quality_show`` returns it and the dataset page shows it."""

from __future__ import annotations

import json
from collections.abc import Collection
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.vndata.quality.indicators import DIMENSIONS, INDICATORS, MAXIMUM
from ckanext.vndata.quality.model import DatasetScore
from ckanext.vndata.quality.search import vndata_quality_rating_label
from ckanext.vndata.quality.tally import Tally

FIXES_SHOWN = 3  # the dataset page's "what to fix first"


def _points(value: float) -> float:
    """Points as shown: whole when whole (30), else one decimal (6.7)."""
    rounded = round(value, 1)
    return int(rounded) if rounded == int(rounded) else rounded


def vndata_quality_breakdown(
    row: DatasetScore, pending: Collection[str] = ()
) -> dict[str, Any]:
    """``pending``: the background checks (indicators.LINKS, CONFORMANCE) that have
    not judged the dataset yet; what they will judge is offered as no fix."""
    tally = Tally.from_dict(json.loads(row.tally))
    indicator_points = tally.indicator_points()
    dimension_points = tally.dimension_points()
    return {
        "points": row.points,
        "rating": row.rating,
        "rating_label": vndata_quality_rating_label(row.rating),
        "maximum": MAXIMUM,
        "dimensions": [
            {
                "key": d.key,
                "label": tk._(d.label),
                "points": _points(dimension_points[d.key]),
                "maximum": d.maximum,
            }
            for d in DIMENSIONS
        ],
        "indicators": [
            {
                "key": i.key,
                "label": tk._(i.label),
                "dimension": i.dimension,
                "weight": i.weight,
                "points": _points(indicator_points[i.key]),
                "passed": tally.counts.get(i.key, (0, 0))[0],
                "judged": tally.counts.get(i.key, (0, 0))[1],
            }
            for i in INDICATORS
        ],
        "fixes": [
            {"text": tk._(fix), "points": points}
            for fix, points in tally.fixes(pending)
            if points > 0
        ],
        "conformant": row.conformant,
        "computed": row.computed.isoformat() if row.computed else None,
    }
