"""A harvest through ckanext-harvest's real Redis queues and consumer processes.

One gather consumer and two fetch/import consumers run as separate `ckan` processes on
the test database, Solr core and Redis; the catalogue lists one record on both of its
pages. Every record must become exactly one dataset.
"""

from __future__ import annotations

import json
import time

import pytest

from ckan import model
from ckan.tests import factories, helpers
from ckanext.harvest import queue
from ckanext.harvest.model import HarvestJob, HarvestObject

from tests.harvester.sources import SOURCE_CONFIG
from tests.harvester.test_deletion import catalogue
from tests.helpers import ckan_process, ini_over_test_ini

FIRST, SECOND = list(range(1, 21)), list(range(20, 41))  # 20 is on both pages


def _wait_for_objects(job_id: str, seconds: float) -> list[HarvestObject]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        model.Session.remove()  # see what the consumers committed
        objects = HarvestObject.filter(harvest_job_id=job_id).all()
        if objects and all(o.state in ("COMPLETE", "ERROR") for o in objects):
            return objects
        time.sleep(0.5)
    raise TimeoutError(f"job {job_id}: objects not done within {seconds}s")


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_two_fetch_consumers_make_one_dataset_per_record(catalogue_server, tmp_path):
    handler, url = catalogue_server
    handler.pages = {
        "/catalog.ttl": catalogue(FIRST, next_page=url + "?page=2"),
        "/catalog.ttl?page=2": catalogue(SECOND),
    }
    sysadmin = {"user": factories.Sysadmin()["name"]}
    source = helpers.call_action(
        "harvest_source_create",
        context=sysadmin,
        name="cong-du-lieu-da-nang",
        url=url,
        source_type="vndata_dcat",
        owner_org=factories.Organization()["id"],
        config=json.dumps(SOURCE_CONFIG),
    )
    # Loopback allowed, as the in-process tests allow it.
    ini = ini_over_test_ini(
        tmp_path / "consumers.ini",
        **{"ckanext.vndata.harvester.allowed_hosts": "127.0.0.1"},
    )
    env = None
    log = (tmp_path / "consumers.log").open("w")
    queue.purge_queues()  # jobs of earlier tests must not reach these consumers
    with (
        ckan_process(ini, "harvester", "gather-consumer", env=env, log=log),
        ckan_process(ini, "harvester", "fetch-consumer", env=env, log=log),
        ckan_process(ini, "harvester", "fetch-consumer", env=env, log=log),
    ):
        job = helpers.call_action("harvest_job_create", context=sysadmin,
                                  source_id=source["id"], run=True)  # fmt: skip
        objects = _wait_for_objects(job["id"], 120)
    helpers.call_action("harvest_jobs_run", context={"ignore_auth": True})

    assert [o.state for o in objects] == ["COMPLETE"] * 40, (
        tmp_path / "consumers.log"
    ).read_text()[-3000:]
    assert len({o.package_id for o in objects}) == 40
    assert helpers.call_action("package_search", rows=0)["count"] == 40
    assert HarvestJob.get(job["id"]).status == "Finished"
