"""Withdrawing datasets that left a source's catalogue, safely.

A record missing from a run is first marked missing-since; it is withdrawn only once the
source's grace period has passed, and only when the run is trustworthy: it read every
page, listed at least one dataset, and the share of records missing stays under the
source's limit. Otherwise nothing is withdrawn and the job says why.
"""

from __future__ import annotations

import datetime

import ckan.plugins.toolkit as tk
from ckan import model
from ckanext.harvest.model import HarvestObject, HarvestObjectExtra

MISSING_SINCE = "vndata_missing_since"


def _current_objects(source_id: str) -> dict[str, HarvestObject]:
    query = (
        model.Session.query(HarvestObject)
        .filter(HarvestObject.current.is_(True))
        .filter(HarvestObject.harvest_source_id == source_id)
        .filter(HarvestObject.package_id.isnot(None))
    )
    return {obj.guid: obj for obj in query}


def _extra(obj: HarvestObject) -> HarvestObjectExtra | None:
    return next((e for e in obj.extras if e.key == MISSING_SINCE), None)


def refusal(total: int, missing: int, listed: int, max_share: float) -> str | None:
    """Why this run may not withdraw anything (None when it may)."""
    if total and not listed:
        return tk._("The catalogue listed no dataset; nothing is withdrawn.")
    if total and missing / total > max_share:
        return tk._(
            "{missing} of {total} datasets are missing from the catalogue, more than "
            "the limit of {limit:.0%}; nothing is withdrawn."
        ).format(missing=missing, total=total, limit=max_share)
    return None


def mark(
    harvest_job, guids_in_source: list[str], deletion: dict, today: datetime.date
) -> tuple[list[str], str | None]:
    """Delete-objects for records missing past the grace period, or a refusal."""
    current = _current_objects(harvest_job.source.id)
    listed = set(guids_in_source)
    missing = [guid for guid in current if guid not in listed]
    for guid in listed & set(current):
        extra = _extra(current[guid])
        if extra is not None:  # back in the catalogue
            current[guid].extras.remove(extra)
            model.Session.delete(extra)
    reason = refusal(len(current), len(missing), len(listed), deletion["max_share"])
    if reason:
        model.Session.commit()
        return [], reason
    object_ids = []
    for guid in missing:
        obj = current[guid]
        extra = _extra(obj)
        if extra is None:
            obj.extras.append(
                HarvestObjectExtra(key=MISSING_SINCE, value=today.isoformat())
            )
            continue
        since = datetime.date.fromisoformat(extra.value)
        if (today - since).days < deletion["grace_days"]:
            continue
        delete = HarvestObject(
            guid=guid,
            job=harvest_job,
            package_id=obj.package_id,
            extras=[HarvestObjectExtra(key="status", value="delete")],
        )
        obj.current = False
        delete.save()
        object_ids.append(delete.id)
    model.Session.commit()
    return object_ids, None
