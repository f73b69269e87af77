"""A job started with the web's "Reharvest" button finishes, through the real queues.

ckanext-harvest marks jobs finished only in harvest_jobs_run: the demo and a
deployment run `ckan vndata_harvester scheduler` for it, beside the consumers.
"""

from __future__ import annotations

import time

import pytest

from ckan import model
from ckan.tests import factories, helpers
from ckanext.harvest.model import HarvestJob

from tests.harvester.helpers import catalogue
from tests.harvester.sources import harvest_consumers, harvest_source
from tests.helpers import ckan_process, ini_over_test_ini


def _job_status(source_id: str) -> tuple[str, str]:
    model.Session.remove()  # see what the other processes committed
    job = (
        model.Session.query(HarvestJob)
        .filter_by(source_id=source_id)
        .order_by(HarvestJob.created.desc())
        .first()
    )
    return job.id, job.status


def _reharvest(app, source_id: str, token: str) -> str:
    """What the button does: a POST to /harvest/refresh/<id> (confirm-action)."""
    before = (
        _job_status(source_id)[0]
        if HarvestJob.filter(source_id=source_id).count()
        else None
    )
    app.post(f"/harvest/refresh/{source_id}", headers={"Authorization": token})
    job_id, _ = _job_status(source_id)
    assert job_id != before, "the button started no job"
    return job_id


def _wait_finished(source_id: str, job_id: str, seconds: float) -> float:
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if _job_status(source_id) == (job_id, "Finished"):
            return time.monotonic() - started
        time.sleep(0.5)
    raise AssertionError(f"job {job_id} still {_job_status(source_id)[1]}")


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_a_job_started_from_the_web_finishes_within_a_minute(
    app, catalogue_server, tmp_path
):
    handler, url = catalogue_server
    handler.pages = {"/catalog.ttl": catalogue([1, 2, 3])}
    source = harvest_source(url)
    token = factories.SysadminWithToken()["token"]
    ini = ini_over_test_ini(
        tmp_path / "scheduler.ini",
        **{"ckanext.vndata.harvester.allowed_hosts": "127.0.0.1"},
    )
    with (
        harvest_consumers(tmp_path, fetch_consumers=1),
        ckan_process(ini, "vndata_harvester", "scheduler", "--every", "3"),
    ):
        first = _reharvest(app, source["id"], token)
        _wait_finished(source["id"], first, 90)  # the consumers start first
        assert helpers.call_action("package_search", rows=0)["count"] == 3

        # Unchanged catalogue: gather makes no object, and only the scheduler can
        # finish such a job; the button is enabled again afterwards.
        second = _reharvest(app, source["id"], token)
        assert _wait_finished(source["id"], second, 60) < 60
