"""The harvest overview (vndata_harvest_overview, the overview page and CLI) of every
source in a constant number of queries.

report.job_report reads one job in about fifteen queries, and the overview asked it of
each source's last job: at national scale (68 sources) about 1,000 queries and 4.5 s of
the national dashboard. Here each of its parts is read once for all the sources (their
last jobs, those jobs' records by status, messages and gather errors, the last
successful jobs, live datasets, plans, schedules), and the rows are put together as
report.job_report puts a job: the same output, which tests/harvester/test_overview.py
compares with job_report's.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from typing import Any

import sqlalchemy as sa

import ckan.plugins as p
from ckan import model
from ckanext.harvest.model import (
    HarvestGatherError,
    HarvestJob,
    HarvestObject,
    HarvestObjectError,
    HarvestObjectExtra,
    HarvestSource,
)

from ckanext.vndata.harvester import (
    duplicates,
    identity,
    language,
    page_cache,
    schedule,
)
from ckanext.vndata.harvester import report as rp
from ckanext.vndata.harvester.plan_import import RESULT
from ckanext.vndata.harvester.quarantine import QUARANTINE
from ckanext.vndata.plan import harvested


def _with_extra(key: str, value: str | None = None):
    """The ids of the objects with an extra ``key`` (of ``value``), to outer-join: a
    correlated EXISTS per object took seconds over 17,000 records."""
    query = sa.select(HarvestObjectExtra.harvest_object_id.label("id")).where(
        HarvestObjectExtra.key == key
    )
    if value is not None:
        query = query.where(HarvestObjectExtra.value == value)
    return query.distinct().subquery()


def _flag(ids):
    """Whether the object is among ``ids`` (a _with_extra-like subquery)."""
    return ids.c.id.isnot(None)


def _last_jobs(source_ids: list[str], successful: bool) -> dict[str, HarvestJob]:
    """Per source, its last (or last successful) job, all sources in one query."""
    query = model.Session.query(HarvestJob).filter(
        HarvestJob.source_id.in_(source_ids), HarvestJob.status == "Finished"
    )
    if successful:
        with_errors = sa.select(HarvestGatherError.harvest_job_id)
        through = sa.select(HarvestObject.id).where(
            HarvestObject.harvest_job_id == HarvestJob.id,
            HarvestObject.harvest_source_id == HarvestJob.source_id,
            HarvestObject.report_status.in_(rp.DONE),
        )
        skipped = sa.select(page_cache.Page.id).where(
            page_cache.Page.job_id == HarvestJob.id,
            page_cache.Page.source_id == HarvestJob.source_id,
            page_cache.Page.skipped.is_(True),
        )
        query = query.filter(HarvestJob.id.notin_(with_errors))
        query = query.filter(sa.or_(through.exists(), skipped.exists()))
    # The newest job of each source (PostgreSQL's DISTINCT ON).
    query = query.distinct(HarvestJob.source_id).order_by(
        HarvestJob.source_id, HarvestJob.created.desc()
    )
    return {job.source_id: job for job in query}


def _counts(job_ids: list[str]) -> tuple[dict, dict]:
    """Per job, report.job_counts and report.plan_counts."""
    counts = {j: dict.fromkeys(rp.COUNT_KEYS, 0) for j in job_ids}
    plans = {j: dict.fromkeys(rp.PLAN_COUNT_KEYS, 0) for j in job_ids}
    plan_ids, held_ids = (
        _with_extra(identity.KIND, identity.PLAN),
        _with_extra(QUARANTINE),
    )
    warned_ids = (
        sa.select(HarvestObjectError.harvest_object_id.label("id"))
        .distinct()
        .subquery()
    )
    groups = (
        model.Session.query(
            HarvestObject.harvest_job_id,
            HarvestObject.report_status,
            _flag(plan_ids),
            _flag(held_ids),
            _flag(warned_ids),
            HarvestObject.state == "ERROR",
            sa.func.count(),
        )
        .outerjoin(plan_ids, plan_ids.c.id == HarvestObject.id)
        .outerjoin(held_ids, held_ids.c.id == HarvestObject.id)
        .outerjoin(warned_ids, warned_ids.c.id == HarvestObject.id)
        .filter(HarvestObject.harvest_job_id.in_(job_ids))
        .group_by(sa.text("1, 2, 3, 4, 5, 6"))
    )
    for job_id, status, plan, hold, warn, error, count in groups:
        if plan:
            plans[job_id]["errors"] += count if error else 0
            continue
        if status in rp.STATUS_NAMES:
            counts[job_id][rp.STATUS_NAMES[status]] += count
        counts[job_id]["quarantined"] += count if hold else 0
        if warn and status in rp.DONE:
            counts[job_id]["warnings"] += count
    results = (
        model.Session.query(
            HarvestObject.harvest_job_id, HarvestObjectExtra.value, sa.func.count()
        )
        .join(HarvestObject, HarvestObjectExtra.harvest_object_id == HarvestObject.id)
        .filter(HarvestObject.harvest_job_id.in_(job_ids))
        .filter(HarvestObjectExtra.key == RESULT)
        .group_by(HarvestObject.harvest_job_id, HarvestObjectExtra.value)
    )
    for job_id, result, count in results:
        if result in plans[job_id] and result != "errors":
            plans[job_id][result] = count
    pages = model.Session.query(page_cache.Page.job_id, page_cache.Page.guids).filter(
        page_cache.Page.job_id.in_(job_ids), page_cache.Page.skipped.is_(True)
    )
    for job_id, guids in pages:
        counts[job_id]["unchanged"] += len(json.loads(guids))
    for c in counts.values():
        c["errors"] = max(c["errors"] - c["quarantined"], 0)
    return counts, plans


def _records(job_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    """Per job, report.job_report's records: every record's messages."""
    held_ids = _with_extra(QUARANTINE)
    title = sa.func.coalesce(model.Package.title, "")
    rows = (
        model.Session.query(
            HarvestObjectError.message,
            HarvestObject.id,
            HarvestObject.harvest_job_id,
            HarvestObject.guid,
            HarvestObject.package_id,
            HarvestObject.report_status,
            _flag(held_ids).label("held"),
            title.label("title"),
            # the record's own title is read only when its dataset has none
            sa.case((title == "", HarvestObject.content), else_=None).label("content"),
        )
        .join(HarvestObject, HarvestObjectError.harvest_object_id == HarvestObject.id)
        .outerjoin(held_ids, held_ids.c.id == HarvestObject.id)
        .outerjoin(model.Package, model.Package.id == HarvestObject.package_id)
        .filter(HarvestObject.harvest_job_id.in_(job_ids))
        .order_by(HarvestObjectError.created)
    )
    messages: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for row in rows:
        record = messages[row.harvest_job_id].setdefault(
            row.id,
            {
                "guid": row.guid,
                "title": row.title or language.record_title(row),
                "package_id": row.package_id,
                "status": "quarantined"
                if row.held
                else rp.STATUS_NAMES.get(row.report_status or "", row.report_status),
                "messages": [],
            },
        )
        record["messages"].append(row.message)
    return {job_id: list(m.values()) for job_id, m in messages.items()}


def _by_source(query) -> dict[str, Any]:
    return dict(query.all())


def overview() -> list[dict[str, Any]]:
    """One row per Vietnamese source, each part read once for all the sources."""
    sources = (
        model.Session.query(HarvestSource)
        .filter(HarvestSource.type.in_(rp.VNDATA_TYPES))
        .filter(HarvestSource.active.is_(True))
        .all()
    )
    ids = [s.id for s in sources]
    lasts, goods = _last_jobs(ids, False), _last_jobs(ids, True)
    job_ids = [job.id for job in lasts.values()]
    counts, plans = _counts(job_ids)
    records = _records(job_ids)
    gather_errors: dict[str, list[str]] = defaultdict(list)
    gathered = (
        model.Session.query(HarvestGatherError)
        .filter(HarvestGatherError.harvest_job_id.in_(job_ids))
        .order_by(HarvestGatherError.created)
    )
    for error in gathered:
        gather_errors[error.harvest_job_id].append(error.message)
    datasets = _by_source(
        model.Session.query(
            HarvestObject.harvest_source_id,
            sa.func.count(sa.distinct(model.Package.id)),
        )
        .join(HarvestObject, HarvestObject.package_id == model.Package.id)
        .filter(HarvestObject.harvest_source_id.in_(ids))
        .filter(HarvestObject.current.is_(True))
        .filter(model.Package.state == "active")
        .group_by(HarvestObject.harvest_source_id)
    )
    here = harvested.series_counts(ids) if p.plugin_loaded("vndata_plan") else {}
    schedules = {
        row.source_id: row
        for row in model.Session.query(schedule.SourceSchedule).filter(
            schedule.SourceSchedule.source_id.in_(ids)
        )
    }
    doubled = Counter(
        origin["source_id"]
        for pair in duplicates.duplicate_pairs()
        for origin in pair["origins"]
    )
    rows = []
    for source in sources:
        last, good = lasts.get(source.id), goods.get(source.id)
        report = None
        if last:
            c, pl = counts[last.id], plans[last.id]
            both = {**c, **{k: c[k] + pl[k] for k in rp.PLAN_COUNT_KEYS}}
            result = rp.outcome(last.status, both, len(gather_errors[last.id]))
            report = {
                "job_id": last.id,
                "source_id": last.source_id,
                "status": last.status,
                "gather_started": rp.iso(last.gather_started),
                "finished": rp.iso(last.finished),
                "counts": c,
                "plan_counts": pl,
                "plans_here": here.get(source.id, 0),
                "has_plans": bool(any(pl.values()) or rp.harvests_plans(source)),
                "gather_errors": gather_errors[last.id],
                "records": records.get(last.id, []),
                "outcome": result,
                "failed": result in ("failed", "errors"),
            }
        rows.append(
            {
                "province_code": rp.province_of(source),
                "source_id": source.id,
                "title": source.title,
                "url": source.url,
                "type": source.type,
                "datasets": datasets.get(source.id, 0),
                "plans": here.get(source.id, 0),
                "schedule": schedule.describe(schedules.get(source.id)),
                "last_job": report,
                "last_successful_harvest": rp.iso(good.finished) if good else None,
                "duplicates": doubled[source.id],
            }
        )
    return sorted(rows, key=lambda r: (r["province_code"] or "", r["title"] or ""))
