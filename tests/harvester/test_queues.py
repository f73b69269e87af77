"""A harvest through ckanext-harvest's real Redis queues and consumer processes.

One gather consumer and two fetch/import consumers run as separate `ckan` processes on
the test database, Solr core and Redis; the catalogue lists one record on both of its
pages. Every record must become exactly one dataset.
"""

from __future__ import annotations

import pytest

from ckan.tests import helpers
from ckanext.harvest.model import HarvestObject

from tests.harvester.helpers import catalogue
from tests.harvester.sources import (
    harvest_consumers,
    harvest_source,
    harvest_through_queues,
)

FIRST, SECOND = list(range(1, 21)), list(range(20, 41))  # 20 is on both pages


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_two_fetch_consumers_make_one_dataset_per_record(catalogue_server, tmp_path):
    handler, url = catalogue_server
    handler.pages = {
        "/catalog.ttl": catalogue(FIRST, next_page=url + "?page=2"),
        "/catalog.ttl?page=2": catalogue(SECOND),
    }
    source = harvest_source(url)

    with harvest_consumers(tmp_path):
        job = harvest_through_queues([source["id"]])[source["id"]]

    objects = HarvestObject.filter(harvest_job_id=job.id).all()
    assert [o.state for o in objects] == ["COMPLETE"] * 40, (
        tmp_path / "consumers.log"
    ).read_text()[-3000:]
    assert len({o.package_id for o in objects}) == 40
    assert helpers.call_action("package_search", rows=0)["count"] == 40
    assert job.status == "Finished"
