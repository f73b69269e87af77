"""Harvested datasets indexed once each, at their activity's show or in batches, and
all searchable when their job ends; other writes index at once."""

from __future__ import annotations

import pysolr
import pytest

from ckan.lib import plugins as lib_plugins
from ckan.lib import search
from ckan.lib.search.index import PackageSearchIndex
from ckan.tests import factories, helpers
from ckanext.harvest.model import HarvestJob

from ckanext.vndata.harvester import deferred_index
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


@pytest.fixture
def solr_adds(monkeypatch) -> list[list[str]]:
    """The ids of the documents of each request that adds documents to Solr."""
    requests: list[list[str]] = []
    add = pysolr.Solr.add

    def counted(self, docs, *args, **kwargs):
        requests.append([doc["id"] for doc in docs])
        return add(self, docs, *args, **kwargs)

    monkeypatch.setattr(pysolr.Solr, "add", counted)
    return requests


def found(package_ids) -> set[str]:
    """Of these datasets, those package_search finds."""
    result = helpers.call_action(
        "package_search", q="*:*", fl="id", rows=1000, include_private=True
    )
    return {row["id"] for row in result["results"]} & set(package_ids)


def _five_harvested(catalogue_server) -> list:
    """The harvest objects of a vndata_dcat job of five records, run here."""
    handler, url = catalogue_server
    handler.body = turtle_catalogue({n: turtle_record(n) for n in range(1, 6)})
    return run_harvest(harvest_source(url)["id"], "vndata_dcat")


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestDeferredIndex:
    # Batches of 2 records, never by time: 5 records make batches 2, 2 and the last.
    @pytest.mark.ckan_config("ckanext.vndata.harvester.search_commit_interval", 3600)
    @pytest.mark.ckan_config("ckanext.vndata.harvester.search_batch_size", 2)
    def test_each_harvested_dataset_is_indexed_once_and_found_when_its_job_ends(
        self, catalogue_server, indexings
    ):
        objects = _five_harvested(catalogue_server)

        package_ids = [o.package_id for o in objects]
        assert None not in package_ids and len(set(package_ids)) == 5
        assert sorted(i for i in indexings if i in package_ids) == sorted(package_ids)
        assert found(package_ids) == set(package_ids)
        assert HarvestJob.get(objects[0].harvest_job_id).status == "Finished"

    # One batch: never full, never due; the job's last record sends it.
    @pytest.mark.ckan_config("ckanext.vndata.harvester.search_commit_interval", 3600)
    @pytest.mark.ckan_config("ckanext.vndata.harvester.search_batch_size", 100)
    def test_a_batchs_documents_go_to_solr_in_one_request(
        self, catalogue_server, solr_adds
    ):
        objects = _five_harvested(catalogue_server)

        package_ids = {o.package_id for o in objects}
        with_datasets = [ids for ids in solr_adds if package_ids & set(ids)]
        assert [sorted(ids) for ids in with_datasets] == [sorted(package_ids)]
        assert found(package_ids) == package_ids

    @pytest.mark.ckan_config("ckanext.vndata.harvester.search_commit_interval", 3600)
    @pytest.mark.ckan_config("ckanext.vndata.harvester.search_batch_size", 2)
    def test_a_batch_solr_refused_is_sent_again_and_found(
        self, catalogue_server, monkeypatch
    ):
        add, refused = pysolr.Solr.add, []

        def down_once(self, docs, *args, **kwargs):
            if not refused and len(docs) > 1:  # the first batch, not the source
                refused.extend(doc["id"] for doc in docs)
                raise pysolr.SolrError("Solr is restarting")
            return add(self, docs, *args, **kwargs)

        monkeypatch.setattr(pysolr.Solr, "add", down_once)
        objects = _five_harvested(catalogue_server)

        package_ids = {o.package_id for o in objects}
        assert refused and set(refused) <= package_ids
        assert found(package_ids) == package_ids

    def test_a_write_outside_an_import_is_indexed_at_once(self, indexings):
        dataset = VnDataset(owner_org=factories.Organization()["id"])

        assert dataset["id"] in indexings
        assert found([dataset["id"]]) == {dataset["id"]}


@pytest.fixture
def shows_validated(monkeypatch) -> list[str]:
    """The id of each dataset validated by the show schema (package_show's, or the
    package index's for its validated_data_dict), once per validation."""
    validated: list[str] = []
    plugin_validate = lib_plugins.plugin_validate

    def counted(package_plugin, context, data_dict, schema, action):
        if action == "package_show":
            validated.append(data_dict.get("id"))
        return plugin_validate(package_plugin, context, data_dict, schema, action)

    monkeypatch.setattr(lib_plugins, "plugin_validate", counted)
    return validated


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestIndexedAtTheActivitysShow:
    """The activity CKAN records for a harvested write shows the dataset from the
    document the import has just indexed, as it would from Solr after a commit."""

    def test_a_harvested_dataset_is_validated_once_and_its_activity_shows_it_whole(
        self, catalogue_server, indexings, shows_validated
    ):
        handler, url = catalogue_server
        handler.body = turtle_catalogue({n: turtle_record(n) for n in range(1, 4)})
        source = harvest_source(url)

        objects = run_harvest(source["id"], "vndata_dcat")

        package_ids = [o.package_id for o in objects]
        assert sorted(i for i in indexings if i in package_ids) == sorted(package_ids)
        assert sorted(i for i in shows_validated if i in package_ids) == sorted(
            package_ids
        )
        for package_id in package_ids:
            (activity,) = helpers.call_action(
                "package_activity_list", id=package_id, include_hidden_activity=True
            )
            assert activity["activity_type"] == "new package"
            recorded = helpers.call_action("activity_show", id=activity["id"])
            shown = helpers.call_action("package_show", id=package_id)
            assert recorded["data"]["package"] == shown

    def test_a_dataset_written_again_is_not_shown_from_its_earlier_document(self):
        organization = factories.Organization()
        with deferred_index.deferring(set()):
            dataset = VnDataset(owner_org=organization["id"])
            first = helpers.call_action("package_show", id=dataset["id"])
            helpers.call_action(
                "package_patch",
                context={"user": factories.Sysadmin()["name"]},
                id=dataset["id"],
                title="Tiêu đề đã sửa",
            )
            again = helpers.call_action("package_show", id=dataset["id"])

        assert first["title"] == dataset["title"]
        assert again["title"] == "Tiêu đề đã sửa"

    def test_outside_an_import_the_query_asks_solr(self):
        dataset = VnDataset(owner_org=factories.Organization()["id"])
        with deferred_index.deferring(set()):
            pass  # an import's documents end with it

        assert search.show(dataset["id"])["id"] == dataset["id"]
        with pytest.raises(search.SearchError):
            search.show("khong-co-tap-du-lieu-nay")

    # Removals not committed during the import, as search_commits.py has it.
    @pytest.mark.ckan_config("ckan.search.solr_commit", False)
    def test_a_dataset_withdrawn_in_the_import_is_shown_withdrawn(self):
        sysadmin = {"user": factories.Sysadmin()["name"]}
        dataset = VnDataset(owner_org=factories.Organization()["id"])
        search.commit()  # Solr holds it as it was
        with deferred_index.deferring(set()):
            helpers.call_action("package_delete", dict(sysadmin), id=dataset["id"])
            shown = helpers.call_action(
                "package_show", dict(sysadmin), id=dataset["id"]
            )
        withdrawal = helpers.call_action(
            "package_activity_list",
            dict(sysadmin),
            id=dataset["id"],
            include_hidden_activity=True,
        )[0]  # the newest

        assert shown["state"] == "deleted"
        assert withdrawal["activity_type"] == "deleted package"
        recorded = helpers.call_action(
            "activity_show", dict(sysadmin), id=withdrawal["id"]
        )
        assert recorded["data"]["package"]["state"] == "deleted"
