"""What the harvest pages show for ckanext-harvest's codes: harvester types,
frequencies and job statuses, in the user's language.

ckanext-harvest shows its codes raw in places (the facets of /harvest list
``MANUAL`` and ``vndata_dcat``; a job's badge says ``Running``) and our harvesters'
``info()`` titles are read outside requests too (the queue consumers), where they
cannot be translated: the pages ask here instead.
"""

from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.vndata.lib.i18n import N_

# Our harvester types, as the operator reads them.
TYPE_TITLES = {
    "vndata_dcat": N_("DCAT catalogue (Vietnam)"),
    "vndata_ckan": N_("CKAN API (Vietnam)"),
    "vndata_json": N_("JSON API (Vietnam)"),
}
TYPE_DESCRIPTIONS = {
    "vndata_dcat": N_(
        "Harvests a provincial or ministry portal's DCAT RDF, Turtle or JSON-LD "
        "catalogue, read with the Vietnamese DCAT-AP profile."
    ),
    "vndata_ckan": N_(
        "Harvests a provincial or ministry portal that runs CKAN (API v3)."
    ),
    "vndata_json": N_(
        "Harvests a portal or a data-sharing gateway with a JSON API of its own, "
        "described in the source's config (paging, login, JMESPath mapping)."
    ),
}
# ckanext-harvest's job statuses (HarvestJob.status).
JOB_STATUSES = {
    "New": N_("Waiting to run"),
    "Running": N_("Running"),
    "Finished": N_("Finished"),
    "Aborted": N_("Stopped"),
}


def harvester_title(name: str, fallback: str | None = None) -> str:
    """A harvester type's title (another extension's: its own ``info()`` title)."""
    if name in TYPE_TITLES:
        return tk._(TYPE_TITLES[name])
    return fallback or name


def harvester_description(name: str, fallback: str = "") -> str:
    return tk._(TYPE_DESCRIPTIONS[name]) if name in TYPE_DESCRIPTIONS else fallback


def frequency(code: str) -> str:
    """MANUAL → "Manual", in the user's language, as ckanext-harvest's form says it
    (``harvest_frequencies``: its msgid is the code in title case)."""
    return tk._(code.title()) if isinstance(code, str) else code


def job_status(status: str | None) -> str:
    if status in JOB_STATUSES:
        return tk._(JOB_STATUSES[status])
    return status or ""


def label_facets(search_results: dict) -> dict:
    """The source search's facets with labels instead of codes."""
    facets = search_results.get("search_facets") or {}
    for field, label in (("frequency", frequency), ("source_type", harvester_title)):
        for item in (facets.get(field) or {}).get("items") or []:
            item["display_name"] = label(item.get("name"))
    return search_results
