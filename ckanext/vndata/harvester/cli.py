"""CLI group vndata_harvester: run one source now, with progress; the overview."""

from __future__ import annotations

import dataclasses
import datetime
import json
import logging
import sys
import time

import click
import sqlalchemy as sa

import ckan.plugins.toolkit as tk
from ckan import model
from ckanext.harvest import queue
from ckanext.harvest.model import HarvestJob

from ckanext.vndata.harvester import (
    alerts,
    consumers,
    language,
    report,
    retention,
    schedule,
    stuck_jobs,
    stuck_objects,
)
from ckanext.vndata.harvester import overview as overview_report
from ckanext.vndata.translation import vndata_in_portal_locale

log = logging.getLogger(__name__)


@click.group(name="vndata_harvester", short_help="Vietnamese harvests (vndata_*)")
def vndata_harvester():
    pass


def _context() -> dict:
    user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"user": user["name"], "ignore_auth": True}


def _start_job(source: dict) -> HarvestJob:
    try:
        job = tk.get_action("harvest_job_create")(
            _context(), {"source_id": source["id"], "run": False}
        )
    except tk.ValidationError as error:
        # ckanext-harvest refuses a second job while one is waiting or running.
        _fail(
            tk._("Cannot start a job for {source}: {error}").format(
                source=language.quoted(source.get("title") or source["name"]),
                error=" ".join(language.messages(error.error_dict)),
            )
        )
    row = HarvestJob.get(job["id"])
    row.status = "Running"
    row.gather_started = datetime.datetime.utcnow()
    row.save()
    return row


def _fail(message: str) -> None:
    """click's own errors begin with an English "Error:"; ours are the portal's."""
    tk.error_shout(message)
    sys.exit(1)


def _print_report(result: dict) -> None:
    counts = result["counts"]
    click.echo(
        tk._(
            "added {added}, updated {updated}, unchanged {unchanged}, withdrawn "
            "{withdrawn}, quarantined {quarantined}, errors {errors}, warnings "
            "{warnings}"
        ).format(**counts)
    )
    if result["has_plans"]:  # also when none was read: the line says so
        click.echo(report.describe_plan_counts(result["plan_counts"]))
    for message in result["gather_errors"]:
        click.echo(tk._("Catalogue: {message}").format(message=message), err=True)
    for record in result["records"]:
        for message in record["messages"]:
            line = tk._("{title} ({status}): {message}").format(
                title=language.quoted(record["title"]),
                status=report.status_label(record["status"]),
                message=message,
            )
            click.echo(line, err=True)


@vndata_harvester.command(name="run", short_help="Harvest one source now")
@click.argument("source")
@vndata_in_portal_locale
def run(source: str):
    """Gather SOURCE (id or name), then fetch and import every record here,
    with a progress bar. Exits with 1 when the job failed or a record has an error."""
    try:
        source_dict = tk.get_action("harvest_source_show")(_context(), {"id": source})
    except tk.ObjectNotFound:
        _fail(tk._("Harvest source not found: {source}").format(source=source))
    harvester = queue.get_harvester(source_dict["source_type"])
    job = _start_job(source_dict)
    click.echo(tk._("Reading the catalogue {url} ...").format(url=source_dict["url"]))
    object_ids = queue.gather_stage(harvester, job) or []
    job.gather_finished = datetime.datetime.utcnow()
    job.save()
    job_id = job.id  # the session is renewed when a record is sent again
    with click.progressbar(object_ids, label=tk._("Importing records")) as bar:
        for object_id in bar:
            consumers.import_one(harvester, object_id)
    if not object_ids:
        job = HarvestJob.get(job_id)
        job.status = "Finished"
        job.finished = datetime.datetime.utcnow()
        job.save()
    tk.get_action("harvest_jobs_run")(_context(), {"source_id": source_dict["id"]})
    result = report.job_report(HarvestJob.get(job_id))
    _print_report(result)
    sys.exit(1 if result["failed"] else 0)


@vndata_harvester.command(name="overview", short_help="Sources by province, as JSON")
@vndata_in_portal_locale
def overview():
    """Every Vietnamese harvest source by province, with its last job (JSON)."""
    click.echo(json.dumps(overview_report.overview(), ensure_ascii=False, indent=2))


# --now: a naive UTC time, as the jobs' times are stored.
_CLOCK_FORMATS = ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M"]


@vndata_harvester.command(name="scheduler", short_help="Finish and start jobs, forever")
@click.option("--every", default=20, show_default=True, type=click.IntRange(1, 3600),
              help="Seconds between two runs.")  # fmt: skip
@click.option("--runs", default=0, type=click.IntRange(0),
              help="Stop after this many runs (0: never).")  # fmt: skip
@click.option("--prune-hours", default=0, type=click.IntRange(0),
              help="Also run prune this often (0: never).")  # fmt: skip
@click.option("--now", "start_at", default=None, type=click.DateTime(_CLOCK_FORMATS),
              hidden=True, help="The clock's start, UTC (tests).")  # fmt: skip
@vndata_in_portal_locale
def scheduler(
    every: int, runs: int, prune_hours: int, start_at: datetime.datetime | None
):
    """Each run: abort the jobs over their time limit, finish the jobs that are done
    (ckanext-harvest's `harvester run`), start the sources whose scheduled time has
    come, and e-mail about stuck jobs and failing sources.

    ckanext-harvest marks a job finished (and starts the sources' scheduled jobs) only
    when harvest_jobs_run is called: without it a job started from the web stays
    "Running" for good and its source cannot be harvested again. A cron line would
    start a whole CKAN every minute; this keeps one running, as the consumers do.
    With --prune-hours it also hands `prune` (retention.py) to CKAN's jobs worker
    that often, counted from the last one (stored: not at each start), so that a
    portal run by a process supervisor needs no cron line; the scheduling goes on
    while it runs.
    """
    clock = _clock(start_at)
    done = 0
    while not runs or done < runs:
        if done:
            time.sleep(every)
        try:
            _run_once(clock(), prune_hours)
        except Exception:  # one failed run (database restart...) must not end the loop
            log.exception("The scheduler's run failed; trying again in %s s", every)
        finally:
            model.Session.remove()
        done += 1


@vndata_harvester.command(
    name="gather-consumer", short_help="Consume the gather queue, forever"
)
def gather_consumer():
    """ckanext-harvest's gather consumer, going on through a Redis restart or a lost
    database connection (consumers.py)."""
    consumers.vndata_consume("gather")


@vndata_harvester.command(
    name="fetch-consumer", short_help="Consume the fetch queue, forever"
)
def fetch_consumer():
    """ckanext-harvest's fetch consumer, going on through a Redis restart or a lost
    database connection (consumers.py)."""
    consumers.vndata_consume("fetch")


@vndata_harvester.command(name="prune", short_help="Remove old harvest history")
@click.option("--keep", type=click.IntRange(1), default=None,
              help="Jobs kept per source (default: keep_jobs in the ini).")  # fmt: skip
@click.option("--dry-run", is_flag=True, help="Count what would go; remove nothing.")
@vndata_in_portal_locale
def prune(keep: int | None, dry_run: bool):
    """Remove the harvest objects, errors, jobs and log older than each source's last
    jobs, keeping what later harvests read (retention.py). Safe while harvests run."""
    keep = keep or retention.keep_jobs()
    click.echo(
        tk._("Keeping the last {keep} jobs of each source.").format(keep=keep)
        + (" " + tk._("Dry run: nothing is removed.") if dry_run else "")
    )
    pruned = retention.prune(
        keep,
        dry_run,
        progress=lambda so_far: click.echo(_pruned_line(tk._("So far"), so_far)),
    )
    head = tk._("Would be removed") if dry_run else tk._("Removed")
    click.echo(_pruned_line(head, pruned))


def _pruned_line(head: str, pruned: retention.VndataPruned) -> str:
    return tk._(
        "{head}: {objects} harvest objects ({object_extras} extras, {object_errors} "
        "errors), {gather_errors} gather errors, {jobs} jobs, {pages} catalogue "
        "pages, {log} log lines."
    ).format(head=head, **dataclasses.asdict(pruned))


def _clock(start_at: datetime.datetime | None):
    """Naive UTC now; from ``start_at`` on if given (it then runs as time does)."""
    if start_at is None:
        return lambda: datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
    began = time.monotonic()
    return lambda: start_at + datetime.timedelta(seconds=time.monotonic() - began)


# The scheduler's PostgreSQL advisory lock: any number of our own ("vndataS1").
_LOCK = 0x766E_6461_7461_5331


def _steps(prune_hours: int) -> list:
    steps = [_abort_stuck, _finish_jobs, schedule.start_due, alerts.alert_failing]
    if prune_hours:

        def _prune_if_due(context: dict, now: datetime.datetime) -> None:
            retention.vndata_prune_if_due(now, prune_hours)

        steps.append(_prune_if_due)
    return steps


def _run_once(now: datetime.datetime, prune_hours: int = 0) -> bool:
    """The run's steps, each on its own: a mail server down must not stop the
    scheduled jobs, nor a failing start the finishing of others. Whether it ran.

    One scheduler acts at a time (the guide allows a second one, on another
    machine, to take over): a run holds a PostgreSQL advisory lock, on a connection
    of its own (the steps commit and remove the session's), and a run that cannot
    take it does nothing, as two would start the same source's job twice."""
    with model.meta.engine.connect().execution_options(
        isolation_level="AUTOCOMMIT"
    ) as lock:
        if not lock.execute(sa.select(sa.func.pg_try_advisory_lock(_LOCK))).scalar():
            log.info("Another scheduler is running: this run waits for the next")
            return False
        try:
            for step in _steps(prune_hours):
                try:
                    step(_context(), now)
                except Exception:
                    log.exception("Scheduler step %s failed", step.__name__)
                    model.Session.rollback()
        finally:
            lock.execute(sa.select(sa.func.pg_advisory_unlock(_LOCK)))
    return True


def _abort_stuck(context: dict, now: datetime.datetime) -> None:
    reason = stuck_jobs.reason(stuck_jobs.limit_minutes())
    stuck_jobs.abort_stuck(context, now)
    # The jobs aborted now, and those whose alert reached nobody before.
    for job_id in alerts.unsent_stuck(reason, now):
        alerts.alert_stuck(context, job_id, reason, now)


def _finish_jobs(context: dict, now: datetime.datetime) -> None:
    if stuck_objects.vndata_gather_under_way():  # its records would be sent twice
        log.info("A gather is under way: jobs are finished at the next run")
        return
    tk.get_action("harvest_jobs_run")(context, {})


def get_commands() -> list:
    return [vndata_harvester]
