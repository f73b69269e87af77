"""Which dataset a harvested record is, and whether it changed since the last run.

Identity is scoped to the harvest source: the same remote identifier in two provinces
makes two datasets. The record is found through this source's own earlier harvest
objects rather than a global ``guid`` extra (which a scheming schema does not keep).
A fingerprint of the record and of the source's config tells whether anything changed.
"""

from __future__ import annotations

import hashlib
import json

from ckan import model
from ckanext.harvest.model import HarvestObject

# Made by the harvester on each run, not by the source: left out of the fingerprint.
GENERATED_KEYS = ("name",)


def fingerprint(content: str | None, source_config: str | None) -> str:
    """What the source said about the record, and how the source is configured."""
    try:
        record = json.loads(content or "{}")
    except ValueError:
        record = {"unparsed": content}
    for key in GENERATED_KEYS:
        record.pop(key, None)
    digest = hashlib.sha256()
    digest.update(
        json.dumps(record, sort_keys=True, ensure_ascii=False).encode("utf-8")
    )
    digest.update(b"\0")
    digest.update((source_config or "").encode("utf-8"))
    return digest.hexdigest()


def previous_import(harvest_object: HarvestObject) -> HarvestObject | None:
    """This source's last successfully imported object with the same identifier."""
    return (
        model.Session.query(HarvestObject)
        .filter(HarvestObject.guid == harvest_object.guid)
        .filter(HarvestObject.harvest_source_id == harvest_object.harvest_source_id)
        .filter(HarvestObject.id != harvest_object.id)
        .filter(HarvestObject.package_id.isnot(None))
        .filter(HarvestObject.state == "COMPLETE")
        .order_by(HarvestObject.import_finished.desc().nullslast())
        .first()
    )


def live_package_id(previous: HarvestObject | None) -> str | None:
    if previous is None:
        return None
    package = model.Package.get(previous.package_id)
    return package.id if package is not None and package.state == "active" else None


def one_object_per_guid(object_ids: list[str] | None) -> list[str]:
    """A catalogue may list a record twice (pages shift while they are read); two
    objects with one guid, imported by two consumers at once, would make two datasets.
    The later ones are dropped before anything is queued."""
    object_ids = list(object_ids or [])
    guids = dict(
        model.Session.query(HarvestObject.id, HarvestObject.guid).filter(
            HarvestObject.id.in_(object_ids)
        )
    )
    kept, dropped, seen = [], [], set()
    for object_id in object_ids:
        if guids.get(object_id) in seen:
            dropped.append(object_id)
            continue
        seen.add(guids.get(object_id))
        kept.append(object_id)
    if dropped:
        model.Session.query(HarvestObject).filter(HarvestObject.id.in_(dropped)).delete(
            synchronize_session=False
        )
    model.Session.commit()
    return kept
