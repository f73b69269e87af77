"""Records a lost fetch consumer left half-way, after Redis lost its queue, sent again.

ckanext-harvest's Redis queue: a fetch consumer pops a record's message and keeps a
"persistence" key (the fetch routing key, ":", the object's id) until it acknowledges
the message. harvest_jobs_run (our scheduler calls it) sends again, after 3 minutes,
each message whose key is still there (resubmit_jobs: its consumer died holding it),
and each WAITING record that is not in the queue (resubmit_objects). A record whose
consumer died in FETCH or IMPORT when Redis had lost the keys (restarted without its
data) is in neither: it stays in FETCH or IMPORT, and its job never finishes (or is
ended whole by ``ckan.harvest.timeout``, its other records with it).

Such a record, untouched for longer than the limit, is made WAITING again, before
ckanext-harvest's own resubmission in the same harvest_jobs_run, which then sends it:
it is retried in the same job. Its import is one transaction (nothing of a killed one
is left) and finds the dataset an earlier try committed by its identifier (never a
second dataset); a fetch consumer counts the tries and makes the record an error at
the fifth (ckanext-harvest's fetch_callback).
"""

from __future__ import annotations

import datetime
import logging

import sqlalchemy as sa

import ckan.plugins.toolkit as tk
from ckan import model
from ckanext.harvest import queue
from ckanext.harvest.model import HarvestJob, HarvestObject

log = logging.getLogger(__name__)

_HALF_WAY = ("FETCH", "IMPORT")


def vndata_stuck_after() -> datetime.timedelta:
    minutes = tk.config.get("ckanext.vndata.harvester.stuck_record_minutes")
    return datetime.timedelta(minutes=minutes)


def vndata_requeue_stuck_objects(now: datetime.datetime | None = None) -> list[str]:
    """Make WAITING again the records of running jobs left in FETCH or IMPORT for
    longer than the limit with no consumer holding them; their ids."""
    if tk.config.get("ckan.harvest.mq.type") != "redis":
        return []  # AMQP gives an unacknowledged message back by itself
    now = now or datetime.datetime.utcnow()
    # ckanext-harvest stamps these in UTC (fetch_and_import_stages).
    last_touched = sa.func.coalesce(
        HarvestObject.import_started,
        HarvestObject.fetch_started,
        HarvestObject.gathered,
    )
    candidates = (
        model.Session.query(HarvestObject)
        .join(HarvestJob, HarvestObject.harvest_job_id == HarvestJob.id)
        .filter(HarvestJob.status == "Running")
        .filter(HarvestObject.state.in_(_HALF_WAY))
        .filter(last_touched < now - vndata_stuck_after())
        .all()
    )
    if not candidates:
        return []
    redis = queue.get_connection()
    held = queue.get_fetch_routing_key() + ":"
    requeued = []
    for harvest_object in candidates:
        if redis.exists(held + harvest_object.id):
            continue  # a consumer holds it, or resubmit_jobs will send it again
        log.warning(
            "Harvest object %s of job %s left in %s since %s with no consumer: "
            "sent again",
            harvest_object.id,
            harvest_object.harvest_job_id,
            harvest_object.state,
            harvest_object.import_started or harvest_object.fetch_started,
        )
        harvest_object.state = "WAITING"
        requeued.append(harvest_object.id)
    model.Session.commit()
    return requeued


def vndata_gather_under_way(now: datetime.datetime | None = None) -> bool:
    """Whether a job's gather started within the limit and has not returned.

    A gather commits its records as WAITING page by page and ckanext-harvest queues
    them only once it returns (gather_callback); resubmit_objects, in every
    harvest_jobs_run, sends each WAITING record missing from the queue: a run during
    a gather queued its records twice, and each was imported twice (a national run
    of 34 sources lost 47 records that way to "URL already in use"). The scheduler
    waits for the gather instead; one that died mid-way waits no longer than the
    limit."""
    now = now or datetime.datetime.utcnow()
    under_way = (
        model.Session.query(HarvestJob.id)
        .filter(HarvestJob.gather_started.isnot(None))
        .filter(HarvestJob.gather_finished.is_(None))
        .filter(HarvestJob.gather_started > now - vndata_stuck_after())
        .first()
    )
    return under_way is not None
