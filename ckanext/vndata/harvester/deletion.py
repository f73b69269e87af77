"""Withdrawing datasets that left a source's catalogue, safely.

A record missing from a run is first marked missing-since; it is withdrawn only once the
source's grace period has passed, and only when the run is trustworthy: it read every
page, listed at least one dataset, and the share of records missing stays under the
source's limit. Otherwise nothing is withdrawn and the job says why. The same rules
withdraw the open-data plans a source no longer publishes (plan_gather.py).
"""

from __future__ import annotations

import datetime

import ckan.plugins.toolkit as tk
from ckan import model
from ckanext.harvest.model import HarvestObject, HarvestObjectExtra

from ckanext.vndata.harvester import identity

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


def refusal(
    total: int, missing: int, listed: int, max_share: float, plans: bool = False
) -> str | None:
    """Why this run may not withdraw anything (None when it may)."""
    if total and not listed:
        if plans:
            return tk._("The source listed no published plan; no plan is withdrawn.")
        return tk._("The catalogue listed no dataset; nothing is withdrawn.")
    # A source publishes a handful of plan series, so a share alone would keep one
    # that left a list of fewer than 1/max_share series forever: one a run may go
    # (a broken list, naming none, is refused above).
    allowed = max(1, int(total * max_share)) if plans else total * max_share
    if total and missing > allowed:
        if plans:
            message = tk._(
                "{missing} of {total} plans are missing from the source, more than "
                "the limit of {limit:.0%}; no plan is withdrawn."
            )
        else:
            message = tk._(
                "{missing} of {total} datasets are missing from the catalogue, more "
                "than the limit of {limit:.0%}; nothing is withdrawn."
            )
        return message.format(missing=missing, total=total, limit=max_share)
    return None


def mark(
    harvest_job,
    guids_in_source: list[str],
    deletion: dict,
    today: datetime.date,
    plans: dict[str, HarvestObject] | None = None,
) -> tuple[list[str], str | None]:
    """Delete-objects for records missing past the grace period, or a refusal.

    ``plans``: the source's current plan objects by guid (plan_gather.py), withdrawn
    by the same rules instead of its datasets.
    """
    current = _current_objects(harvest_job.source.id) if plans is None else plans
    listed = set(guids_in_source)
    missing = [guid for guid in current if guid not in listed]
    for guid in listed & set(current):
        extra = _extra(current[guid])
        if extra is not None:  # back in the catalogue
            current[guid].extras.remove(extra)
            model.Session.delete(extra)
    reason = refusal(
        len(current),
        len(missing),
        len(listed),
        deletion["max_share"],
        plans is not None,
    )
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
        kind = identity.kind(obj)  # a plan's delete-object is a plan object
        kept = [HarvestObjectExtra(key=identity.KIND, value=kind)] if kind else []
        delete = HarvestObject(
            guid=guid,
            job=harvest_job,
            package_id=obj.package_id,
            extras=[HarvestObjectExtra(key="status", value="delete"), *kept],
        )
        obj.current = False
        delete.save()
        object_ids.append(delete.id)
    model.Session.commit()
    return object_ids, None
