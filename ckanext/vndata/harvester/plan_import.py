"""The import stage of a plan object (plan_gather.py), and the plans' links to the
datasets this source harvests.

A plan record is checked again (plan/exchange.py validate_record: a remote portal's
word), compared with the record its series was last imported from (identity.py's
fingerprint with the source's import basis: an unchanged plan is not even handed on),
given a national organization by the source's publisher rules, as its datasets are,
and written by the plan layer (plan/harvested.py), which links each item to the
national copies of the datasets that deliver it (``resolve``). A dataset harvested
after the plan that names it is linked when it is written (``link_waiting``).
"""

from __future__ import annotations

import functools
import json
import logging
from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan import model
from ckanext.harvest.model import HarvestObject, HarvestObjectExtra

from ckanext.vndata.harvester import (
    identity,
    language,
    plan_gather,
    quarantine,
    rules,
)
from ckanext.vndata.harvester.job_state import VndataHarvestJob
from ckanext.vndata.lib import url_safety
from ckanext.vndata.plan import exchange, harvested

log = logging.getLogger(__name__)

# What the import of a plan object came to, kept on it for the job's report
# (ckanext-harvest's report_status only knows datasets): one of RESULTS.
RESULT = "vndata_plan_result"
RESULTS = ("added", "updated", "unchanged", "withdrawn")
# A dataset's identifiers at its source that a plan's link may name it by.
REF_KEYS = ("id", "name", "uri", "identifier")


def import_plan(
    harvester, job: VndataHarvestJob, harvest_object: HarvestObject
) -> bool | str:
    """Write (or withdraw) the plan of ``harvest_object``; errors go on the object."""
    source_id = harvest_object.harvest_source_id
    series_id = plan_gather.series_of(harvest_object)
    if _status(harvest_object) == "delete":
        harvested.withdraw(source_id, series_id)
        _done(harvest_object, "withdrawn")
        return True
    title = None
    try:
        raw = json.loads(harvest_object.content or "")
        title = raw.get("title") if isinstance(raw, dict) else None
        record = own_address(exchange.validate_record(raw), harvest_object.source.url)
        if record.get("series_id") != series_id:
            raise tk.ValidationError(
                {"series_id": [tk._("The plan's series changed while it was read.")]}
            )
        basis = identity.basis(harvest_object.source)
        fingerprint = identity.fingerprint(record, basis)
        previous = _previous(harvest_object)
        if (
            previous is not None
            and identity.stored(previous) == fingerprint
            and series_id in harvested.series_of_source(source_id)
        ):
            identity.keep(harvest_object, fingerprint)
            _done(harvest_object, "unchanged")
            return "unchanged"  # nothing written, not even handed on
        organization_id = _organization(job, record, harvest_object)
        result = harvested.import_record(
            record,
            source_id=source_id,
            organization_id=organization_id,
            resolve=functools.partial(resolve, source_id),
        )
    except quarantine.Quarantined as held:
        model.Session.rollback()
        return harvester._vndata_quarantine(harvest_object, held.reason)
    except (ValueError, tk.ValidationError) as error:
        model.Session.rollback()  # nothing of the record is written
        errors = getattr(error, "error_dict", None) or {"": [str(error)]}
        harvester._save_object_error(
            language.invalid_plan(title, errors), harvest_object, "Import"
        )
        return False
    identity.keep(harvest_object, fingerprint)
    _done(harvest_object, result)
    return "unchanged" if result == "unchanged" else True


def own_address(record: dict[str, Any], source_url: str) -> dict[str, Any]:
    """The record without its address when that is not on the source's origin
    (scheme, host, port): the plan page links it as "the plan on its source portal",
    and a source must not pass another portal's plan off as its own."""
    url = record.get("url")
    if url and url_safety.origin(url) != url_safety.origin(source_url):
        record = {**record, "url": None}
    return record


def _status(harvest_object: HarvestObject) -> str | None:
    return next((e.value for e in harvest_object.extras if e.key == "status"), None)


def _previous(harvest_object: HarvestObject) -> HarvestObject | None:
    """The object the national plan of this series was last imported from."""
    return plan_gather.current_plans(harvest_object.harvest_source_id).get(
        harvest_object.guid
    )


def _done(harvest_object: HarvestObject, result: str) -> None:
    """The object becomes its series' current one (a withdrawal: none is), with what
    its import came to; committed with the plan layer's write."""
    harvest_object.extras.append(HarvestObjectExtra(key=RESULT, value=result))
    previous = _previous(harvest_object)
    if previous is not None and previous.id != harvest_object.id:
        previous.current = False
        previous.add()
    harvest_object.current = result != "withdrawn"
    harvest_object.add()
    model.Session.commit()


def _organization(
    job: VndataHarvestJob, record: dict[str, Any], harvest_object: HarvestObject
) -> str:
    """The national organization of the plan's publisher, by the rules that place the
    source's datasets (its title and agency code), else the source's own."""
    publisher = record.get("organization") or {}
    agency = {k: publisher[k] for k in ("title", "agency_code") if publisher.get(k)}
    chosen = rules.organization_for(agency, job.config, job.organizations)
    if not chosen:
        source = model.Package.get(harvest_object.source.id)
        chosen = source.owner_org if source else None
    group = model.Group.get(chosen) if chosen else None
    if group is None or not group.is_organization or group.state != "active":
        raise tk.ValidationError(
            {
                "organization": [
                    tk._(
                        "No organization of this portal publishes the plan: add a "
                        "publisher rule or a default organization to the source."
                    )
                ]
            }
        )
    return group.id


def resolve(source_id: str, ref: Any) -> str | None:
    """The national copy of a dataset a plan links to: the live dataset of this
    source's current record whose identifier is the link's URI, id or name."""
    if not isinstance(ref, dict):
        return None
    guids = [
        f"{source_id}/{ref[key]}"
        for key in ("uri", "id", "name")
        if isinstance(ref.get(key), str) and ref[key]
    ]
    if not guids:
        return None
    rows = dict(
        model.Session.query(HarvestObject.guid, HarvestObject.package_id)
        .join(model.Package, model.Package.id == HarvestObject.package_id)
        .filter(HarvestObject.harvest_source_id == source_id)
        .filter(HarvestObject.current.is_(True))
        .filter(HarvestObject.guid.in_(guids))
        .filter(model.Package.state == "active")
    )
    return next((rows[guid] for guid in guids if guid in rows), None)


def dataset_refs(harvest_object: HarvestObject) -> list[str]:
    """What the source knows a harvested dataset by: its guid, its identifier in the
    guid, and the record's id, name, URI and dct:identifier."""
    refs = [harvest_object.guid]
    prefix = f"{harvest_object.harvest_source_id}/"
    if harvest_object.guid.startswith(prefix):
        refs.append(harvest_object.guid.removeprefix(prefix))
    try:
        record = json.loads(harvest_object.content or "{}")
    except ValueError:
        record = {}
    if isinstance(record, dict):
        refs += [record[k] for k in REF_KEYS if isinstance(record.get(k), str)]
    return list(dict.fromkeys(ref for ref in refs if ref))


def link_waiting(harvest_object: HarvestObject, user: str) -> None:
    """Plan items of this source waiting for the dataset just written get their
    link. A failure here leaves the dataset written (it is logged)."""
    if not p.plugin_loaded("vndata_plan") or not harvest_object.package_id:
        return
    try:
        harvested.link_waiting(
            harvest_object.harvest_source_id,
            dataset_refs(harvest_object),
            lambda: tk.get_action("package_show")(
                {"ignore_auth": True, "user": user}, {"id": harvest_object.package_id}
            ),
        )
    except Exception:  # the dataset is in; its plan links come at the next run
        model.Session.rollback()
        log.exception("Waiting plan links of object %s", harvest_object.id)
