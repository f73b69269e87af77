"""What harvest jobs did, per job and per province, for the national operators."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

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
from ckanext.vndata.harvester import duplicates, pages
from ckanext.vndata.harvester.records import QUARANTINE

VNDATA_TYPES = ("vndata_dcat", "vndata_ckan")
# ckanext-harvest's report_status, in the words of the Vietnamese report.
STATUS_NAMES = {
    "added": "added",
    "updated": "updated",
    "not modified": "unchanged",
    "deleted": "withdrawn",
    "errored": "errors",
}
COUNT_KEYS = ("added", "updated", "unchanged", "withdrawn", "quarantined", "errors")


def _quarantined_ids(job_id: str) -> set[str]:
    rows = (
        model.Session.query(HarvestObject.id)
        .join(HarvestObject.extras)
        .filter(HarvestObject.harvest_job_id == job_id)
        .filter(HarvestObjectExtra.key == QUARANTINE)
    )
    return {row.id for row in rows}


def job_counts(job_id: str) -> dict[str, int]:
    counts = dict.fromkeys(COUNT_KEYS, 0)
    rows = (
        model.Session.query(HarvestObject.report_status, sa.func.count())
        .filter(HarvestObject.harvest_job_id == job_id)
        .group_by(HarvestObject.report_status)
    )
    for status, count in rows:
        if status in STATUS_NAMES:
            counts[STATUS_NAMES[status]] += count
    held = len(_quarantined_ids(job_id))
    counts["quarantined"] = held
    counts["unchanged"] += pages.skipped_records(job_id)
    counts["errors"] = max(counts["errors"] - held, 0)
    return counts


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
    counts = job_counts(job.id)
    return {
        "job_id": job.id,
        "source_id": job.source_id,
        "status": job.status,
        "gather_started": _iso(job.gather_started),
        "finished": _iso(job.finished),
        "counts": counts,
        "gather_errors": gather_errors,
        "records": list(messages.values()),
        "failed": bool(gather_errors)
        or counts["errors"] > 0
        or job.status not in ("Finished", "Running"),
    }


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _province_of(source: HarvestSource) -> str | None:
    try:
        return source_config.parse(source.config).get("province_code")
    except source_config.ConfigError:
        return None


def _last_job(source_id: str, successful: bool) -> HarvestJob | None:
    query = model.Session.query(HarvestJob).filter(HarvestJob.source_id == source_id)
    query = query.filter(HarvestJob.status == "Finished")
    if successful:
        with_errors = sa.select(HarvestGatherError.harvest_job_id)
        query = query.filter(HarvestJob.id.notin_(with_errors))
    return query.order_by(HarvestJob.created.desc()).first()


def overview() -> list[dict[str, Any]]:
    """One row per Vietnamese harvest source, grouped by province code."""
    pairs = duplicates.duplicate_pairs()
    rows = []
    sources = (
        model.Session.query(HarvestSource)
        .filter(HarvestSource.type.in_(VNDATA_TYPES))
        .filter(HarvestSource.active.is_(True))
    )
    for source in sources:
        last, good = _last_job(source.id, False), _last_job(source.id, True)
        datasets = (
            model.Session.query(sa.func.count(HarvestObject.id))
            .filter(HarvestObject.harvest_source_id == source.id)
            .filter(HarvestObject.current.is_(True))
            .scalar()
        )
        rows.append(
            {
                "province_code": _province_of(source),
                "source_id": source.id,
                "title": source.title,
                "url": source.url,
                "type": source.type,
                "datasets": datasets,
                "last_job": job_report(last) if last else None,
                "last_successful_harvest": _iso(good.finished) if good else None,
                "duplicates": sum(
                    1
                    for pair in pairs
                    if any(o["source_id"] == source.id for o in pair["origins"])
                ),
            }
        )
    return sorted(rows, key=lambda r: (r["province_code"] or "", r["title"] or ""))
