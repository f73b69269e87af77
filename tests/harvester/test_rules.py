"""The source's rules on each record: publishers, validation mode, locally owned
fields (datasets that arrive from two sources: test_duplicates.py)."""

from __future__ import annotations

import json
import threading

import pytest

from ckan import model
from ckan.tests import factories, helpers
from ckanext.harvest.model import HarvestObject

from ckanext.vndata.harvester import config as source_config
from ckanext.vndata.harvester import rules
from tests.harvester.helpers import CATALOGUE, ckan_api, ckan_record, ckan_source
from tests.harvester.sources import (
    SOURCE_CONFIG,
    harvest_source,
    newest_job_report,
    turtle_catalogue,
    turtle_record,
)
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


# Two records of one unknown publisher; record 1 lacks the description the
# Vietnamese schema requires, so it fails validation after its publisher was matched.
SAME_PUBLISHER = "".join(
    turtle_record(n) + f"<http://127.0.0.1/ds/{n}> dct:publisher [ a foaf:Agent ; "
    'foaf:name "Sở Khoa học và Công nghệ"@vi ; dct:identifier "H17.14" ] .\n'
    for n in (1, 2)
)
NEW_ORGANIZATION = "so-khoa-hoc-va-cong-nghe-48"


# A title no dataset may have (longer than the schema allows): the record, which the
# harvest policy cannot repair, is refused after its organization was made.
REFUSED_TITLE = "Tập dữ liệu có tên quá dài " * 60


def _refused(*numbers: int) -> bytes:
    page = turtle_catalogue({1: SAME_PUBLISHER}).decode("utf-8")
    for n in numbers:
        page = page.replace(f'"Tập dữ liệu số {n}"@vi', f'"{REFUSED_TITLE}"@vi')
    return page.encode("utf-8")


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestOrganizationsOfUnknownPublishers:
    def test_no_organization_remains_for_records_that_were_not_imported(
        self, catalogue_server
    ):
        handler, url = catalogue_server
        handler.body = _refused(1, 2)
        source = _source(url, unknown_publishers="create")
        organizations = helpers.call_action("organization_list")

        failed = run_harvest(source["id"], "vndata_dcat")

        assert [o.state for o in failed] == ["ERROR", "ERROR"]
        assert model.Group.get(NEW_ORGANIZATION) is None
        assert helpers.call_action("organization_list") == organizations

    def test_one_organization_for_a_publisher_whose_first_record_fails(
        self, catalogue_server
    ):
        handler, url = catalogue_server
        handler.body = _refused(1)
        source = _source(url, unknown_publishers="create")

        objects = run_harvest(source["id"], "vndata_dcat")

        states = {o.guid.rsplit("/", 1)[-1]: o.state for o in objects}
        assert states == {"1": "ERROR", "2": "COMPLETE"}
        made = [
            name
            for name in helpers.call_action("organization_list")
            if name.startswith("so-khoa-hoc")
        ]
        assert made == [NEW_ORGANIZATION]
        (imported,) = [o for o in objects if o.state == "COMPLETE"]
        dataset = helpers.call_action("package_show", id=imported.package_id)
        assert dataset["organization"]["name"] == NEW_ORGANIZATION

    def test_an_organization_that_existed_before_is_kept_though_empty(
        self, catalogue_server
    ):
        handler, url = catalogue_server
        handler.body = _refused(1, 2)
        factories.Organization(name=NEW_ORGANIZATION)
        source = _source(url, unknown_publishers="create")

        run_harvest(source["id"], "vndata_dcat")

        assert model.Group.get(NEW_ORGANIZATION).state == "active"

    def test_no_organization_remains_for_a_ckan_record_that_failed(
        self, catalogue_server
    ):
        handler, url = catalogue_server
        publisher = {"name": "so-gd", "title": "Sở Giáo dục và Đào tạo"}
        refused = ckan_record(1, title=REFUSED_TITLE, organization=publisher)
        handler.respond = ckan_api([refused])
        hue = ckan_source(url, unknown_publishers="create")

        (failed,) = run_harvest(hue["id"], "vndata_ckan")

        assert failed.state == "ERROR"
        assert model.Group.get("so-giao-duc-va-dao-tao-48") is None


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestNewOrganizationLock:
    AGENCY = {"title": "Sở Khoa học và Công nghệ", "agency_code": "H17.14"}

    def _config(self) -> dict:
        return source_config.parse(
            json.dumps({**SOURCE_CONFIG, "unknown_publishers": "create"})
        )

    def test_a_parallel_import_waits_for_the_one_that_may_remove_the_organization(
        self, app
    ):
        user = helpers.call_action("get_site_user")["name"]
        first = rules.NewOrganizations(user)
        made = rules.organization_for(self.AGENCY, self._config(), first)
        found: dict = {}

        def second_import():  # another consumer: its own thread, session, connection
            with app.flask_app.app_context():
                mine = rules.NewOrganizations(user)
                try:
                    found["id"] = rules.organization_for(
                        self.AGENCY, self._config(), mine
                    )
                finally:
                    mine.settle(imported=True)
                    model.Session.remove()

        other = threading.Thread(target=second_import)
        other.start()
        other.join(timeout=2)
        waited = other.is_alive()
        first.settle(imported=False)  # the first record failed validation
        other.join(timeout=30)

        assert waited and not other.is_alive()
        assert model.Group.get(made) is None  # removed, not used by the other
        assert found["id"] != made
        assert model.Group.get(found["id"]).name == NEW_ORGANIZATION


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestNewOrganizationStaysInTheProvince:
    """A provincial source's unknown publisher gets no central identity: the roster
    would file it under a ministry (review finding 4)."""

    def _made(self, province: str, **agency) -> dict:
        config = source_config.parse(
            json.dumps(
                {
                    **SOURCE_CONFIG,
                    "province_code": province,
                    "unknown_publishers": "create",
                }  # fmt: skip
            )
        )
        user = helpers.call_action("get_site_user")["name"]
        made = rules.NewOrganizations(user)
        agency = {"title": "Vụ Kế hoạch - Tài chính", **agency}
        organization_id = rules.organization_for(agency, config, made)
        made.settle(imported=True)
        return helpers.call_action("organization_show", id=organization_id)

    @pytest.mark.parametrize(
        "code", ["G06.99", "g06.99", "A01", "Z01ABC", "0101234567"]
    )
    def test_a_central_or_other_code_is_dropped_where_the_province_code_is_unknown(
        self, code
    ):
        made = self._made("48", agency_code=code, agency_level="trung_uong")

        assert not made.get("agency_code")
        assert made.get("agency_level") != "trung_uong"
        assert made["province_code"] == "48"

    def test_where_the_province_code_is_known_only_codes_under_it_are_kept(self):
        assert self._made("46", agency_code="H57.14")["agency_code"] == "H57.14"
        assert not self._made("46", title="Sở khác", agency_code="H17.14").get(
            "agency_code"
        )
        assert not self._made("46", title="Sở nữa", agency_code="G06.99").get(
            "agency_code"
        )

    def test_a_provincial_code_is_kept_where_the_province_code_is_unknown(self):
        assert self._made("48", agency_code="H17.14")["agency_code"] == "H17.14"
