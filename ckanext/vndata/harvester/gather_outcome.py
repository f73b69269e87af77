"""How a gather stage of either harvester ends: with objects to queue, or with an
error on the job, never with an exception.

ckanext-harvest lets an exception out of gather_stage: the job stays "Running" (so
the next harvest_job_create of the source fails) and a gather consumer exits. And an
object made by a gather that then gave up is neither queued nor finished, so
harvest_jobs_run never finishes its job. Both are handled here.
"""

from __future__ import annotations

import logging

import ckan.plugins.toolkit as tk
from ckan import model
from ckanext.harvest.model import HarvestGatherError, HarvestObject

from ckanext.vndata.harvester.rdf_reading import describe

log = logging.getLogger(__name__)


class CatalogueError(Exception):
    """The catalogue cannot be used this run; the message is for the job's report."""


def fail(harvester, harvest_job, error: Exception, url: str | None = None) -> None:
    """Record ``error`` on the job, in the user's language, and log its traceback."""
    model.Session.rollback()  # a failed statement would stop the error's own write
    if isinstance(error, CatalogueError):
        message = str(error)
    else:
        log.error("Gather of job %s failed", harvest_job.id, exc_info=error)
        if isinstance(error, UnicodeDecodeError):
            reason = tk._("the page is not UTF-8 text")
        else:
            reason = describe(error)
        message = tk._(
            "The catalogue could not be read ({reason}); nothing was harvested or "
            "withdrawn."
        ).format(reason=reason)
        if url:
            message += " " + tk._("Page: {url}").format(url=url)
    harvester._save_gather_error(message, harvest_job)


def has_errors(harvest_job) -> bool:
    """Whether this run already met a catalogue error (then nothing is withdrawn)."""
    return (
        model.Session.query(HarvestGatherError.id)
        .filter(HarvestGatherError.harvest_job_id == harvest_job.id)
        .first()
        is not None
    )


def queued_only(harvest_job, object_ids: list[str]) -> list[str]:
    """Drop the job's objects that will not be queued, so that the job can finish."""
    stray = (
        model.Session.query(HarvestObject)
        .filter(HarvestObject.harvest_job_id == harvest_job.id)
        .filter(HarvestObject.id.notin_(object_ids or [""]))
    )
    for harvest_object in stray:
        model.Session.delete(harvest_object)
    model.Session.commit()
    return list(object_ids)
