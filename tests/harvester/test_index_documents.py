"""Documents an import builds wait for their batch; what changed meanwhile is not sent
as it was, one document Solr refuses does not hold its batch back, and the job's end
finds a dataset Solr holds as it was before its last write."""

from __future__ import annotations

import datetime

import pysolr
import pytest

from ckan.lib import search
from ckan.lib.search import index as ckan_index
from ckan.tests import factories, helpers

from ckanext.vndata.harvester import deferred_index, index_documents
from tests.factories import VnDataset


def _anonymous_finds(dataset_id: str) -> bool:
    found = helpers.call_action(
        "package_search", context={"user": ""}, q=f'id:"{dataset_id}"'
    )
    return found["count"] == 1


def _built_at_its_show(organization_id: str) -> dict:
    """A dataset written in an import and shown there (its activity's show): its
    document is built and waits for the batch."""
    with deferred_index.deferring(set()):
        dataset = VnDataset(owner_org=organization_id)
        helpers.call_action("package_show", id=dataset["id"])
    return dataset


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestBatchSent:
    def test_a_dataset_made_private_meanwhile_is_not_sent_public(self):
        sysadmin = {"user": factories.Sysadmin()["name"]}
        organization = factories.Organization()
        dataset = _built_at_its_show(organization["id"])
        # Another process (a web worker) makes it private before the batch is sent.
        helpers.call_action(
            "package_patch", dict(sysadmin), id=dataset["id"], private=True
        )

        assert deferred_index.index_batch([]) == set()
        search.commit()

        assert not _anonymous_finds(dataset["id"])
        shown = helpers.call_action("package_search", dict(sysadmin), q="*:*",
                                    include_private=True)  # fmt: skip
        assert [d["id"] for d in shown["results"]] == [dataset["id"]]

    def test_a_purged_dataset_is_not_sent_back_into_search(self):
        dataset = _built_at_its_show(factories.Organization()["id"])
        helpers.call_action(
            "dataset_purge", {"user": factories.Sysadmin()["name"]}, id=dataset["id"]
        )

        assert deferred_index.index_batch([]) == set()
        search.commit()

        assert not _anonymous_finds(dataset["id"])

    def test_a_document_solr_refuses_does_not_hold_back_the_others(self, monkeypatch):
        organization = factories.Organization()
        kept = _built_at_its_show(organization["id"])
        refused = _built_at_its_show(organization["id"])
        add = pysolr.Solr.add

        def refusing(self, docs, *args, **kwargs):
            if any(doc["id"] == refused["id"] for doc in docs):
                raise pysolr.SolrError("Solr: immense term in field text")
            return add(self, docs, *args, **kwargs)

        monkeypatch.setattr(pysolr.Solr, "add", refusing)

        assert deferred_index.index_batch([]) == {refused["id"]}
        search.commit()

        assert _anonymous_finds(kept["id"])
        assert deferred_index.unsent_count() == 0


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestUnindexed:
    def test_a_dataset_indexed_before_its_last_write_is_found(self):
        dataset = VnDataset(owner_org=factories.Organization()["id"])
        assert deferred_index.unindexed([dataset["id"]]) == set()
        # Written again in an import whose batch never came (a consumer lost).
        with deferred_index.deferring(set()):
            helpers.call_action(
                "package_patch",
                {"user": factories.Sysadmin()["name"]},
                id=dataset["id"],
                title="Tiêu đề mới",
            )
        deferred_index._unsent.take_all()  # the lost consumer's

        assert deferred_index.unindexed([dataset["id"]]) == {dataset["id"]}


class TestSameTime:
    stored = datetime.datetime(2026, 12, 2, 14, 6, 46, 970123)

    @pytest.mark.parametrize(
        "value", ["2026-12-02T14:06:46.97Z", "2026-12-02T14:06:46.970123Z"]
    )
    def test_solrs_milliseconds_are_the_same_time(self, value):
        assert index_documents.same_time(value, self.stored)

    @pytest.mark.parametrize(
        "value", ["2026-12-02T14:06:47.97Z", "", None, "không phải ngày", 5]
    )
    def test_another_or_no_time_is_not(self, value):
        assert not index_documents.same_time(value, self.stored)

    def test_no_stored_time_is_not(self):
        assert not index_documents.same_time("2026-12-02T14:06:46.97Z", None)


def test_the_collecting_connection_is_installed_once():
    index_documents.vndata_install_collecting_connection()
    installed = ckan_index.make_connection
    index_documents.vndata_install_collecting_connection()

    assert ckan_index.make_connection is installed
    assert getattr(installed, "vndata_collecting", False)
