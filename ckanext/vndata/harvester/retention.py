"""Retention: the harvest history older than the last N jobs of each source removed.

On a national portal ckanext-harvest's tables grow with every run (each record's whole
content on each harvest object). What is older than a source's last N jobs
(``ckanext.vndata.harvester.keep_jobs``) is removed, except what the harvests still
read. What each reader needs, exactly:

- identity (identity.previous_import, live_package_id): the source's last COMPLETE
  object with a dataset for each guid. Every successful import, changed or unchanged,
  makes its object the current one and the previous one not current; a failed import
  leaves the current one current: the current object IS that last import. Once a
  record is withdrawn no object is current and its dataset is deleted, so an older
  object would name no live dataset either (the record comes back as a new dataset,
  with or without it).
- change detection (import_stage._vndata_unchanged): the current object's extra
  ``vndata_fingerprint``; duplicates.py: its ``vndata_same_as`` extras.
- deletion safety (deletion.mark): the current objects with a dataset, and their
  ``vndata_missing_since`` extra (the start of the grace period); plans
  (plan_gather.current_plans): the current plan objects and their ``vndata_kind``.
- page_cache.unchanged_guids: current objects; the pages read by removed jobs are
  removed with them (an unknown page is parsed again: time, not correctness).
- foreign keys: harvest_object.harvest_job_id, so the job of a kept object stays
  (its gather errors go: they tell of an old run).

So: every object that is current, with its extras and errors, and its job, stays; so
do the last N jobs of each source and every job not finished (a running job, its
objects and errors are never touched). The rest of the older jobs goes: their objects
with extras and errors, their gather errors, the jobs and their pages. harvest_log
(one log for all sources, by time) keeps what is newer than the oldest job still kept.

Deletes go in batches of ids, each batch its own transaction: no huge transaction,
memory bounded by the batch, and a harvest may run meanwhile (an import that turns a
current object into a past one commits first: PostgreSQL re-reads the row before
deleting it).
"""

from __future__ import annotations

import dataclasses
import datetime
import logging
from typing import Callable

import sqlalchemy as sa

import ckan.plugins.toolkit as tk
from ckan import model
from ckanext.harvest.model import (
    HarvestGatherError,
    HarvestJob,
    HarvestLog,
    HarvestObject,
    HarvestObjectError,
    HarvestObjectExtra,
)

from ckanext.vndata.harvester.page_cache import Page

log = logging.getLogger(__name__)

BATCH = 500
FINISHED = "Finished"
KEEP_JOBS = "ckanext.vndata.harvester.keep_jobs"
PRUNE = "prune"
# The worker's limit on one prune (CKAN's default, ckan.jobs.timeout, is 3 min).
PRUNE_TIMEOUT = 6 * 3600


class VndataChoreRun(tk.BaseModel):
    """When the scheduler last started a periodic chore (``prune``): stored, so that
    a scheduler restarted (or a second one) does not start it again early."""

    __tablename__ = "vndata_harvester_chore_run"

    name = sa.Column(sa.Text, primary_key=True)
    started = sa.Column(sa.DateTime, nullable=False)


def vndata_prune_if_due(now: datetime.datetime, hours: int) -> bool:
    """Hand ``prune`` to CKAN's jobs worker (default queue) when ``hours`` have
    passed since it was last started; whether it was. Run by the scheduler, which
    must go on scheduling while the prune runs. The first time only the clock
    starts: a scheduler's start is no reason to prune."""
    row = model.Session.get(VndataChoreRun, PRUNE)
    if row is None:
        model.Session.add(VndataChoreRun(name=PRUNE, started=now))
        model.Session.commit()
        return False
    if now - row.started < datetime.timedelta(hours=hours):
        return False
    row.started = now  # a failed prune waits as long: it would fail again
    model.Session.commit()
    tk.enqueue_job(
        vndata_prune_job,
        title="vndata_harvester prune",
        rq_kwargs={"timeout": PRUNE_TIMEOUT},
    )
    return True


def vndata_prune_job() -> None:
    """The jobs worker's prune, with the portal's keep_jobs."""
    log.info("Pruned: %s", prune(keep_jobs()))


@dataclasses.dataclass
class VndataPruned:
    """Rows removed (or, in a dry run, that would be)."""

    jobs: int = 0
    objects: int = 0
    object_errors: int = 0
    object_extras: int = 0
    gather_errors: int = 0
    pages: int = 0
    log: int = 0


def keep_jobs() -> int:
    return tk.config.get(KEEP_JOBS)


def _old_jobs(keep: int):
    """Finished jobs beyond each source's last ``keep`` (a select of ids)."""
    ranked = sa.select(
        HarvestJob.id.label("id"),
        HarvestJob.status.label("status"),
        sa.func.row_number()
        .over(
            partition_by=HarvestJob.source_id,
            order_by=(HarvestJob.created.desc(), HarvestJob.id.desc()),
        )
        .label("rank"),
    ).subquery()
    return sa.select(ranked.c.id).where(
        ranked.c.rank > keep, ranked.c.status == FINISHED
    )


def _old_objects(keep: int):
    return sa.select(HarvestObject.id).where(
        HarvestObject.harvest_job_id.in_(_old_jobs(keep)),
        HarvestObject.current.isnot(True),
    )


def _removable_jobs(keep: int):
    """Old jobs no kept object points to (after the objects went, all of those)."""
    kept = sa.select(HarvestObject.harvest_job_id).where(
        HarvestObject.current.is_(True), HarvestObject.harvest_job_id.isnot(None)
    )
    return sa.select(HarvestJob.id).where(
        HarvestJob.id.in_(_old_jobs(keep)), HarvestJob.id.notin_(kept)
    )


def _log_cutoff(keep: int):
    """When the oldest job still kept was created (None: no job kept)."""
    return model.Session.execute(
        sa.select(sa.func.min(HarvestJob.created)).where(
            HarvestJob.id.notin_(_removable_jobs(keep))
        )
    ).scalar()


def _count(query) -> int:
    return model.Session.execute(
        sa.select(sa.func.count()).select_from(query.subquery())
    ).scalar()


def _ids(query) -> list[str]:
    return list(model.Session.execute(query.limit(BATCH)).scalars())


def _delete(table, column, ids) -> int:
    return model.Session.execute(sa.delete(table).where(column.in_(ids))).rowcount


def prune(
    keep: int,
    dry_run: bool = False,
    progress: Callable[[VndataPruned], None] = lambda pruned: None,
) -> VndataPruned:
    """Remove (or only count, ``dry_run``) the history beyond each source's last
    ``keep`` jobs; ``progress`` is called after each batch with the counts so far."""
    pruned = VndataPruned()
    if dry_run:
        objects = _old_objects(keep)
        pruned.objects = _count(objects)
        for table, column, field in _OBJECT_CHILDREN:
            query = sa.select(table.id).where(column.in_(objects))
            setattr(pruned, field, _count(query))
        jobs = _removable_jobs(keep)
        pruned.jobs = _count(jobs)
        pruned.gather_errors = _count(
            sa.select(HarvestGatherError.id).where(
                HarvestGatherError.harvest_job_id.in_(_old_jobs(keep))
            )
        )
        pruned.pages = _count(sa.select(Page.id).where(Page.job_id.in_(jobs)))
        pruned.log = _count(_old_log(keep))
        model.Session.rollback()
        return pruned
    while ids := _ids(_old_objects(keep)):
        for table, column, field in _OBJECT_CHILDREN:
            setattr(pruned, field, getattr(pruned, field) + _delete(table, column, ids))
        pruned.objects += _delete(HarvestObject, HarvestObject.id, ids)
        model.Session.commit()
        progress(pruned)
    gather_errors = sa.select(HarvestGatherError.id).where(
        HarvestGatherError.harvest_job_id.in_(_old_jobs(keep))
    )
    while ids := _ids(gather_errors):
        pruned.gather_errors += _delete(HarvestGatherError, HarvestGatherError.id, ids)
        model.Session.commit()
        progress(pruned)
    while ids := _ids(_removable_jobs(keep)):
        pruned.pages += _delete(Page, Page.job_id, ids)
        pruned.jobs += _delete(HarvestJob, HarvestJob.id, ids)
        model.Session.commit()
        progress(pruned)
    while ids := _ids(_old_log(keep)):
        pruned.log += _delete(HarvestLog, HarvestLog.id, ids)
        model.Session.commit()
        progress(pruned)
    return pruned


def _old_log(keep: int):
    cutoff = _log_cutoff(keep)
    query = sa.select(HarvestLog.id)
    if cutoff is None:
        return query.where(sa.false())
    return query.where(HarvestLog.created < cutoff)


_OBJECT_CHILDREN = (
    (HarvestObjectError, HarvestObjectError.harvest_object_id, "object_errors"),
    (HarvestObjectExtra, HarvestObjectExtra.harvest_object_id, "object_extras"),
)
