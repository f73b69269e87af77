"""Vietnamese facets, sector indexing and accent-aware ranking on CKAN's Solr schema.

CKAN's ``text`` field folds accents (ASCIIFoldingFilter), so "du lieu" already finds
"dữ liệu". Folding alone would rank "Đa Năng" like "Đà Nẵng" for the query "Đà Nẵng";
``title_ngram`` keeps the accents, so matching it as well ranks the exact form first
without changing CKAN's schema.
"""

from __future__ import annotations

import json
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.vndata.metadata import helpers

SECTOR_INDEX_FIELD = "vocab_vndata_sector"
CKAN_QUERY_FIELDS = "name^4 title^4 tags^2 groups^2 text"
ACCENTED_QUERY_FIELDS = CKAN_QUERY_FIELDS + " title_ngram^2"


def facet_titles() -> dict[str, str]:
    return {
        "organization": tk._("Agencies"),
        "province_code": tk._("Provinces"),
        SECTOR_INDEX_FIELD: tk._("Sectors"),
        "openness_stars": tk._("Openness"),
        "update_frequency": tk._("Update frequency"),
        "tags": tk._("Keywords"),
        "res_format": tk._("Formats"),
        "license_id": tk._("Licences"),
    }


def dataset_facets(facets: dict[str, Any]) -> dict[str, Any]:
    """Agency, province, sector, openness and frequency first, then CKAN's own."""
    titles = facet_titles()
    ordered = {key: titles[key] for key in titles}
    for key, title in facets.items():
        ordered.setdefault(key, title)
    return ordered


def index_sectors(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    """Index the sectors as a multi-valued string field, which Solr can facet on."""
    raw = pkg_dict.get("sectors")
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            raw = [raw]
    if raw:
        pkg_dict[SECTOR_INDEX_FIELD] = list(raw)
    pkg_dict.pop("sectors", None)
    return pkg_dict


# Solr refuses a document whose untokenised (string) field holds a term over 32766
# bytes ("immense term"): the whole dataset would go unindexed.
MAX_STRING_BYTES = 32_000


# The fields CKAN's schema.xml declares (left as CKAN indexes them); every other field
# falls to its catch-all dynamic field, an untokenised string.
DECLARED = frozenset(
    """index_id id site_id title title_ngram entity_type dataset_type state name
    name_ngram revision_id version url ckan_url download_url notes author author_email
    maintainer maintainer_email license license_id tags groups organization capacity
    permission_labels res_name res_description res_format res_url res_type text urls
    depends_on dependency_of derives_from has_derivation links_to linked_from child_of
    parent_of metadata_created metadata_modified indexed_ts title_string data_dict
    validated_data_dict""".split()
)


def drop_immense_extras(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    """No untokenised field holds a value too long for Solr. CKAN indexes each free
    extra twice, as ``extras_<key>`` (text) and under its own name (a string); a
    schema field (harvest notes, translations) only under its own name. A long value
    keeps, or moves to, its ``extras_`` text copy, which searches still find."""
    for key, value in list(pkg_dict.items()):
        if (
            key in DECLARED
            or key.startswith(("extras_", "res_extras_"))
            or not isinstance(value, str)
            or len(value.encode("utf-8", "replace")) <= MAX_STRING_BYTES
        ):
            continue
        del pkg_dict[key]
        pkg_dict.setdefault(f"extras_{key}", value)
    return pkg_dict


def _has_accents(query: str) -> bool:
    return any(ord(c) > 127 for c in query)


def rank_accented_queries(search_params: dict[str, Any]) -> dict[str, Any]:
    """For a plain accented query, also match the accent-keeping title field."""
    query = search_params.get("q") or ""
    if ":" in query or "qf" in search_params or not _has_accents(query):
        return search_params
    search_params["qf"] = ACCENTED_QUERY_FIELDS
    return search_params


_FACET_LABELS = {
    "province_code": helpers.vndata_province_name,
    SECTOR_INDEX_FIELD: lambda value: helpers.vndata_term_label("sectors", value),
    "update_frequency": lambda value: helpers.vndata_term_label(
        "update_frequency", value
    ),
    "openness_stars": helpers.vndata_stars_label,
}


def label_facets(search_results: dict[str, Any]) -> dict[str, Any]:
    """Show names in the user's language instead of codes in the facet lists."""
    for field, label in _FACET_LABELS.items():
        facet = search_results.get("search_facets", {}).get(field)
        if not facet:
            continue
        for item in facet.get("items", []):
            item["display_name"] = label(item["name"])
    return search_results


def vndata_filter_labels(fields_grouped: Any) -> dict[tuple[str, str], str]:
    """The active filters' pills, labelled: core falls back to the code when the
    value is not among the facet's items (a sector no dataset has yet, reached from
    the home page's sector list); core's templates read these as
    ``translated_fields``."""
    if not isinstance(fields_grouped, dict):
        return {}
    return {
        (field, value): _FACET_LABELS[field](value)
        for field, values in fields_grouped.items()
        if field in _FACET_LABELS
        for value in values
    }
