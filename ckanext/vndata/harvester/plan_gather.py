"""The open-data plans of a source, gathered after its datasets by both harvesters.

A national portal that runs vndata_plan harvests the plans a provincial or ministry
portal publishes (the source's ``plans`` config, default true). Each plan series the
source publishes becomes one harvest object, guid ``vndata-plan:<series id>``, marked
identity.KIND = PLAN, holding its plan record (plan/exchange.py); the import stage
(plan_import.py) writes it. So plans get the bookkeeping of datasets: one object per
record and run, change detection, errors on the record, job report counts, and a
series the source no longer publishes is withdrawn by the source's deletion rules
(deletion.py), only after the source's plans were read whole.
"""

from __future__ import annotations

import datetime
import json
import logging
from typing import Any, Callable

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan import model
from ckanext.harvest.model import HarvestObject, HarvestObjectExtra

from ckanext.vndata.harvester import deletion, identity, plan_reading
from ckanext.vndata.harvester.job_state import VndataHarvestJob
from ckanext.vndata.harvester.rdf_reading import describe
from ckanext.vndata.lib.text import storable

log = logging.getLogger(__name__)

GUID_PREFIX = "vndata-plan:"
MAX_SERIES_CHARS = 100  # the plan layer's ids are 36 characters


def action_api_plans(
    harvester, harvest_job, job: VndataHarvestJob, base_url: str
) -> list[str]:
    """The plan objects of a ``vndata_ckan`` source (its Action API)."""
    return _gather(
        harvester,
        harvest_job,
        job,
        lambda: plan_reading.from_action_api(job, base_url),
    )


def index_plans(harvester, harvest_job, job: VndataHarvestJob) -> list[str]:
    """The plan objects of a ``vndata_dcat`` source: its ``plans_url``, else the
    plans index its catalogue advertises (dcat_rdf.py notes it while reading)."""
    index_url = job.config.get("plans_url") or job.pages.plans_index
    source_url = harvest_job.source.url
    return _gather(
        harvester,
        harvest_job,
        job,
        lambda: plan_reading.from_index(job, index_url, source_url),
    )


def enabled(config: dict[str, Any]) -> bool:
    """Plans are harvested when the source wants them and the portal keeps plans."""
    return bool(config["plans"]) and p.plugin_loaded("vndata_plan")


def series_of(harvest_object: HarvestObject) -> str:
    return harvest_object.guid.removeprefix(GUID_PREFIX)


def _gather(harvester, harvest_job, job: VndataHarvestJob, read: Callable) -> list[str]:
    if not enabled(job.config):
        return []
    try:
        records = read()
    except plan_reading.PlansUnreadable as error:
        harvester._save_gather_error(_unread(str(error)), harvest_job)
        return []
    except Exception as error:  # the exchange's readers, rdflib: never out
        log.error("Plans of job %s not read", harvest_job.id, exc_info=error)
        harvester._save_gather_error(_unread(describe(error)), harvest_job)
        return []
    if records is None:  # a portal without plans: nothing to say or withdraw
        return []
    chosen, listed, problems = _one_per_series(records)
    for message in problems:
        harvester._save_gather_error(message, harvest_job)
    object_ids = []
    for series_id, record in chosen.items():
        harvest_object = HarvestObject(
            guid=GUID_PREFIX + series_id,
            job=harvest_job,
            content=json.dumps(record, ensure_ascii=False),
            extras=[HarvestObjectExtra(key=identity.KIND, value=identity.PLAN)],
        )
        harvest_object.save()
        object_ids.append(harvest_object.id)
    if listed is None:  # a plan that names no series: nothing can be withdrawn
        return object_ids
    withdrawals, refusal = deletion.mark(
        harvest_job,
        [GUID_PREFIX + series_id for series_id in listed],
        job.config["deletion"],
        datetime.date.today(),
        plans=current_plans(job.source_id),
    )
    if refusal:
        harvester._save_gather_error(refusal, harvest_job)
    return object_ids + withdrawals


def _unread(reason: str) -> str:
    return tk._(
        "The plans of the source could not be read ({reason}); no plan was "
        "harvested or withdrawn."
    ).format(reason=reason)


def _one_per_series(
    records: list,
) -> tuple[dict[str, dict], set[str] | None, list[str]]:
    """The published records by series (a series' latest version); every series the
    source lists, also those of plans that could not be read (None when a record
    names no usable series, or reading ran out of time: then no series can be said to
    be gone); and what to report."""
    chosen: dict[str, dict] = {}
    listed: set[str] | None = set()
    problems = []
    withdrawing = True
    for position, record in enumerate(records, start=1):
        if not isinstance(record, dict) or record.get("status") != "published":
            continue  # drafts and plans under review never leave their portal
        series_id = record.get("series_id")
        if not (
            isinstance(series_id, str)
            and series_id.strip()
            and len(series_id) <= MAX_SERIES_CHARS
            and storable(series_id) == series_id
        ):
            listed = None
            problems.append(
                tk._(
                    "Plan {n} of the source has no usable series id; it was left "
                    "out, and no plan is withdrawn this run."
                ).format(n=position)
            )
            continue
        if listed is not None:
            listed.add(series_id)
        if record.get(plan_reading.OUT_OF_TIME):  # the rest was not even read
            withdrawing = False
        if plan_reading.UNREADABLE in record:  # listed, so kept, but not read
            problems.append(storable(str(record[plan_reading.UNREADABLE])))
            continue
        kept = chosen.get(series_id)
        if kept is None or _version(record) > _version(kept):
            chosen[series_id] = record
    return chosen, listed if withdrawing else None, problems


def _version(record: dict) -> int:
    version = record.get("version")
    return version if isinstance(version, int) and not isinstance(version, bool) else 0


def current_plans(source_id: str) -> dict[str, HarvestObject]:
    """The source's current plan objects by guid (what the national plans came from)."""
    query = (
        model.Session.query(HarvestObject)
        .join(HarvestObject.extras)
        .filter(HarvestObject.harvest_source_id == source_id)
        .filter(HarvestObject.current.is_(True))
        .filter(HarvestObjectExtra.key == identity.KIND)
        .filter(HarvestObjectExtra.value == identity.PLAN)
    )
    return {obj.guid: obj for obj in query}
