"""A group's score as the pages, the JSON and the CSV give it: an organization's, a
harvest source's or the nation's points, rating, dimensions and daily history.

Only public datasets count (aggregate.py), so the figures are public.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.vndata.metadata.helpers import vndata_format_date
from ckanext.vndata.quality import aggregate
from ckanext.vndata.quality.indicators import DIMENSIONS, MAXIMUM
from ckanext.vndata.quality.search import vndata_quality_rating_label
from ckanext.vndata.quality.tally import Tally

SCOPES = ("organization", "source", "nation")


def _dimensions(tally: Tally) -> list[dict[str, Any]]:
    points = tally.dimension_points()
    return [
        {
            "key": d.key,
            "label": tk._(d.label),
            "points": round(points[d.key], 1),
            "maximum": d.maximum,
        }
        for d in DIMENSIONS
    ]


def _current(scope: str, scope_id: str | None) -> Tally:
    if scope == "organization":
        return aggregate.vndata_quality_of_organizations([scope_id or ""])
    if scope == "source":
        return aggregate.vndata_quality_by_source().get(scope_id or "", Tally())
    return aggregate.vndata_quality_of_organizations(None)


def vndata_quality_group_summary(scope: str, scope_id: str | None) -> dict[str, Any]:
    """The score now of ``scope`` ("organization", "source" or "nation") ``scope_id``
    (None for the nation) and its history, one entry per day with a snapshot."""
    tally = _current(scope, scope_id)
    history_scope = "source" if scope == "source" else "organization"
    history = aggregate.vndata_quality_history(
        history_scope, None if scope == "nation" else [scope_id or ""]
    )
    return {
        "scope": scope,
        "id": scope_id,
        "datasets": tally.datasets,
        "points": tally.total(),
        "maximum": MAXIMUM,
        "rating": tally.rating(),
        "rating_label": vndata_quality_rating_label(tally.rating()),
        "dimensions": _dimensions(tally),
        "history": [
            {
                "day": day.isoformat(),
                "points": day_tally.total(),
                "rating": day_tally.rating(),
                "datasets": day_tally.datasets,
                "dimensions": {
                    key: round(value, 1)
                    for key, value in day_tally.dimension_points().items()
                },
            }
            for day, day_tally in history
        ],
    }


def vndata_quality_summary_csv(summary: dict[str, Any]) -> str:
    """The history as CSV a person can read (as the plans' CSV files): headers in the
    reader's language, dates as the pages show them, ratings by their label, one row
    per day; with a BOM, so spreadsheet software reads UTF-8."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(
        [tk._("Day"), tk._("Datasets"), tk._("Points"), tk._("Rating")]
        + [tk._(d.label) for d in DIMENSIONS]
    )
    for day in summary["history"]:
        writer.writerow(
            [vndata_format_date(day["day"]), day["datasets"], day["points"],
             vndata_quality_rating_label(day["rating"])]
            + [day["dimensions"][d.key] for d in DIMENSIONS]
        )  # fmt: skip
    return out.getvalue()
