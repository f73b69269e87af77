"""Harvest indexing's chained actions: a job whose consumer was lost with datasets
noted is searchable in full before it is marked finished; CKAN's search plugin's show
is cut short during an import only."""

from __future__ import annotations

import datetime

import pytest

from ckan.tests import factories, helpers
from ckanext.harvest.model import HarvestJob

from ckanext.vndata.harvester import deferred_index
from tests.factories import VnDataset
from tests.harvester.sources import objects_of_a_running_job
from tests.harvester.test_deferred_index import found


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestHarvestJobsRun:
    def test_datasets_a_lost_consumer_noted_are_indexed_before_the_job_finishes(self):
        (record,) = objects_of_a_running_job(1, state="COMPLETE")
        with deferred_index.deferring(set()):  # noted, then the consumer is lost
            dataset = VnDataset(owner_org=factories.Organization()["id"])
        record.package_id, record.current = dataset["id"], True
        record.save()
        job = HarvestJob.get(record.harvest_job_id)
        job.gather_finished = datetime.datetime.utcnow()
        job.save()
        unindexed_before = not found([dataset["id"]])

        helpers.call_action("harvest_jobs_run", context={"ignore_auth": True})

        assert unindexed_before
        assert found([dataset["id"]]) == {dataset["id"]}
        assert HarvestJob.get(job.id).status == "Finished"


@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_only_the_indexers_show_is_cut_short_during_an_import():
    dataset = VnDataset()
    indexer = {"ignore_auth": True, "validate": False, "use_cache": False}

    with deferred_index.deferring(set()):
        during = helpers.call_action("package_show", dict(indexer), id=dataset["id"])
        validated = helpers.call_action("package_show", id=dataset["id"])
    after = helpers.call_action("package_show", dict(indexer), id=dataset["id"])

    assert during == {"id": dataset["id"]}
    assert validated["name"] == after["name"] == dataset["name"]
