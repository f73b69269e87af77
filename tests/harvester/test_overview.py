"""The harvest overview in a constant number of queries, the same as job by job."""

from __future__ import annotations

import datetime
import uuid

import pytest

from ckan import model
from ckan.model import meta
from ckan.tests import helpers
from ckanext.harvest.model import (
    HarvestGatherError,
    HarvestJob,
    HarvestObject,
    HarvestObjectError,
    HarvestObjectExtra,
)

from ckanext.vndata.harvester import identity, overview, report
from ckanext.vndata.harvester.quarantine import QUARANTINE
from tests.harvester.helpers import TOO_LONG, catalogue
from tests.harvester.sources import harvest_source, turtle_catalogue, turtle_record
from tests.helpers import run_harvest, statements


def _job(source_id: str, days_ago: int, gather_error: bool = False) -> HarvestJob:
    """A finished job of the source whose records are added, held back, imported with
    a message, failed, and one plan that failed."""
    when = datetime.datetime(2026, 1, 1) - datetime.timedelta(days=days_ago)
    job = HarvestJob(source_id=source_id, status="Finished")
    job.created = job.gather_started = when
    job.finished = when + datetime.timedelta(minutes=5)
    job.save()
    for n, status in enumerate(("added", "errored", "updated", "errored", "errored")):
        obj = HarvestObject(
            guid=f"g{n}-{uuid.uuid4()}",
            job=job,
            source=job.source,
            report_status=status,
            state="ERROR" if status == "errored" else "COMPLETE",
            current=status != "errored",
            content='{"title": "Bản ghi %d"}' % n,
        )
        obj.save()
        if n == 1:
            model.Session.add(HarvestObjectExtra(object=obj, key=QUARANTINE, value="x"))
        if n == 4:
            model.Session.add(
                HarvestObjectExtra(object=obj, key=identity.KIND, value=identity.PLAN)
            )
        if n in (1, 2, 3):
            model.Session.add(HarvestObjectError(object=obj, message=f"lỗi {n}"))
    if gather_error:
        model.Session.add(HarvestGatherError(job=job, message="catalogue unreadable"))
    model.Session.commit()
    return job


def _sources(count: int, prefix: str = "nguon") -> list[str]:
    ids = []
    for n in range(count):
        source = harvest_source(f"http://127.0.0.1/{prefix}/{n}", name=f"{prefix}-{n}")
        ids.append(source["id"])
        _job(source["id"], 3)  # a successful job, then one that failed
        _job(source["id"], 1, gather_error=bool(n % 2))
    return ids


def _queries() -> int:
    meta.Session.expire_all()
    with statements() as seen:
        helpers.call_action("vndata_harvest_overview")
    return len(seen)


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestOverviewQueries:
    def test_twenty_sources_take_as_many_queries_as_one(self):
        _sources(1)
        one = _queries()
        _sources(19, prefix="them")
        assert _queries() == one

    def test_each_last_job_is_its_job_report(self):
        ids = _sources(3)
        rows = helpers.call_action("vndata_harvest_overview")

        assert sorted(r["source_id"] for r in rows) == sorted(ids)
        for row in rows:
            job = model.Session.get(HarvestJob, row["last_job"]["job_id"])
            assert row["last_job"] == report.job_report(job)
            assert row["last_job"]["counts"]["quarantined"] == 1
            assert [r["messages"] for r in row["last_job"]["records"]] == [
                ["lỗi 1"],
                ["lỗi 2"],
                ["lỗi 3"],
            ]
        failing = [r for r in rows if r["last_job"]["gather_errors"]]
        assert len(failing) == 1
        # the last successful harvest is the job before the one that failed
        (row,) = failing
        assert row["last_successful_harvest"] < row["last_job"]["finished"]

    def test_harvested_sources_are_as_job_report_says(self, catalogue_server):
        handler, url = catalogue_server
        handler.body = turtle_catalogue(
            {n: turtle_record(n) for n in (1, 2)} | {3: turtle_record(3, TOO_LONG)}
        )
        first = harvest_source(url)
        run_harvest(first["id"], "vndata_dcat")
        handler.body = catalogue([1, 4])
        second = harvest_source(url.rstrip("/") + "/hai", name="nguon-hai")
        run_harvest(second["id"], "vndata_dcat")

        for row in overview.overview():
            job = model.Session.get(HarvestJob, row["last_job"]["job_id"])
            assert row["last_job"] == report.job_report(job)
            assert row["last_successful_harvest"] is not None
