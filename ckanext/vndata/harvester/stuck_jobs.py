"""Jobs running (or waiting to start) longer than
``ckanext.vndata.harvester.job_time_limit``, aborted with a reason so that their
source can be harvested again.

ckanext-harvest refuses a new job while one is running, and a job whose consumer died
or whose catalogue never answers stays "Running" for good: the source is stuck
without anyone being told. (ckanext-harvest's own ``ckan.harvest.timeout`` counts
from the last object's change and writes its reason in English; this one is the
portal's, from the job's start.) The reason is a gather error of the job, so the job
page and the Vietnamese report (report.py) show it, and the job counts as failed.
"""

from __future__ import annotations

import datetime
import logging

import sqlalchemy as sa

import ckan.plugins.toolkit as tk
from ckan import model
from ckanext.harvest.model import HarvestGatherError, HarvestJob

log = logging.getLogger(__name__)


def limit_minutes() -> int:
    return tk.config.get("ckanext.vndata.harvester.job_time_limit")


def describe_limit(minutes: int) -> str:
    """The limit as the reason says it: "6 giờ", "1 giờ 30 phút", "45 phút"."""
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return tk._("{hours} h {minutes} min").format(hours=hours, minutes=rest)
    if hours:
        return tk._("{hours} h").format(hours=hours)
    return tk._("{minutes} min").format(minutes=rest)


def reason(minutes: int) -> str:
    return tk._("Stopped after {duration}: over the time allowed").format(
        duration=describe_limit(minutes)
    )


def stuck_jobs(now: datetime.datetime) -> list[str]:
    """The ids of the jobs running, or waiting ("New", never sent to gather: it
    blocks its source as well), since more than the limit before ``now`` (naive
    UTC); a waiting job counts from its creation."""
    since = now - datetime.timedelta(minutes=limit_minutes())
    started = sa.func.coalesce(HarvestJob.gather_started, HarvestJob.created)
    return [
        job_id
        for (job_id,) in model.Session.query(HarvestJob.id)
        .filter(HarvestJob.status.in_(("Running", "New")), started < since)
        .order_by(HarvestJob.created)
    ]


def abort_stuck(context: dict, now: datetime.datetime) -> list[str]:
    """Abort every stuck job, its reason recorded; the aborted jobs' ids."""
    aborted = []
    message = reason(limit_minutes())
    for job_id in stuck_jobs(now):
        # The reason first, in its own commit: harvest_job_abort commits and
        # removes the session, and a job aborted without its reason says nothing.
        # Once: an abort that failed after it is tried again on the next run.
        given = model.Session.query(HarvestGatherError).filter_by(
            harvest_job_id=job_id, message=message
        )
        if not model.Session.query(given.exists()).scalar():
            model.Session.add(
                HarvestGatherError(harvest_job_id=job_id, message=message)
            )
        # Loaded here, by id: harvest_job_abort's commit_and_remove detaches every
        # object loaded before it, and a change to a detached job is never saved.
        job = model.Session.get(HarvestJob, job_id)
        job.finished = now
        model.Session.commit()
        tk.get_action("harvest_job_abort")(dict(context), {"id": job_id})
        log.warning("Harvest job %s aborted after %s min", job_id, limit_minutes())
        aborted.append(job_id)
    return aborted
