"""Template helpers of the dataset page and the search page."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk


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
