"""The same dataset arriving from two sources: reported with both origins, not merged.

A record's global keys are the addresses that name it wherever it is published: its
DCAT URI, an identifier that is itself a URI, and for a CKAN API record the dataset's
address on that portal (which is also the URI ckanext-dcat gives it there). Plain
identifiers such as "truong-hoc" are not keys: two provinces may both use them for
different datasets. Each imported record keeps its keys on its harvest object; a key
already held by a current object of another source makes a duplicate.
"""

from __future__ import annotations

import json
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckanext.harvest.model import HarvestObject, HarvestObjectExtra, HarvestSource

from ckanext.vndata.harvester import language
from ckanext.vndata.lib.text import storable

SAME_AS = "vndata_same_as"
MAX_KEY_CHARS = 2000


def _extras(record: dict[str, Any]) -> dict[str, Any]:
    extras = record.get("extras") or []
    if isinstance(extras, list):
        return {e.get("key"): e.get("value") for e in extras if isinstance(e, dict)}
    return extras if isinstance(extras, dict) else {}


def keys_of(content: str | None, source_type: str, source_url: str) -> set[str]:
    try:
        record = json.loads(content or "{}")
    except ValueError:
        return set()
    if not isinstance(record, dict):
        return set()
    extras = _extras(record)
    candidates = [
        record.get("uri"),
        extras.get("uri"),
        record.get("identifier"),
        extras.get("identifier"),
    ]
    if source_type == "vndata_ckan" and record.get("id"):
        candidates.append(f"{source_url.rstrip('/')}/dataset/{record['id']}")
    return {
        str(value).rstrip("/")
        for value in candidates
        if isinstance(value, str)
        and value.startswith(("http://", "https://"))
        # A key is an address: one with what no address holds (a NUL) names nothing
        # and could not be stored.
        and storable(value) == value
        and len(value) <= MAX_KEY_CHARS
    }


def remembered(harvest_object: HarvestObject) -> set[str]:
    """The addresses an import remembered for the record."""
    return {e.value for e in harvest_object.extras if e.key == SAME_AS}


def remember(harvest_object: HarvestObject, keys: set[str]) -> None:
    held = remembered(harvest_object)
    for key in sorted(keys - held):
        harvest_object.extras.append(HarvestObjectExtra(key=SAME_AS, value=key))


def others(harvest_object: HarvestObject, keys: set[str]) -> list[HarvestObject]:
    """Current objects of other sources that carry one of ``keys``."""
    if not keys:
        return []
    return (
        model.Session.query(HarvestObject)
        .join(HarvestObject.extras)
        .filter(HarvestObjectExtra.key == SAME_AS)
        .filter(HarvestObjectExtra.value.in_(sorted(keys)))
        .filter(HarvestObject.current.is_(True))
        .filter(HarvestObject.harvest_source_id != harvest_object.harvest_source_id)
        .distinct()
        .all()
    )


def _source_title(source_id: str) -> str:
    """A source by its title, as its page shows it (its address if untitled)."""
    source = HarvestSource.get(source_id)
    dataset = model.Package.get(source_id)
    return (dataset.title if dataset else None) or (source.url if source else source_id)


def describe(harvest_object: HarvestObject, other: HarvestObject) -> str:
    return tk._(
        "Cross-source duplicate: the dataset {dataset} of the source {here} is also "
        "harvested from the source {there}, as the dataset {other_dataset}. Both "
        "are kept; remove it from one of the two sources."
    ).format(
        dataset=language.dataset_named(harvest_object.package_id),
        here=language.quoted(_source_title(harvest_object.harvest_source_id)),
        there=language.quoted(_source_title(other.harvest_source_id)),
        other_dataset=language.dataset_named(other.package_id),
    )


def duplicate_pairs() -> list[dict[str, Any]]:
    """Every key held by current objects of more than one source (the overview)."""
    rows = (
        model.Session.query(
            HarvestObjectExtra.value,
            HarvestObject.harvest_source_id,
            HarvestObject.package_id,
        )
        .join(HarvestObject, HarvestObjectExtra.harvest_object_id == HarvestObject.id)
        .filter(HarvestObjectExtra.key == SAME_AS)
        .filter(HarvestObject.current.is_(True))
        .order_by(HarvestObjectExtra.value)
        .all()
    )
    by_key: dict[str, dict[str, str]] = {}
    for key, source_id, package_id in rows:
        by_key.setdefault(key, {})[source_id] = package_id
    return [
        {
            "key": key,
            "origins": [
                {"source_id": source_id, "package_id": package_id}
                for source_id, package_id in sorted(origins.items())
            ],
        }
        for key, origins in by_key.items()
        if len(origins) > 1
    ]
