"""The import of a plan object: the national organization by the source's publisher
rules, links resolved to this source's live datasets only."""

from __future__ import annotations

import pytest

from ckan.tests import factories, helpers
from ckanext.harvest.model import HarvestObject

from ckanext.vndata.harvester import plan_import
from tests.factories import VnDataset
from tests.harvester.helpers import (
    ckan_api_with_plans,
    ckan_record,
    ckan_source,
    remote_plan,
)
from tests.harvester.sources import newest_job_report
from tests.helpers import run_harvest


def _harvest(catalogue_server, records, plans, **config):
    handler, url = catalogue_server
    handler.respond = ckan_api_with_plans(records, plans)
    source = ckan_source(url, **config)
    return source, run_harvest(source["id"], "vndata_ckan")


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestOrganization:
    def test_the_publisher_rule_of_the_agency_code_files_the_plan(
        self, catalogue_server
    ):
        national = factories.Organization(name="so-khcn-da-nang")
        rules = [{"agency_code": "H17.14", "organization": "so-khcn-da-nang"}]

        _harvest(catalogue_server, [], [remote_plan()], publisher_rules=rules)

        (plan,) = helpers.call_action("vndata_plan_list")
        assert plan["organization_id"] == national["id"]

    def test_without_a_rule_the_plan_goes_to_the_source_organization(
        self, catalogue_server
    ):
        source, _ = _harvest(catalogue_server, [], [remote_plan()])

        (plan,) = helpers.call_action("vndata_plan_list")
        assert plan["organization_id"] == source["owner_org"]

    def test_an_unknown_publisher_under_review_holds_the_plan_back(
        self, catalogue_server
    ):
        source, objects = _harvest(
            catalogue_server, [], [remote_plan()], unknown_publishers="review"
        )

        assert helpers.call_action("vndata_plan_list") == []
        report = newest_job_report(source["id"])
        assert report["plan_counts"]["errors"] == 1
        assert report["records"][0]["status"] == "quarantined"


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestResolve:
    def test_a_link_names_the_national_copy_by_id_uri_or_name(self, catalogue_server):
        source, (obj,) = _harvest(catalogue_server, [ckan_record(1)], [])

        for ref in ({"id": "remote-1"}, {"uri": "remote-1"}, {"name": "remote-1"}):
            assert plan_import.resolve(source["id"], ref) == obj.package_id
        assert plan_import.resolve(source["id"], {"id": "remote-2"}) is None

    def test_another_source_copy_and_a_withdrawn_copy_are_not_resolved(
        self, catalogue_server
    ):
        source, (obj,) = _harvest(catalogue_server, [ckan_record(1)], [])
        other = VnDataset()["id"]

        assert plan_import.resolve(other, {"id": "remote-1"}) is None
        sysadmin = {"user": factories.Sysadmin()["name"]}
        helpers.call_action("package_delete", context=sysadmin, id=obj.package_id)
        assert plan_import.resolve(source["id"], {"id": "remote-1"}) is None

    @pytest.mark.parametrize("ref", [None, "remote-1", {"id": 7}, {}, {"id": ""}])
    def test_a_ref_of_another_shape_resolves_to_nothing(self, ref):
        assert plan_import.resolve("nguon", ref) is None


def test_the_refs_of_a_dataset_are_what_its_source_knows_it_by():
    harvest_object = HarvestObject(
        guid="nguon/remote-1",
        harvest_source_id="nguon",
        content='{"id": "remote-1", "name": "du-lieu-1", "uri": "https://x/ds/1"}',
    )

    refs = plan_import.dataset_refs(harvest_object)

    assert refs == ["nguon/remote-1", "remote-1", "du-lieu-1", "https://x/ds/1"]


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("http://cong.danang.gov.vn/ke-hoach/1", True),
        ("https://cong.danang.gov.vn/ke-hoach/1", False),  # another scheme
        ("http://cong.danang.gov.vn:8983/solr/admin", False),  # another port
        ("http://cong.hue.gov.vn/ke-hoach/1", False),  # another portal's plan
    ],
)
def test_a_plan_address_off_the_source_origin_is_dropped(url, kept):
    record = {"series_id": "s1", "url": url}

    result = plan_import.own_address(record, "http://cong.danang.gov.vn/")

    assert result["url"] == (url if kept else None)
    assert record["url"] == url  # the record read is left as it was
