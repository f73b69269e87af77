"""The source's rules on each record: publishers, validation mode, locally owned
fields, and datasets that arrive from two sources."""

from __future__ import annotations

import json

import pytest

from ckan import model
from ckan.tests import factories, helpers
from ckanext.harvest.model import HarvestObject

from tests.harvester.sources import SOURCE_CONFIG, harvest_source, newest_job_report
from tests.harvester.test_harvester import CATALOGUE
from tests.helpers import run_harvest

_source = harvest_source


_last_report = newest_job_report


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestPublishers:
    def test_unknown_publisher_gets_an_organization_under_the_province(
        self, catalogue_server
    ):
        handler, url = catalogue_server
        handler.body = CATALOGUE.encode("utf-8")
        source = _source(url, unknown_publishers="create")

        (first,) = run_harvest(source["id"], "vndata_dcat")
        handler.body = (CATALOGUE + "\n# trang đã đổi\n").encode("utf-8")
        (again,) = run_harvest(source["id"], "vndata_dcat")

        made = [
            name
            for name in helpers.call_action("organization_list")
            if name.startswith("so-khoa-hoc")
        ]
        assert made == ["so-khoa-hoc-va-cong-nghe-48"]  # made once
        organization = model.Group.get("so-khoa-hoc-va-cong-nghe-48")
        assert organization.title == "Sở Khoa học và Công nghệ"
        dataset = helpers.call_action("package_show", id=first.package_id)
        assert dataset["owner_org"] == organization.id
        assert again.package_id == first.package_id
        org = helpers.call_action("organization_show", id=organization.id)
        assert org["province_code"] == "48"
        assert org["agency_code"] == "H17.14"

    def test_unknown_publisher_waits_for_review_until_a_rule_names_it(
        self, catalogue_server
    ):
        handler, url = catalogue_server
        handler.body = CATALOGUE.encode("utf-8")
        source = _source(url, unknown_publishers="review")

        (held,) = run_harvest(source["id"], "vndata_dcat")
        report = _last_report(source["id"])

        assert held.package_id is None
        assert report["counts"]["quarantined"] == 1
        assert report["counts"]["errors"] == 0
        assert "Sở Khoa học và Công nghệ" in report["records"][0]["messages"][0]
        assert report["records"][0]["status"] == "quarantined"

        provincial = factories.Organization()
        rule = {"agency_code": "H17.14", "organization": provincial["name"]}
        helpers.call_action(
            "harvest_source_update",  # _patch loses source_type on CKAN 2.12
            context={"user": factories.Sysadmin()["name"]},
            id=source["id"],
            name=source["name"],
            url=source["url"],
            source_type=source["source_type"],
            owner_org=source["owner_org"],
            config=json.dumps(
                {
                    **SOURCE_CONFIG,
                    "unknown_publishers": "review",
                    "publisher_rules": [rule],
                }
            ),
        )
        (imported,) = run_harvest(source["id"], "vndata_dcat")
        dataset = helpers.call_action("package_show", id=imported.package_id)
        assert dataset["organization"]["name"] == provincial["name"]

    def test_a_record_held_for_review_leaves_its_dataset_with_the_last_import(
        self, catalogue_server
    ):
        handler, url = catalogue_server
        handler.body = CATALOGUE.encode("utf-8")
        source = _source(url)
        (imported,) = run_harvest(source["id"], "vndata_dcat")
        helpers.call_action(
            "harvest_source_update",
            context={"user": factories.Sysadmin()["name"]},
            id=source["id"],
            name=source["name"],
            url=source["url"],
            source_type=source["source_type"],
            owner_org=source["owner_org"],
            config=json.dumps({**SOURCE_CONFIG, "unknown_publishers": "review"}),
        )
        changed = CATALOGUE.replace("Các trường trên", "Mô tả mới: các trường trên")
        handler.body = changed.encode("utf-8")

        (held,) = run_harvest(source["id"], "vndata_dcat")

        model.Session.remove()
        imported, held = (HarvestObject.get(o.id) for o in (imported, held))
        assert held.state == "ERROR" and held.package_id is None
        # The dataset is still this source's (listed, withdrawn when it leaves).
        assert (imported.current, held.current) == (True, False)


UNKNOWN_SECTOR = CATALOGUE.replace(
    "<http://publications.europa.eu/resource/authority/data-theme/EDUC>",
    "<http://publications.europa.eu/resource/authority/data-theme/EDUC>, "
    "<https://example.vn/linh-vuc/khong-co>",
)


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestValidationMode:
    def test_block_holds_a_record_with_unknown_values(self, catalogue_server):
        handler, url = catalogue_server
        handler.body = UNKNOWN_SECTOR.encode("utf-8")
        source = _source(url, validation="block")

        (held,) = run_harvest(source["id"], "vndata_dcat")

        assert held.package_id is None
        (record,) = _last_report(source["id"])["records"]
        assert "khong-co" in record["messages"][0]

    def test_warn_imports_the_record_and_keeps_the_note_in_the_log(
        self, catalogue_server
    ):
        handler, url = catalogue_server
        handler.body = UNKNOWN_SECTOR.encode("utf-8")
        source = _source(url, validation="warn")

        (imported,) = run_harvest(source["id"], "vndata_dcat")

        assert imported.state == "COMPLETE"
        dataset = helpers.call_action("package_show", id=imported.package_id)
        assert dataset["sectors"] == ["giao-duc-dao-tao"]


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestLocallyOwnedFields:
    def test_national_edits_of_owned_fields_survive_a_source_change(
        self, catalogue_server
    ):
        handler, url = catalogue_server
        handler.body = CATALOGUE.encode("utf-8")
        source = _source(url, locally_owned_fields=["notes", "tag_string"])
        (first,) = run_harvest(source["id"], "vndata_dcat")
        helpers.call_action(
            "package_patch",
            context={"user": factories.Sysadmin()["name"]},
            id=first.package_id,
            notes="Mô tả do Cục Chuyển đổi số biên tập.",
            tag_string="giáo dục,trường học",
        )

        handler.body = (
            CATALOGUE.replace("Các trường trên", "Mô tả mới: các trường trên")
            .replace("Danh sách trường học Đà Nẵng", "Danh sách trường học (2026)")
            .encode("utf-8")
        )
        (changed,) = run_harvest(source["id"], "vndata_dcat")

        dataset = helpers.call_action("package_show", id=changed.package_id)
        assert changed.report_status == "updated"
        assert dataset["title"] == "Danh sách trường học (2026)"
        assert dataset["notes"] == "Mô tả do Cục Chuyển đổi số biên tập."
        assert {t["name"] for t in dataset["tags"]} == {"giáo dục", "trường học"}

    def test_unknown_owned_field_is_refused_in_the_config(self):
        with pytest.raises(Exception, match="locally_owned_fields"):
            _source("http://127.0.0.1/catalog.ttl", locally_owned_fields=["khong"])


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestCrossSourceDuplicates:
    def test_same_dataset_from_two_sources_is_reported_with_both_origins(
        self, catalogue_server
    ):
        handler, url = catalogue_server
        handler.body = CATALOGUE.encode("utf-8")
        direct = _source(url, "da-nang")
        aggregator = _source(url, "tong-hop-mien-trung", timeout=30)

        (first,) = run_harvest(direct["id"], "vndata_dcat")
        (second,) = run_harvest(aggregator["id"], "vndata_dcat")

        assert first.package_id != second.package_id  # kept apart, not merged
        (message,) = [e.message for e in second.errors]
        for source in (direct, aggregator):  # by title, as their pages show them
            assert f"«{source['title']}»" in message
        for harvested in (first, second):  # by title and address
            dataset = helpers.call_action("package_show", id=harvested.package_id)
            assert f"«{dataset['title']}» (" in message
            assert f"/dataset/{dataset['name']})" in message
        (pair,) = helpers.call_action("vndata_harvest_duplicates")
        assert pair["key"] == "http://127.0.0.1/ds/1"
        assert {o["package_id"] for o in pair["origins"]} == {
            first.package_id,
            second.package_id,
        }
        overview = helpers.call_action("vndata_harvest_overview")
        assert [row["duplicates"] for row in overview] == [1, 1]

    def test_same_plain_identifier_in_two_provinces_is_not_a_duplicate(
        self, catalogue_server
    ):
        handler, url = catalogue_server
        blank = CATALOGUE.replace("<http://127.0.0.1/ds/1>", "_:ds1").replace(
            "dcat:dataset _:ds1", "dcat:dataset _:ds1"
        )
        handler.body = blank.encode("utf-8")
        run_harvest(_source(url, "da-nang")["id"], "vndata_dcat")
        run_harvest(
            _source(url + "?hue", "hue", province_code="46")["id"], "vndata_dcat"
        )

        assert helpers.call_action("vndata_harvest_duplicates") == []
        assert helpers.call_action("package_search")["count"] == 2
