"""Each dataset's rating and points in the search index, and the rating facet.

CKAN's Solr schema (ckan/config/solr/schema.xml) has no integer dynamic field: a field
of ours falls to the catch-all ``*``, an indexed single-valued string. That suits the
rating (a facet is a string field). The points are indexed as three digits ("087",
"287"), so sorting the string (``sort=vndata_quality_points desc``) sorts the numbers;
``extras_*`` would be tokenised text, which Solr can neither facet nor sort.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.vndata.quality.indicators import MAXIMUM, RATING_KEYS, RATINGS
from ckanext.vndata.quality.model import DatasetScore

RATING_FIELD = "vndata_quality_rating"
POINTS_FIELD = "vndata_quality_points"


def vndata_quality_rating_label(rating: str) -> str:
    """A rating's label in the reader's language ("Tốt"); empty for no rating."""
    labels = {key: label for key, _lowest, label in RATINGS}
    return tk._(labels[rating]) if rating in labels else ""


def index_score(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    """Add the dataset's stored rating and points to its Solr document (a dataset
    not scored yet gets neither, so the facet does not count it)."""
    found = (
        model.Session.query(DatasetScore.rating, DatasetScore.points)
        .filter(DatasetScore.package_id == pkg_dict.get("id"))
        .first()
    )
    if found:
        pkg_dict[RATING_FIELD] = found.rating
        pkg_dict[POINTS_FIELD] = f"{max(found.points, 0):03d}"
    return pkg_dict


def dataset_facets(facets: dict[str, Any]) -> dict[str, Any]:
    """The rating facet after the openness facet (they answer the same question: is
    this data usable?), or last where there is none."""
    ordered: dict[str, Any] = {}
    for key, title in facets.items():
        ordered[key] = title
        if key == "openness_stars":
            ordered[RATING_FIELD] = tk._("Metadata quality")
    ordered.setdefault(RATING_FIELD, tk._("Metadata quality"))
    return ordered


def label_facets(search_results: dict[str, Any]) -> dict[str, Any]:
    """The rating facet's items in the reader's language. (package_search sorts the
    items by label after this; the search page orders them, best first.)"""
    facet = (search_results.get("search_facets") or {}).get(RATING_FIELD)
    for item in (facet or {}).get("items", []):
        item["display_name"] = vndata_quality_rating_label(item["name"]) or item["name"]
    return search_results


def vndata_quality_facet_items(search_facets: Any) -> list[dict[str, Any]]:
    """The rating facet's items for the search page, best rating first: core's
    facet list sorts by count, which would put "bad" above "excellent"."""
    items = tk.h.get_facet_items_dict(RATING_FIELD, search_facets, limit=0)
    rank = {key: n for n, key in enumerate(RATING_KEYS)}
    return sorted(items, key=lambda i: rank.get(i["name"], len(rank)))


def vndata_quality_badge(package: Any) -> dict[str, Any] | None:
    """A search result's rating {rating, label, points, maximum}, None if not scored
    (the results carry the indexed dict, without the score; one primary-key read)."""
    package_id = package.get("id") if isinstance(package, dict) else None
    row = model.Session.get(DatasetScore, package_id) if package_id else None
    if row is None:
        return None
    return {
        "rating": row.rating,
        "label": vndata_quality_rating_label(row.rating),
        "points": row.points,
        "maximum": MAXIMUM,
    }
