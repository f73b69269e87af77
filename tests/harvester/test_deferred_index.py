"""Harvested datasets indexed once each, in batches, and all searchable when their job
ends; other writes index at once."""

from __future__ import annotations

import pytest

from ckan.lib.search.index import PackageSearchIndex
from ckan.tests import factories, helpers
from ckanext.harvest.model import HarvestJob

from tests.factories import VnDataset
from tests.harvester.sources import (
    harvest_source,
    turtle_catalogue,
    turtle_record,
)
from tests.helpers import run_harvest


@pytest.fixture
def indexings(monkeypatch) -> list[str]:
    """The id of each dataset CKAN's package index sends to Solr, once per sending."""
    sent: list[str] = []
    index_package = PackageSearchIndex.index_package

    def counted(self, pkg_dict, defer_commit=False):
        sent.append(pkg_dict["id"])
        return index_package(self, pkg_dict, defer_commit)

    monkeypatch.setattr(PackageSearchIndex, "index_package", counted)
    return sent


def found(package_ids) -> set[str]:
    """Of these datasets, those package_search finds."""
    result = helpers.call_action(
        "package_search", q="*:*", fl="id", rows=1000, include_private=True
    )
    return {row["id"] for row in result["results"]} & set(package_ids)


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestDeferredIndex:
    # Batches of 2 records, never by time: 5 records make batches 2, 2 and the last.
    @pytest.mark.ckan_config("ckanext.vndata.harvester.search_commit_interval", 3600)
    @pytest.mark.ckan_config("ckanext.vndata.harvester.search_batch_size", 2)
    def test_each_harvested_dataset_is_indexed_once_and_found_when_its_job_ends(
        self, catalogue_server, indexings
    ):
        handler, url = catalogue_server
        handler.body = turtle_catalogue({n: turtle_record(n) for n in range(1, 6)})
        source = harvest_source(url)

        objects = run_harvest(source["id"], "vndata_dcat")

        package_ids = [o.package_id for o in objects]
        assert None not in package_ids and len(set(package_ids)) == 5
        assert sorted(i for i in indexings if i in package_ids) == sorted(package_ids)
        assert found(package_ids) == set(package_ids)
        assert HarvestJob.get(objects[0].harvest_job_id).status == "Finished"

    def test_a_write_outside_an_import_is_indexed_at_once(self, indexings):
        dataset = VnDataset(owner_org=factories.Organization()["id"])

        assert dataset["id"] in indexings
        assert found([dataset["id"]]) == {dataset["id"]}
