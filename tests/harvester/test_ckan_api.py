"""vndata_ckan against a CKAN Action API on loopback: identity, changes, deletion,
fetch settings (the same guarantees as vndata_dcat)."""

from __future__ import annotations

import json

import pytest

from ckan.tests import factories, helpers

from tests.harvester.helpers import catalogue, ckan_api, ckan_record, ckan_source
from tests.harvester.sources import harvest_source, newest_job_report
from tests.helpers import run_harvest

_report = newest_job_report


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestCkanApiSource:
    def test_records_become_vietnamese_datasets_with_new_ids(self, catalogue_server):
        handler, url = catalogue_server
        handler.respond = ckan_api([ckan_record(1), ckan_record(2)])
        hue = ckan_source(url)

        objects = run_harvest(hue["id"], "vndata_ckan")

        assert [o.state for o in objects] == ["COMPLETE", "COMPLETE"]
        dataset = helpers.call_action("package_show", id=objects[0].package_id)
        assert dataset["id"] != "remote-1"
        assert dataset["name"] == "du-lieu-1"  # the province's URL name
        assert dataset["tags"][0]["name"] == "giáo dục"
        assert dataset["resources"][0]["id"] != "res-1"
        assert dataset["data_sharing_class"] == "mo"
        assert dataset["owner_org"] == hue["owner_org"]  # no rule: the source's own

    def test_publisher_rule_matches_the_agency_code_of_the_remote_organization(
        self, catalogue_server
    ):
        handler, url = catalogue_server
        short = {"id": "org-gd", "name": "so-gd", "title": "Sở Giáo dục và Đào tạo"}
        search = ckan_api([ckan_record(1, organization=short)])
        full = {**short, "agency_code": "H17.14", "province_code": "48"}

        def respond(path: str) -> bytes | None:
            # package_search leaves the agency code out; organization_show has it.
            if path.startswith("/api/3/action/organization_show?id=org-gd&"):
                return json.dumps({"success": True, "result": full}).encode("utf-8")
            return search(path)

        handler.respond = respond
        national = factories.Organization(name="so-gd-da-nang")
        rules = [{"agency_code": "H17.14", "organization": "so-gd-da-nang"}]
        hcm = ckan_source(url, publisher_rules=rules)

        (harvested,) = run_harvest(hcm["id"], "vndata_ckan")
        full["package_count"] = 7  # the organization published elsewhere meanwhile
        (again,) = run_harvest(hcm["id"], "vndata_ckan")

        dataset = helpers.call_action("package_show", id=harvested.package_id)
        assert dataset["owner_org"] == national["id"]
        assert again.report_status == "not modified"

    def test_same_remote_id_in_two_provinces_makes_two_datasets(self, catalogue_server):
        handler, url = catalogue_server
        handler.respond = ckan_api([ckan_record(1)])
        first = run_harvest(ckan_source(url, "tinh-a")["id"], "vndata_ckan")
        # Another address on the same server (two sources of one type at one address
        # are refused, source_urls.py); the API answers on every path alike.
        other = ckan_source(
            url.replace("/catalog.ttl", "/tinh-b/catalog.ttl"), "tinh-b",
            province_code="46",
        )  # fmt: skip
        second = run_harvest(other["id"], "vndata_ckan")

        assert first[0].package_id != second[0].package_id
        assert helpers.call_action("package_search")["count"] == 2

    def test_unchanged_record_is_not_written_and_a_change_updates_it(
        self, catalogue_server
    ):
        handler, url = catalogue_server
        records = [ckan_record(1)]
        handler.respond = ckan_api(records)
        hue = ckan_source(url)
        (first,) = run_harvest(hue["id"], "vndata_ckan")
        written = helpers.call_action("package_show", id=first.package_id)

        (again,) = run_harvest(hue["id"], "vndata_ckan")
        unchanged = helpers.call_action("package_show", id=first.package_id)
        records[0] = ckan_record(1, title="Dữ liệu số 1 (cập nhật)")
        (changed,) = run_harvest(hue["id"], "vndata_ckan")

        assert again.report_status == "not modified"
        assert unchanged["metadata_modified"] == written["metadata_modified"]
        assert changed.report_status == "updated"
        assert changed.package_id == first.package_id
        dataset = helpers.call_action("package_show", id=first.package_id)
        assert dataset["title"] == "Dữ liệu số 1 (cập nhật)"

    def test_missing_record_is_withdrawn_after_grace_and_under_threshold(
        self, catalogue_server
    ):
        handler, url = catalogue_server
        records = [ckan_record(n) for n in range(1, 6)]
        handler.respond = ckan_api(records)
        hue = ckan_source(url, deletion={"max_share": 0.3, "grace_days": 0})
        objects = run_harvest(hue["id"], "vndata_ckan")
        gone = objects[0].package_id
        del records[0]

        run_harvest(hue["id"], "vndata_ckan")  # marked missing today
        assert helpers.call_action("package_show", id=gone)["state"] == "active"
        run_harvest(hue["id"], "vndata_ckan")
        assert helpers.call_action("package_show", id=gone)["state"] == "deleted"

    def test_empty_or_failing_listing_withdraws_nothing(self, catalogue_server):
        handler, url = catalogue_server
        records = [ckan_record(1), ckan_record(2)]
        handler.respond = ckan_api(records)
        hue = ckan_source(url, deletion={"max_share": 1, "grace_days": 0})
        run_harvest(hue["id"], "vndata_ckan")

        records.clear()
        run_harvest(hue["id"], "vndata_ckan")
        run_harvest(hue["id"], "vndata_ckan")
        handler.respond = lambda path: None  # 404 for everything
        run_harvest(hue["id"], "vndata_ckan")

        assert helpers.call_action("package_search")["count"] == 2
        assert _report(hue["id"])["failed"]

    def test_login_header_and_size_cap_apply_to_api_calls(self, catalogue_server):
        handler, url = catalogue_server
        big = ckan_record(1, notes="x" * (2 * 1024 * 1024))
        handler.respond = ckan_api([big])
        hue = ckan_source(url, auth_header="Basic aHVlOmh1ZQ==", max_document_mb=1)

        objects = run_harvest(hue["id"], "vndata_ckan")

        assert objects == []
        assert handler.headers_seen[0]["Authorization"] == "Basic aHVlOmh1ZQ=="
        assert any("1 MB" in m for m in _report(hue["id"])["gather_errors"])

    def test_endless_paging_stops_at_the_page_limit(self, catalogue_server):
        handler, url = catalogue_server
        counter = iter(range(10**6))

        def endless(path):  # a new record on every page, forever
            return json.dumps(
                {"success": True, "result": {"results": [ckan_record(next(counter))]}}
            ).encode()

        handler.respond = endless
        hue = ckan_source(url, max_pages=3)

        objects = run_harvest(hue["id"], "vndata_ckan")

        assert objects == []
        assert len(handler.headers_seen) == 3
        assert any("3" in m for m in _report(hue["id"])["gather_errors"])


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestHarvestedDatasetsInTheIndex:
    @pytest.mark.parametrize("source_type", ["vndata_ckan", "vndata_dcat"])
    def test_first_index_carries_the_source_and_clear_leaves_no_ghost(
        self, catalogue_server, source_type
    ):
        handler, url = catalogue_server
        if source_type == "vndata_ckan":
            handler.respond = ckan_api([ckan_record(1), ckan_record(2)])
            url = url.replace("/catalog.ttl", "")
        else:
            handler.body = catalogue([1, 2])
        hue = harvest_source(url, source_type=source_type)

        run_harvest(hue["id"], source_type)  # first harvest: each dataset written once

        by_source = helpers.call_action(
            "package_search", fq=f'harvest_source_id:"{hue["id"]}"'
        )
        assert by_source["count"] == 2
        sysadmin = {"user": factories.Sysadmin()["name"]}
        helpers.call_action("harvest_source_clear", context=sysadmin, id=hue["id"])
        assert helpers.call_action("package_search", q="*:*")["count"] == 0
