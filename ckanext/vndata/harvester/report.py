"""What harvest jobs did, per job and per province, for the national operators."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan import model
from ckanext.harvest.model import (
    HarvestGatherError,
    HarvestJob,
    HarvestObject,
    HarvestObjectError,
    HarvestObjectExtra,
    HarvestSource,
)

from ckanext.vndata.harvester import config as source_config
from ckanext.vndata.harvester import (
    config_keys,
    identity,
    language,
    page_cache,
)
from ckanext.vndata.harvester.plan_import import RESULT, RESULTS
from ckanext.vndata.harvester.quarantine import QUARANTINE
from ckanext.vndata.plan import harvested

VNDATA_TYPES = config_keys.ALL  # our harvester types
# ckanext-harvest's report_status, in the words of the Vietnamese report.
STATUS_NAMES = {
    "added": "added",
    "updated": "updated",
    "not modified": "unchanged",
    "deleted": "withdrawn",
    "errored": "errors",
}
COUNT_KEYS = (
    "added",
    "updated",
    "unchanged",
    "withdrawn",
    "quarantined",
    "errors",
    "warnings",
)
# Records that reached the portal (imported, confirmed unchanged or withdrawn).
DONE = ("added", "updated", "not modified", "deleted")
# What a job came to, worst first. "failed": the catalogue was not read whole, the job
# did not finish, or no record got through; "errors": some records were not imported;
# "review": records were held back, or imported with a message (ckanext-harvest's job
# page counts those as errors); "ok": none of these.
OUTCOMES = ("failed", "errors", "review", "ok")
# What a job did to the source's open-data plans (plan_gather.py), apart from datasets.
PLAN_COUNT_KEYS = (*RESULTS, "errors")


def _plan_objects(job_id: str):
    """The ids of the job's plan objects (counted apart from the datasets' records)."""
    return (
        sa.select(HarvestObjectExtra.harvest_object_id)
        .join(HarvestObject, HarvestObjectExtra.harvest_object_id == HarvestObject.id)
        .where(
            HarvestObject.harvest_job_id == job_id,
            HarvestObjectExtra.key == identity.KIND,
            HarvestObjectExtra.value == identity.PLAN,
        )
    )


def status_label(status: str | None) -> str:
    """A record's status (STATUS_NAMES' words) as the operator reads it."""
    labels = {
        "added": tk._("added"),
        "updated": tk._("updated"),
        "unchanged": tk._("unchanged"),
        "withdrawn": tk._("withdrawn"),
        "errors": tk._("not imported"),
        "quarantined": tk._("held for review"),
    }
    return labels.get(status or "", status or tk._("not imported"))


def _quarantined_ids(job_id: str) -> set[str]:
    rows = (
        model.Session.query(HarvestObject.id)
        .join(HarvestObject.extras)
        .filter(HarvestObject.harvest_job_id == job_id)
        .filter(HarvestObjectExtra.key == QUARANTINE)
    )
    return {row.id for row in rows}


def plan_counts(job_id: str) -> dict[str, int]:
    """Plans added, updated, unchanged, withdrawn, and not imported by the job."""
    counts = dict.fromkeys(PLAN_COUNT_KEYS, 0)
    results = (
        model.Session.query(HarvestObjectExtra.value, sa.func.count())
        .join(HarvestObject, HarvestObjectExtra.harvest_object_id == HarvestObject.id)
        .filter(HarvestObject.harvest_job_id == job_id)
        .filter(HarvestObjectExtra.key == RESULT)
        .group_by(HarvestObjectExtra.value)
    )
    for result, count in results:
        if result in counts:
            counts[result] = count
    counts["errors"] = (
        model.Session.query(sa.func.count(HarvestObject.id))
        .filter(HarvestObject.harvest_job_id == job_id)
        .filter(HarvestObject.state == "ERROR")
        .filter(HarvestObject.id.in_(_plan_objects(job_id)))
        .scalar()
    )
    return counts


def describe_plan_counts(counts: dict[str, int]) -> str:
    """A job's plan counts in one line, as the CLI and the job's page say them."""
    return tk._(
        "plans: added {added}, updated {updated}, unchanged {unchanged}, withdrawn "
        "{withdrawn}, errors {errors}"
    ).format(**counts)


def job_counts(job_id: str) -> dict[str, int]:
    counts = dict.fromkeys(COUNT_KEYS, 0)
    rows = (
        model.Session.query(HarvestObject.report_status, sa.func.count())
        .filter(HarvestObject.harvest_job_id == job_id)
        .filter(HarvestObject.id.notin_(_plan_objects(job_id)))
        .group_by(HarvestObject.report_status)
    )
    for status, count in rows:
        if status in STATUS_NAMES:
            counts[STATUS_NAMES[status]] += count
    held = len(_quarantined_ids(job_id) - _plan_ids(job_id))
    counts["quarantined"] = held
    counts["unchanged"] += page_cache.skipped_records(job_id)
    counts["errors"] = max(counts["errors"] - held, 0)
    counts["warnings"] = (
        model.Session.query(sa.func.count(sa.distinct(HarvestObject.id)))
        .join(HarvestObject.errors)
        .filter(HarvestObject.harvest_job_id == job_id)
        .filter(HarvestObject.report_status.in_(DONE))
        .filter(HarvestObject.id.notin_(_plan_objects(job_id)))
        .scalar()
    )
    return counts


def _plan_ids(job_id: str) -> set[str]:
    rows = model.Session.query(HarvestObject.id).filter(
        HarvestObject.harvest_job_id == job_id,
        HarvestObject.id.in_(_plan_objects(job_id)),
    )
    return {row.id for row in rows}


def outcome(status: str, counts: dict[str, int], gather_errors: int) -> str:
    """One of OUTCOMES for a job with these counts."""
    through = sum(counts[k] for k in ("added", "updated", "unchanged", "withdrawn"))
    if gather_errors or status not in ("Finished", "Running"):
        return "failed"
    if (counts["errors"] or counts["quarantined"]) and not through:
        return "failed"  # every record of the job failed or was held back
    if counts["errors"]:
        return "errors"
    if counts["quarantined"] or counts["warnings"]:
        return "review"
    return "ok"


def job_report(job: HarvestJob) -> dict[str, Any]:
    """Counts, gather errors and every record's messages of one job."""
    held = _quarantined_ids(job.id)
    messages: dict[str, dict[str, Any]] = {}
    rows = (
        model.Session.query(HarvestObjectError, HarvestObject)
        .join(HarvestObject, HarvestObjectError.harvest_object_id == HarvestObject.id)
        .filter(HarvestObject.harvest_job_id == job.id)
        .order_by(HarvestObjectError.created)
    )
    for error, obj in rows:
        record = messages.setdefault(
            obj.id,
            {
                "guid": obj.guid,
                "title": _record_title(obj),
                "package_id": obj.package_id,
                "status": "quarantined"
                if obj.id in held
                else STATUS_NAMES.get(obj.report_status or "", obj.report_status),
                "messages": [],
            },
        )
        record["messages"].append(error.message)
    gather_errors = [
        e.message
        for e in model.Session.query(HarvestGatherError)
        .filter(HarvestGatherError.harvest_job_id == job.id)
        .order_by(HarvestGatherError.created)
    ]
    counts, plans = job_counts(job.id), plan_counts(job.id)
    # A plan that was not imported is an error of the job like a dataset's.
    both = {**counts, **{k: counts[k] + plans[k] for k in PLAN_COUNT_KEYS}}
    result = outcome(job.status, both, len(gather_errors))
    return {
        "job_id": job.id,
        "source_id": job.source_id,
        "status": job.status,
        "gather_started": iso(job.gather_started),
        "finished": iso(job.finished),
        "counts": counts,
        "plan_counts": plans,
        "plans_here": plans_here(job.source_id),
        # the CLI and the overview print the plans line (reasons: gather errors)
        "has_plans": bool(any(plans.values()) or harvests_plans(job.source)),
        "gather_errors": gather_errors,
        "records": list(messages.values()),
        "outcome": result,
        "failed": result in ("failed", "errors"),
    }


def plans_here(source_id: str) -> int:
    """The source's plans published on this portal now (0 without vndata_plan)."""
    if not p.plugin_loaded("vndata_plan"):
        return 0
    return len(harvested.series_of_source(source_id))


def harvests_plans(source: HarvestSource | None) -> bool:
    """The source's plans are harvested (plan_gather.enabled): a job whose plans were
    all unreadable did nothing to a plan, yet its report must speak of plans."""
    if source is None or not p.plugin_loaded("vndata_plan"):
        return False
    try:
        return bool(source_config.parse(source.config)["plans"])
    except source_config.ConfigError:
        return False


def _record_title(obj: HarvestObject) -> str | None:
    """The record by its dataset's title here, else by the title it gives itself."""
    package = model.Package.get(obj.package_id) if obj.package_id else None
    return (package.title if package else None) or language.record_title(obj)


def iso(value) -> str | None:
    return value.isoformat() if value else None


def province_of(source: HarvestSource) -> str | None:
    try:
        return source_config.parse(source.config).get("province_code")
    except source_config.ConfigError:
        return None
