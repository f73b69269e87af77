"""Solr commits during an import: batched while the job's other records wait, made
for good after its last record."""

from __future__ import annotations

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories, helpers
from ckanext.harvest.model import HarvestObject

from ckanext.vndata.harvester.search_commits import search_commits_batched
from tests.factories import VnDataset
from tests.harvester.sources import (
    objects_of_a_running_job,
)


def _imported(harvest_object: HarvestObject, org_id: str) -> dict:
    with search_commits_batched(harvest_object):
        dataset = VnDataset(owner_org=org_id)
    harvest_object.state = "COMPLETE"
    harvest_object.save()
    return dataset


def _searchable(dataset: dict) -> bool:
    found = helpers.call_action("package_search", q=f"name:{dataset['name']}")
    return found["count"] == 1


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestSearchCommitsBatched:
    @pytest.mark.ckan_config("ckanext.vndata.harvester.search_commit_interval", 3600)
    def test_records_within_the_interval_wait_for_the_jobs_last_record(self):
        first, second, last = objects_of_a_running_job(3)
        org_id = factories.Organization()["id"]

        _imported(first, org_id)  # may commit: the interval starts here
        within = _imported(second, org_id)
        searchable_before_the_last = _searchable(within)
        late = _imported(last, org_id)

        assert not searchable_before_the_last
        assert _searchable(within) and _searchable(late)

    @pytest.mark.ckan_config("ckanext.vndata.harvester.search_commit_interval", 0)
    def test_a_record_is_searchable_after_the_interval_while_others_wait(self):
        first, _waiting = objects_of_a_running_job(2)

        dataset = _imported(first, factories.Organization()["id"])

        assert _searchable(dataset)

    def test_each_write_commits_again_after_an_import_that_failed(self):
        (only,) = objects_of_a_running_job(1)

        with pytest.raises(RuntimeError):
            with search_commits_batched(only):
                raise RuntimeError("the record could not be imported")

        assert tk.config["ckan.search.solr_commit"] is True
