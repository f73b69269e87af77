"""Solr commits during an import: batched while the job's other records wait, made
for good after its last record."""

from __future__ import annotations

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories, helpers
from ckanext.harvest.model import HarvestObject

from ckanext.vndata.harvester import policy
from ckanext.vndata.harvester.search_commits import search_commits_batched
from tests.factories import VnDataset
from tests.harvester.helpers import bare_ckan_record, ckan_api
from tests.harvester.sources import (
    harvest_source,
    newest_job_report,
    objects_of_a_running_job,
)
from tests.helpers import run_harvest


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


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestImportErrors:
    @pytest.mark.ckan_config("ckanext.vndata.harvester.search_commit_interval", 3600)
    def test_an_exception_in_one_record_is_that_records_error(
        self, catalogue_server, monkeypatch
    ):
        handler, url = catalogue_server
        # A defect of ours on one record (here planted in the harvest policy), between
        # two records that import, within the commit interval.
        prepare = policy.prepare

        def broken_on_record_1(package, defaulted):
            if package.get("title") == bare_ckan_record(1)["title"]:
                raise TypeError("string indices must be integers")
            return prepare(package, defaulted)

        monkeypatch.setattr(policy, "prepare", broken_on_record_1)
        handler.respond = ckan_api(
            [bare_ckan_record(2), bare_ckan_record(1), bare_ckan_record(3)]
        )
        portal = url.replace("/catalog.ttl", "")
        source = harvest_source(portal, source_type="vndata_ckan")

        first, broken, last = run_harvest(source["id"], "vndata_ckan")  # no escape

        states = (first.state, broken.state, last.state)
        assert states == ("COMPLETE", "ERROR", "COMPLETE")
        (error,) = broken.errors
        assert "Không nhập được bản ghi (TypeError" in error.message
        assert "Traceback" not in error.message
        assert broken.package_id is None and not broken.current
        report = newest_job_report(source["id"])
        assert report["status"] == "Finished"
        assert (report["counts"]["added"], report["counts"]["errors"]) == (2, 1)
