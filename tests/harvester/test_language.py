"""What a harvest operator reads is in the portal's language (vi), even when the
harvest runs outside any request, as ckanext-harvest's consumers do."""

from __future__ import annotations

import json

import flask
import pytest

from ckan.tests import factories, helpers

from ckanext.vndata.harvester import language
from tests.harvester.helpers import TOO_LONG, catalogue, ckan_api, ckan_record
from tests.harvester.sources import (
    harvest_source,
    newest_job_report,
    turtle_catalogue,
    turtle_record,
)
from tests.helpers import run_harvest


def _messages(source_id: str) -> list[str]:
    report = newest_job_report(source_id)
    return [m for r in report["records"] for m in r["messages"]]


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.ckan_config("ckan.locale_default", "vi")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestStoredMessages:
    def test_refused_ckan_record_is_reported_by_title_and_vietnamese_labels(
        self, catalogue_server
    ):
        handler, url = catalogue_server
        handler.respond = ckan_api([ckan_record(1, conforms_to="không phải địa chỉ")])
        # With "warn" the harvest policy drops the value and imports the record.
        source = harvest_source(
            url.replace("/catalog.ttl", ""),
            source_type="vndata_ckan",
            validation="block",
        )
        assert not flask.has_request_context()  # as in a fetch consumer

        (harvested,) = run_harvest(source["id"], "vndata_ckan")

        (message,) = _messages(source["id"])
        assert harvested.state == "ERROR"
        # No partial write: no dataset, and the record is current for none.
        assert harvested.package_id is None and not harvested.current
        assert helpers.call_action("package_search")["count"] == 0
        assert "«Dữ liệu số 1 của tỉnh»" in message
        assert "Chuẩn, từ điển dữ liệu: Cung cấp địa chỉ hợp lệ" in message
        assert "conforms_to" not in message and "Conforms to" not in message
        assert harvested.guid not in message
        assert "dataset" not in message.lower()

    def test_fields_the_portal_does_not_know_are_kept_and_named_not_dumped(
        self, catalogue_server
    ):
        handler, url = catalogue_server
        creator = [{"uri": "https://example.org/a", "name": "A"}]
        handler.respond = ckan_api([ckan_record(1, creator=creator)])
        source = harvest_source(
            url.replace("/catalog.ttl", ""), source_type="vndata_ckan"
        )

        (harvested,) = run_harvest(source["id"], "vndata_ckan")

        dataset = helpers.call_action("package_show", id=harvested.package_id)
        assert "creator" in json.loads(dataset["harvest_notes"])["kept"]
        messages = " ".join(_messages(source["id"]))
        assert "('creator', 0" not in messages and "junk" not in messages

    def test_refused_dcat_record_is_reported_by_title_and_vietnamese_labels(
        self, catalogue_server
    ):
        handler, url = catalogue_server
        handler.body = turtle_catalogue({1: turtle_record(1, TOO_LONG)})
        source = harvest_source(url)

        (harvested,) = run_harvest(source["id"], "vndata_dcat")

        (message,) = _messages(source["id"])
        assert harvested.state == "ERROR"
        assert f"«{TOO_LONG.strip()}»" in message
        assert "Tên tập dữ liệu:" in message
        assert "Title" not in message and "title" not in message
        assert "Error" not in message and "dataset" not in message.lower()

    def test_catalogue_error_outside_a_request_is_vietnamese(self, catalogue_server):
        handler, url = catalogue_server
        handler.body = b"@prefix broken <"
        source = harvest_source(url)

        run_harvest(source["id"], "vndata_dcat")

        (message,) = newest_job_report(source["id"])["gather_errors"]
        assert "Không đọc được" in message or "không đọc được" in message, message
        assert "could not" not in message and "was not read" not in message

    def test_duplicate_names_both_datasets_and_sources_by_title_in_vietnamese(
        self, catalogue_server
    ):
        handler, url = catalogue_server
        handler.body = catalogue([1])
        da_nang = harvest_source(url, title="Cổng dữ liệu mở Đà Nẵng")
        run_harvest(da_nang["id"], "vndata_dcat")
        hue = harvest_source(
            url + "?ban-sao",
            name="cong-hue",
            title="Cổng dữ liệu mở Huế",
            province_code="46",
        )
        handler.body = catalogue([1]).replace(
            "Tập dữ liệu 1".encode(), "Dữ liệu trường học của Huế".encode()
        )

        (copy,) = run_harvest(hue["id"], "vndata_dcat")

        (message,) = _messages(hue["id"])
        assert "«Dữ liệu trường học của Huế»" in message
        assert "«Tập dữ liệu 1»" in message
        assert "Cổng dữ liệu mở Đà Nẵng" in message
        assert "Cổng dữ liệu mở Huế" in message
        assert "Cross-source" not in message and "Both are kept" not in message
        assert copy.package_id not in message and copy.guid not in message


@pytest.mark.ckan_config("ckan.locale_default", "vi")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestSourceForm:
    def test_bad_config_is_refused_on_the_form_in_vietnamese(self, app):
        sysadmin = factories.Sysadmin(password="Matkhau-2026")
        from tests.helpers import browser_login, csrf_token

        client = browser_login(app, sysadmin)
        form = client.get("/harvest/new").body
        page = client.post(
            "/harvest/new",
            data={
                "_csrf_token": csrf_token(form),
                "url": "https://data.danang.gov.vn/catalog.ttl",
                "title": "Cổng Đà Nẵng",
                "name": "cong-da-nang",
                "source_type": "vndata_dcat",
                "frequency": "MANUAL",
                "config": '{"validation": "strict", "timeout": 0}',
                "owner_org": factories.Organization()["id"],
                "save": "",
            },
        ).body
        print("PAGE", page[page.find("error-explanation") :][:3000])

        assert "validation phải là warn hoặc block" in page, page
        assert "timeout phải là số từ 1 đến 600" in page
        assert "must be" not in page and "Error parsing" not in page
        assert (
            helpers.call_action("package_search", fq="+dataset_type:harvest")["count"]
            == 0
        )

    def test_the_name_field_is_prefixed_by_the_address_not_an_english_word(self, app):
        from tests.helpers import browser_login

        client = browser_login(app, factories.Sysadmin(password="Matkhau-2026"))
        form = client.get("/harvest/new").body

        assert '<label class="input-group-text">/harvest/</label>' in form
        assert '<label class="input-group-text">harvest</label>' not in form


def test_a_refused_plan_names_each_value_by_its_path():
    message = language.invalid_plan(
        "Kế hoạch 2026", {"items.3.title": ["Missing value"], "": ["not JSON"]}
    )

    assert "«Kế hoạch 2026»" in message
    assert "item 4 (items.3.title): Missing value" in message
    assert message.endswith("not JSON")


@pytest.mark.usefixtures("with_plugins")
def test_a_refused_plans_paths_read_as_items_and_phases_numbered_from_one():
    message = language.invalid_plan(
        "Kế hoạch",
        {"items": ["Taken."], "phases.0.end_date": ["Bad."], "title": ["Missing."]},
    )

    assert "the plan's items (items): Taken." in message  # not a bare "items:"
    assert "phase 1 (phases.0.end_date): Bad." in message
    assert "title: Missing." in message
