"""The vndata_dcat harvester on a real loopback catalogue, through the real stages."""

from __future__ import annotations

import json

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories, helpers

from ckanext.vndata.harvester.dcat_rdf import profiles_run_once
from tests.harvester.helpers import CATALOGUE
from tests.harvester.sources import (
    SOURCE_CONFIG,
    activities,
    harvest_source,
    newest_job_report,
)
from tests.helpers import run_harvest


def _source(url: str, org: dict, **config) -> dict:
    return harvest_source(
        url, owner_org=org["id"], title="Cổng dữ liệu mở Đà Nẵng", **config
    )


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestHarvest:
    def test_record_becomes_a_vietnamese_dataset_with_the_source_defaults(
        self, catalogue_server
    ):
        handler, url = catalogue_server
        handler.body = CATALOGUE.encode("utf-8")
        national = factories.Organization(name="quoc-gia")
        provincial = factories.Organization(name="so-khcn-da-nang")
        source = _source(
            url,
            national,
            **SOURCE_CONFIG,
            publisher_rules=[
                {"agency_code": "H17.14", "organization": provincial["id"]}
            ],
        )

        (harvested,) = run_harvest(source["id"], "vndata_dcat")

        assert harvested.state == "COMPLETE", [e.message for e in harvested.errors]
        dataset = helpers.call_action("package_show", id=harvested.package_id)
        assert dataset["name"] == "danh-sach-truong-hoc-da-nang"
        assert dataset["owner_org"] == provincial["id"]
        assert dataset["province_code"] == "48"
        assert dataset["sectors"] == ["giao-duc-dao-tao"]
        assert (dataset["data_sharing_class"], dataset["update_frequency"]) == (
            "mo",
            "khong_dinh_ky",
        )
        assert dataset["source_catalog_uri"] == url
        assert dataset["source_catalog_title"] == "Cổng dữ liệu mở Đà Nẵng"
        assert dataset["private"] is False

    def test_invalid_source_config_is_refused_when_the_source_is_saved(self):
        with pytest.raises(tk.ValidationError) as raised:
            _source("http://127.0.0.1/x.ttl", factories.Organization(), timeout=0)

        assert "timeout must be a number" in str(raised.value.error_dict)


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_loopback_source_is_refused_unless_allowed(catalogue_server):
    handler, url = catalogue_server
    handler.body = CATALOGUE.encode("utf-8")
    source = _source(url, factories.Organization(), **SOURCE_CONFIG)

    objects = run_harvest(source["id"], "vndata_dcat")

    assert objects == []
    errors = helpers.call_action("harvest_source_show", id=source["id"])
    job = helpers.call_action(
        "harvest_job_list", context={"user": factories.Sysadmin()["name"]},
        source_id=source["id"],
    )[0]  # fmt: skip
    report = helpers.call_action("harvest_job_report", id=job["id"])
    assert errors
    assert any(
        "loopback" in e for e in report["gather_errors"][0]["message"].split("\n")
    )


def _last_counts(source_id: str) -> dict:
    return newest_job_report(source_id)["counts"]


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestReharvest:
    def test_unchanged_page_is_not_parsed_or_written_again(self, catalogue_server):
        handler, url = catalogue_server
        handler.body = CATALOGUE.encode("utf-8")
        source = _source(url, factories.Organization(), **SOURCE_CONFIG)
        (first,) = run_harvest(source["id"], "vndata_dcat")
        before = helpers.call_action("package_show", id=first.package_id)
        written = activities(first.package_id)

        objects = run_harvest(source["id"], "vndata_dcat")

        after = helpers.call_action("package_show", id=first.package_id)
        assert objects == []  # not even a harvest object
        assert after["metadata_modified"] == before["metadata_modified"]
        assert activities(first.package_id) == written
        assert _last_counts(source["id"])["unchanged"] == 1

    def test_unchanged_record_on_a_changed_page_is_not_written_again(
        self, catalogue_server
    ):
        handler, url = catalogue_server
        handler.body = CATALOGUE.encode("utf-8")
        source = _source(url, factories.Organization(), **SOURCE_CONFIG)
        (first,) = run_harvest(source["id"], "vndata_dcat")
        before = helpers.call_action("package_show", id=first.package_id)

        handler.body = (CATALOGUE + "\n# trang đã đổi\n").encode("utf-8")
        (second,) = run_harvest(source["id"], "vndata_dcat")

        after = helpers.call_action("package_show", id=first.package_id)
        assert (second.state, second.report_status) == ("COMPLETE", "not modified")
        assert second.package_id == first.package_id
        assert after["metadata_modified"] == before["metadata_modified"]

    def test_dataset_deleted_here_comes_back_though_the_page_did_not_change(
        self, catalogue_server
    ):
        handler, url = catalogue_server
        handler.body = CATALOGUE.encode("utf-8")
        source = _source(url, factories.Organization(), **SOURCE_CONFIG)
        (first,) = run_harvest(source["id"], "vndata_dcat")
        helpers.call_action(
            "package_delete",
            context={"user": factories.Sysadmin()["name"]},
            id=first.package_id,
        )

        (again,) = run_harvest(source["id"], "vndata_dcat")

        assert again.report_status == "added"
        shown = helpers.call_action("package_show", id=again.package_id)
        assert shown["state"] == "active"

    def test_changed_record_updates_the_same_dataset(self, catalogue_server):
        handler, url = catalogue_server
        handler.body = CATALOGUE.encode("utf-8")
        source = _source(url, factories.Organization(), **SOURCE_CONFIG)
        (first,) = run_harvest(source["id"], "vndata_dcat")

        handler.body = CATALOGUE.replace(
            "Các trường trên địa bàn thành phố.", "Danh sách mới cập nhật."
        ).encode("utf-8")
        (second,) = run_harvest(source["id"], "vndata_dcat")

        assert second.package_id == first.package_id
        dataset = helpers.call_action("package_show", id=first.package_id)
        assert dataset["notes"] == "Danh sách mới cập nhật."
        assert helpers.call_action("package_search", q="*:*")["count"] == 1

    def test_same_identifier_in_two_sources_makes_two_datasets(self, catalogue_server):
        handler, url = catalogue_server
        handler.body = CATALOGUE.encode("utf-8")
        danang = _source(url, factories.Organization(), **SOURCE_CONFIG)
        hue = helpers.call_action(
            "harvest_source_create",
            context={"user": factories.Sysadmin()["name"]},
            name="cong-du-lieu-hue",
            title="Cổng dữ liệu mở Huế",
            url=url + "?province=46",
            source_type="vndata_dcat",
            owner_org=factories.Organization()["id"],
            config=json.dumps({**SOURCE_CONFIG, "province_code": "46"}),
        )

        (from_danang,) = run_harvest(danang["id"], "vndata_dcat")
        (from_hue,) = run_harvest(hue["id"], "vndata_dcat")

        assert from_danang.package_id != from_hue.package_id
        provinces = {
            helpers.call_action("package_show", id=o.package_id)["province_code"]
            for o in (from_danang, from_hue)
        }
        assert provinces == {"48", "46"}


class TestProfilesRunOnce:
    def test_a_profile_another_listed_one_extends_is_dropped(self):
        names = ("euro_dcat_ap_3", "vn_dcat_ap", "vn_hue_od")

        assert profiles_run_once(names) == ["vn_dcat_ap", "vn_hue_od"]

    def test_profiles_that_add_to_each_other_are_kept_in_order(self):
        names = ("euro_dcat_ap_2", "euro_dcat_ap_scheming", "vn_hue_od")

        assert profiles_run_once(names) == list(names)
