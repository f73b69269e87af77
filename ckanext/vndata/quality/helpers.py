"""Template helpers of the dataset page, the search page, the organization page and
the harvest overview."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

import ckan.plugins.toolkit as tk

from ckanext.vndata.lib.script_json import vndata_script_json
from ckanext.vndata.metadata.helpers import vndata_format_date
from ckanext.vndata.quality import aggregate
from ckanext.vndata.quality.indicators import MAXIMUM
from ckanext.vndata.quality.search import vndata_quality_rating_label


def vndata_quality_of(package_id: Any) -> dict[str, Any] | None:
    """The dataset page's score (vndata_quality_show, as the reader); None when it
    cannot be read, so the page shows no block rather than an error."""
    try:
        return tk.get_action("vndata_quality_show")({}, {"id": package_id})
    except (tk.ObjectNotFound, tk.NotAuthorized, tk.ValidationError):
        return None


def vndata_quality_bar_width(points: float, maximum: int) -> int:
    """A dimension's bar, in percent of its maximum (0–100)."""
    if not maximum:
        return 0
    return max(0, min(100, round(100 * points / maximum)))


def vndata_quality_group(scope: str, group_id: str) -> dict[str, Any] | None:
    """An organization's or a source's quality (vndata_quality_summary, as the
    reader); None when it has no scored public dataset, so the page shows no block."""
    try:
        summary = tk.get_action("vndata_quality_summary")(
            {}, {"scope": scope, "id": group_id}
        )
    except (tk.ObjectNotFound, tk.NotAuthorized, tk.ValidationError):
        return None
    return summary if summary["datasets"] else None


def vndata_quality_trend_json(summary: dict[str, Any]) -> Markup:
    """The chart's figures, read by trend.js from a JSON block in the page: the days
    as the pages write them and the points of each."""
    data = {
        "labels": [vndata_format_date(day["day"]) for day in summary["history"]],
        "points": [day["points"] for day in summary["history"]],
        "maximum": MAXIMUM,
        "label": tk._("Points"),
    }
    return vndata_script_json(data)


def vndata_quality_by_source() -> dict[str, dict[str, Any]]:
    """{harvest source id: {points, rating, rating_label, datasets}} for the harvest
    overview's quality column."""
    return {
        source_id: {
            "points": tally.total(),
            "maximum": MAXIMUM,
            "rating": tally.rating(),
            "rating_label": vndata_quality_rating_label(tally.rating()),
            "datasets": tally.datasets,
        }
        for source_id, tally in aggregate.vndata_quality_by_source().items()
    }
