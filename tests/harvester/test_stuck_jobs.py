"""A job running longer than job_time_limit is aborted with its reason, in the
portal's language, on its report and job page; its source can run again."""

from __future__ import annotations

import datetime

import pytest

from ckan import model
from ckan.tests import factories, helpers
from ckanext.harvest.model import HarvestJob

from ckanext.vndata.harvester import stuck_jobs
from tests.harvester.sources import create_job, harvest_source
from tests.helpers import token_headers

NOW = datetime.datetime(2026, 11, 30, 12, 0)


def running_job(source_id: str, started: datetime.datetime) -> str:
    """A job of the source "Running" since ``started`` (naive UTC)."""
    job = HarvestJob.get(create_job(source_id)["id"])
    job.status, job.gather_started = "Running", started
    job.save()
    return job.id


def _context() -> dict:
    return {"user": helpers.call_action("get_site_user")["name"], "ignore_auth": True}


@pytest.mark.usefixtures("with_request_context")
@pytest.mark.parametrize(
    ("minutes", "said"), [(360, "6 giờ"), (90, "1 giờ 30 phút"), (45, "45 phút")]
)
def test_the_limit_is_said_in_hours_and_minutes(minutes, said):
    assert stuck_jobs.reason(minutes) == f"Dừng sau {said}: quá thời gian cho phép"


def _abort(app, now=NOW) -> list[str]:
    """abort_stuck as the scheduler runs it: in a request of the portal's language.
    (Not the with_request_context fixture: the job page is asked for afterwards.)"""
    with app.flask_app.test_request_context():
        return stuck_jobs.abort_stuck(_context(), now)


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestAbortStuck:
    def test_a_job_over_the_limit_is_aborted_with_its_reason(self, app):
        source = harvest_source("http://127.0.0.1:9/catalog.ttl")
        started = NOW - datetime.timedelta(hours=6, minutes=1)
        job_id = running_job(source["id"], started)

        assert _abort(app) == [job_id]

        model.Session.expire_all()
        assert HarvestJob.get(job_id).status == "Finished"
        report = helpers.call_action("vndata_harvest_job_report", id=job_id)
        assert report["gather_errors"] == ["Dừng sau 6 giờ: quá thời gian cho phép"]
        assert report["outcome"] == "failed"
        page = app.get(
            f"/harvest/{source['name']}/job/{job_id}",
            headers=token_headers(factories.Sysadmin()),
        )
        assert "Dừng sau 6 giờ: quá thời gian cho phép" in page.get_data(as_text=True)
        create_job(source["id"])  # the source may run again

    def test_a_job_within_the_limit_runs_on(self, app):
        source = harvest_source("http://127.0.0.1:9/catalog.ttl")
        job_id = running_job(
            source["id"], NOW - datetime.timedelta(hours=5, minutes=59)
        )

        assert _abort(app) == []
        model.Session.expire_all()
        assert HarvestJob.get(job_id).status == "Running"

    @pytest.mark.ckan_config("ckanext.vndata.harvester.job_time_limit", "30")
    def test_the_limit_is_configurable(self, app):
        source = harvest_source("http://127.0.0.1:9/catalog.ttl")
        job_id = running_job(source["id"], NOW - datetime.timedelta(minutes=31))

        assert _abort(app) == [job_id]
        assert _abort(app) == []  # once

    def test_every_stuck_job_of_one_run_gets_its_finish_time(self, app):
        """harvest_job_abort removes the session: each job after the first lost its
        ``finished`` time when the jobs were loaded before the loop."""
        started = NOW - datetime.timedelta(hours=7)
        job_ids = [
            running_job(
                harvest_source(f"http://127.0.0.1:9/{n}.ttl", name=f"nguon-{n}")["id"],
                started,
            )
            for n in range(3)
        ]

        assert sorted(_abort(app)) == sorted(job_ids)

        model.Session.expire_all()
        for job_id in job_ids:
            job = HarvestJob.get(job_id)
            assert (job.status, job.finished) == ("Finished", NOW)

    def test_a_job_left_new_is_aborted_counted_from_its_creation(self, app):
        """A job never sent to gather stays "New" and blocks its source for good."""
        source = harvest_source("http://127.0.0.1:9/catalog.ttl")
        old = HarvestJob.get(create_job(source["id"])["id"])
        old.created = NOW - datetime.timedelta(hours=6, minutes=1)
        old.save()
        other = harvest_source("http://127.0.0.1:9/other.ttl", name="nguon-khac")
        recent = HarvestJob.get(create_job(other["id"])["id"])
        recent.created = NOW - datetime.timedelta(hours=1)
        recent.save()
        old_id, recent_id = old.id, recent.id

        assert _abort(app) == [old_id]

        model.Session.expire_all()
        assert HarvestJob.get(old_id).status == "Finished"
        assert HarvestJob.get(recent_id).status == "New"
        create_job(source["id"])  # the source may run again
