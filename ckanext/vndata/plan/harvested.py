"""Plans harvested from provincial portals, written on the national portal.

The harvester (harvester layer) reads a plan record (the exchange dict of
plan/exchange.py, already validated) and hands it here with what it knows and this
layer must not import: the harvest source's id, the national organization it mapped
the publisher to, and ``resolve`` (a remote dataset reference to the national copy).

Identity is per source: (harvest source, the plan's series at the source). A record
whose version, content and resolved links are those already stored writes nothing. A
newer version is a new national row, published, and the previous one is superseded,
as the workflow does for a local revision. An item's key here is derived from the
source and the key the source gave it (national_key; the source's is kept as
Item.remote_key): stable across versions, so the dataset links (by key) carry over,
and no source can name, and so take, another source's or a local plan's item. The
keys are public in every province's plans, and were first-come: a hostile source
importing Đà Nẵng's new key first had Đà Nẵng's plan refused for good. A key used
by another series of the same source (or, against all odds, by a local plan) still
refuses the whole record.

The links are in plan/harvested_links.py; its link_waiting is re-exported here, so the
harvester calls this one module.
Harvested plans are read-only for every action (logic/action/_common.ensure_local):
only the functions of this module write them, through the model.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
import uuid
from typing import Any, NoReturn

import sqlalchemy as sa

import ckan.plugins.toolkit as tk
from ckan.model import meta

from ckanext.vndata.lib.dates import parse_date, utc_now
from ckanext.vndata.lib.ids import new_id
from ckanext.vndata.plan import fields, harvested_links
from ckanext.vndata.plan.harvested_links import Resolve, link_waiting
from ckanext.vndata.plan.model import Event, Item, Phase, Plan
from ckanext.vndata.plan.states import PlanStatus, Transition

__all__ = ["import_record", "link_waiting", "withdraw", "series_of_source"]

log = logging.getLogger(__name__)

# The event of a harvested version in the plan's history (states.EVENT_LABELS).
HARVEST_EVENT = "harvest"
ADDED, UPDATED, UNCHANGED = "added", "updated", "unchanged"
# What a value the record should not have had raises on its way to the database.
STORAGE_ERRORS = (
    tk.Invalid,
    ValueError,
    TypeError,
    KeyError,
    AttributeError,
    sa.exc.StatementError,
)


def fingerprint(record: dict[str, Any], organization_id: str) -> str:
    """The record's content (its ``modified`` stamp aside) and where it is filed."""
    content = {k: v for k, v in record.items() if k != "modified"}
    text = json.dumps(
        [content, organization_id], sort_keys=True, default=str, ensure_ascii=False
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# The unique index of (harvest source, series at the source, version) of the
# harvested plans (migration 9a4c6e1f2b58).
VERSION_INDEX = "ux_vndata_plan_harvested_version"
# The namespace of national_key (a fixed, random UUID: changing it re-keys every
# harvested item and orphans its links).
KEY_NAMESPACE = uuid.UUID("5b0d7d9e-3f64-4c1e-9a55-2f6c0b8e41a7")


def national_key(source_id: str, remote_key: str) -> str:
    """The key here of the item the source ``source_id`` keys ``remote_key``."""
    return str(uuid.uuid5(KEY_NAMESPACE, f"{source_id}\x00{remote_key}"))


def _keyed(record: dict[str, Any], source_id: str) -> dict[str, Any]:
    """The record with its items under their national keys (``remote_key``: the
    source's)."""
    items = [
        {**item, "key": national_key(source_id, item["key"]), "remote_key": item["key"]}
        for item in record["items"]
    ]
    return {**record, "items": items}


def latest(source_id: str, series_id: str) -> Plan | None:
    """The newest national version of the source's plan series, if any."""
    return (
        meta.Session.query(Plan)
        .filter(Plan.harvest_source_id == source_id, Plan.remote_series_id == series_id)
        .order_by(Plan.version.desc())
        .first()
    )


def _refuse(field: str, message: str) -> NoReturn:
    raise tk.ValidationError({field: [message]})


def _check_keys(record: dict[str, Any], source_id: str) -> list[str]:
    """The record's (national) item keys, refused if repeated or used by another
    plan series: another series of this source (the same source key), or, against
    all odds, a local plan."""
    keys = [item["key"] for item in record["items"]]
    if len(set(keys)) != len(keys):
        _refuse("items", tk._("The plan lists the same item key more than once."))
    if not keys:
        return keys
    owners = (
        meta.Session.query(Item.key)
        .join(Plan, Plan.id == Item.plan_id)
        .filter(Item.key.in_(keys))
        .filter(
            sa.or_(
                Plan.harvest_source_id.is_(None),
                Plan.harvest_source_id != source_id,
                Plan.remote_series_id != record["series_id"],
            )
        )
        .distinct()
    )
    remote = {
        item["key"]: item.get("remote_key", item["key"]) for item in record["items"]
    }
    taken = sorted(remote[key] for (key,) in owners)
    if taken:
        _refuse(
            "items",
            tk._(
                "Items {keys} belong to the plan of another agency or source; "
                "this plan was not imported."
            ).format(keys=", ".join(taken[:5])),
        )
    return keys


def _value(column: sa.Column, value: Any) -> Any:
    """A record's value (JSON: text, number, ISO date, list) as the column keeps it."""
    if value is None or value == [] or value == "":
        return None
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(column.type, sa.Date) and not isinstance(value, datetime.date):
        return parse_date(value)
    return value


def _fill(row: Any, values: dict[str, Any], keys: tuple[str, ...]) -> None:
    columns = row.__table__.columns
    for key in keys:
        if key in columns and key != "id":
            setattr(row, key, _value(columns[key], values.get(key)))


def _write_parts(plan: Plan, record: dict[str, Any]) -> None:
    """The record's phases and items, in place of the plan's own."""
    meta.Session.query(Item).filter(Item.plan_id == plan.id).delete(
        synchronize_session=False
    )
    meta.Session.query(Phase).filter(Phase.plan_id == plan.id).delete(
        synchronize_session=False
    )
    phase_ids: dict[Any, str] = {}
    phase_keys = ("position", *(f.key for f in fields.PHASE))
    ordered = sorted(record["phases"], key=lambda p: p.get("position") or 0)
    for position, remote in enumerate(ordered):
        phase = Phase(id=new_id(), plan_id=plan.id)
        _fill(phase, {**remote, "position": position}, phase_keys)
        phase_ids[remote.get("id")] = phase.id
        meta.Session.add(phase)
    meta.Session.flush()
    item_keys = tuple(f.key for f in fields.ITEM if f.key != "phase_id")
    for remote in record["items"]:
        item = Item(
            id=new_id(),
            plan_id=plan.id,
            key=remote["key"],
            remote_key=remote["remote_key"],
        )
        _fill(item, remote, item_keys)
        item.phase_id = phase_ids.get(remote.get("phase_id"))
        item.importance_class = item.importance_class or "khac"
        meta.Session.add(item)
    meta.Session.flush()


def import_record(
    record: dict[str, Any],
    *,
    source_id: str,
    organization_id: str,
    resolve: Resolve,
) -> str:
    """Write a plan record harvested from ``source_id``, all or nothing.

    :param record: a published plan record, validated by exchange.validate_record
    :param source_id: the harvest source (its package id)
    :param organization_id: the national organization the plan belongs to
    :param resolve: a remote dataset ref ({"id", "name", "uri"}) to the national
        package id, or None when that dataset is not harvested (yet)
    :returns: "added", "updated" or "unchanged" (nothing written)
    :raises: ValidationError (Vietnamese) when the record would take items of
        another agency's plan, is older than the version already harvested, or has
        a value that cannot be stored
    """
    try:
        # One savepoint around reads and writes: whatever fails midway (a refusal,
        # a value the database refuses), nothing is written and the caller's
        # transaction stays usable.
        with meta.Session.begin_nested():
            _lock_series(source_id, record["series_id"])
            result = _import(record, source_id, organization_id, resolve)
    except STORAGE_ERRORS as error:
        if _written_twice(error):
            # Another import wrote this version although the lock should have made
            # this one wait (the unique index is the second guard).
            log.warning("Plan record of source %s written twice: %r", source_id, error)
            _refuse(
                "version",
                tk._(
                    "Version {version} of this plan was imported by another harvest "
                    "at the same time; it was not imported twice."
                ).format(version=record["version"]),
            )
        # validate_record lets through only what fits; this is the second guard, so
        # a record that slipped through is refused whole, never stored in part.
        log.warning("Plan record of source %s refused: %r", source_id, error)
        _refuse(
            "record",
            tk._(
                "The plan record has a value this portal cannot store: {error}"
            ).format(error=getattr(error, "error", None) or type(error).__name__),
        )
    if result != UNCHANGED:
        meta.Session.commit()
    return result


def _written_twice(error: Exception) -> bool:
    """Whether ``error`` is the unique index of a source's series version."""
    diag = getattr(getattr(error, "orig", None), "diag", None)
    return getattr(diag, "constraint_name", None) == VERSION_INDEX


def _lock_series(source_id: str, series_id: str) -> None:
    """Wait until no other transaction imports the source's series, and keep it so
    until this transaction ends.

    A harvest run from the CLI while the scheduler re-sent the same objects to the
    fetch consumer read latest() in both, saw no row and wrote two published plans of
    one version. A PostgreSQL transaction-level advisory lock (released at commit or
    rollback, savepoint or not) makes the second read the first's row: "unchanged".
    """
    name = json.dumps(["vndata_plan_harvest", source_id, series_id]).encode("utf-8")
    lock = int.from_bytes(hashlib.sha256(name).digest()[:8], "big", signed=True)
    meta.Session.execute(sa.text("SELECT pg_advisory_xact_lock(:lock)"), {"lock": lock})


def _import(
    record: dict[str, Any], source_id: str, organization_id: str, resolve: Resolve
) -> str:
    current = latest(source_id, record["series_id"])
    if current is not None and record["version"] < current.version:
        _refuse(
            "version",
            tk._(
                "Version {version} is older than version {current} already "
                "harvested; it was not imported."
            ).format(version=record["version"], current=current.version),
        )
    stamp = fingerprint(record, organization_id)
    record = _keyed(record, source_id)
    keys = _check_keys(record, source_id)
    links = harvested_links.wanted(record, resolve)
    if (
        current is not None
        and current.version == record["version"]
        and current.status == PlanStatus.PUBLISHED
        and current.fingerprint == stamp
        and harvested_links.unchanged(source_id, keys, links)
    ):
        return UNCHANGED
    return _write(record, current, source_id, organization_id, stamp, keys, links)


def _write(
    record: dict[str, Any],
    current: Plan | None,
    source_id: str,
    organization_id: str,
    stamp: str,
    keys: list[str],
    links: harvested_links.Links,
) -> str:
    """The record as the newest national version (a new row for a new version)."""
    if current is not None and current.version == record["version"]:
        plan, previous, result = current, current.status, UPDATED
    else:
        plan = Plan(
            id=new_id(),
            series_id=current.series_id if current else new_id(),
            creator_user_id=None,
        )
        meta.Session.add(plan)
        previous, result = None, (UPDATED if current else ADDED)
    _fill(plan, record, tuple(f.key for f in fields.PLAN))
    plan.review_interval_months = plan.review_interval_months or 6
    plan.schedule_next_review()
    plan.version = record["version"]
    plan.organization_id = organization_id
    plan.status = PlanStatus.PUBLISHED
    plan.harvest_source_id = source_id
    plan.remote_id = record["id"]
    plan.remote_series_id = record["series_id"]
    plan.remote_url = record.get("url")
    publisher = record.get("organization") or {}
    plan.remote_publisher = publisher.get("title") or publisher.get("name")
    plan.remote_publisher_code = publisher.get("agency_code")
    plan.fingerprint = stamp
    plan.harvested_at = plan.modified = utc_now()
    Event.record(plan, HARVEST_EVENT, previous)
    for older in meta.Session.query(Plan).filter(
        Plan.series_id == plan.series_id,
        Plan.id != plan.id,
        Plan.status == PlanStatus.PUBLISHED,
    ):
        older.status = PlanStatus.SUPERSEDED
        Event.record(older, Transition.SUPERSEDE, PlanStatus.PUBLISHED)
    _write_parts(plan, record)
    harvested_links.write(source_id, keys, links)
    meta.Session.flush()
    return result


def withdraw(source_id: str, series_id: str) -> bool:
    """The source no longer publishes the plan: its national version is withdrawn.

    The plan, its history and its links are kept; links still waiting are dropped.

    :returns: True if a published plan was withdrawn, False if there was none
    """
    plan = latest(source_id, series_id)
    if plan is None or plan.status != PlanStatus.PUBLISHED:
        return False
    plan.status = PlanStatus.WITHDRAWN
    plan.modified = utc_now()
    Event.record(plan, Transition.WITHDRAW, PlanStatus.PUBLISHED)
    keys = [key for (key,) in meta.Session.query(Item.key).filter_by(plan_id=plan.id)]
    harvested_links.drop_waiting(source_id, keys)
    meta.Session.commit()
    return True


def series_of_source(source_id: str) -> dict[str, str]:
    """The source's plan series published here: {series id at the source: plan id}."""
    rows = meta.Session.query(Plan.remote_series_id, Plan.id).filter(
        Plan.harvest_source_id == source_id, Plan.status == PlanStatus.PUBLISHED
    )
    return {series: plan_id for series, plan_id in rows}


def series_counts(source_ids: list[str]) -> dict[str, int]:
    """Per source, how many series series_of_source gives (the harvest overview's
    plans, for all its sources in one query)."""
    rows = meta.Session.query(Plan.harvest_source_id, Plan.remote_series_id).filter(
        Plan.harvest_source_id.in_(source_ids), Plan.status == PlanStatus.PUBLISHED
    )
    series: dict[str, set] = {}
    for source_id, remote in rows:
        series.setdefault(source_id, set()).add(remote)
    return {source_id: len(found) for source_id, found in series.items()}
