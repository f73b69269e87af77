"""The portal's home page and main menu: what the catalogue holds by sector and by
province, its newest and its most-used datasets, and the menu every page shows.

The plan figures and the plans' menu entries belong to ``vndata_plan``; this layer
must not import it, so the home page includes its snippet only when that plugin is
loaded, and the menu asks for the ``vndata_*_menu`` helpers other plugins provide.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.vndata.lib import admin_units, vocabularies
from ckanext.vndata.metadata import helpers
from ckanext.vndata.metadata.search import SECTOR_INDEX_FIELD

# How many datasets each of the home page's two lists shows.
LISTED = 6

# The helpers of other plugins that add entries to the main menu, in menu order.
MENU_HELPERS = ("vndata_plan_menu",)


def _search(**data: Any) -> dict[str, Any]:
    """package_search over what anyone may read: the home page is the same for every
    reader (a logged-in officer sees their drafts in the search page, not here)."""
    context = {"user": ""}  # anonymous: the permission labels of publication.py apply
    data = {"q": "*:*", "include_private": False, "include_drafts": False, **data}
    return tk.get_action("package_search")(context, data)


def _counts(found: dict[str, Any], field: str) -> dict[str, int]:
    return dict(found.get("facets", {}).get(field) or {})


def _tile(field: str, value: str, label: str, counts: dict[str, int]) -> dict:
    """One link of a home page grid: the search faceted by ``field``."""
    return {
        "field": field,
        "value": value,
        "label": label,
        "count": counts.get(value, 0),
    }


def vndata_home_catalogue() -> dict[str, Any]:
    """What the public catalogue holds: the number of datasets and of agencies that
    publish them, each of the 12 sectors and of the 34 provinces with its number of
    datasets (none left out for having none), and the newest datasets."""
    found = _search(
        rows=LISTED,
        sort="metadata_created desc",
        **{
            "facet.field": [SECTOR_INDEX_FIELD, "province_code", "organization"],
            "facet.limit": -1,
            "facet.mincount": 1,
        },
    )
    sectors = _counts(found, SECTOR_INDEX_FIELD)
    provinces = _counts(found, "province_code")
    return {
        "datasets": found["count"],
        "agencies": len(_counts(found, "organization")),
        "sectors": [
            _tile(
                SECTOR_INDEX_FIELD,
                term.value,
                helpers.vndata_term_label("sectors", term.value),
                sectors,
            )
            for term in vocabularies.SECTORS
        ],
        "provinces": [
            _tile("province_code", code, name, provinces)
            for code, name in admin_units.provinces().items()
        ],
        "newest": found["results"],
    }


def vndata_home_most_used() -> dict[str, Any]:
    """The most-used datasets, and what "most used" means here: the most viewed over
    the last two weeks when CKAN's page-view tracking is on; without it the portal
    counts no use at all, so the list is the most recently updated, and says so."""
    if p.plugin_loaded("tracking"):
        sort, title = "views_recent desc", tk._("Most viewed in the last 14 days")
    else:
        sort, title = "metadata_modified desc", tk._("Recently updated")
    return {"title": title, "datasets": _search(rows=LISTED, sort=sort)["results"]}


def vndata_home_shows_provinces() -> bool:
    """The province grid: on the national and ministry portals (a provincial portal's
    datasets are all of its one province)."""
    return helpers.vndata_portal_level() != "province"


def vndata_main_menu() -> list[tuple]:
    """The main menu's entries for ``h.build_nav_main``: datasets, organizations, then
    the entries of the other vndata plugins that are loaded (plans, dashboard)."""
    entries: list[tuple] = [
        ("dataset.search", tk._("Datasets"), ["dataset", "resource"]),
        ("organization.index", tk._("Organizations"), ["organization"]),
    ]
    for name in MENU_HELPERS:
        more = tk.h.get(name)
        if more:
            entries.extend(more())
    return entries
