"""A harvest operator adds a provincial portal with a JSON API of its own (issue 21),
in Chromium: picks "API JSON (Việt Nam)" on the source form, reads what each key
means, writes a mapping with mistakes, sees each one under its key, fixes it, saves,
and after a harvest reads the job's report; in vi and en, at 1366 and 390 px."""

from __future__ import annotations

import json
import re

import pytest

from ckan import model
from ckan.tests import factories

from tests.browser.conftest import PASSWORD, login, modules_ready, overflow, shot
from tests.harvester import json_servers as served
from tests.helpers import run_harvest

SOURCE = "cong-du-lieu-da-nang-json"


def _shots(page, portal: str, path: str, name: str, seen: dict) -> None:
    for language in ("vi", "en"):
        page.goto(f"{portal}{'' if language == 'vi' else '/en'}{path}")
        modules_ready(page)
        if path == "/harvest/new":
            page.check("input[name=source_type][value=vndata_json]")
        for width in (1366, 390):
            page.set_viewport_size({"width": width, "height": 900})
            shot(page, f"journeys/json-source/{name}-{language}-{width}")
            seen[f"{name}-{language}-{width}"] = overflow(page)
    page.set_viewport_size({"width": 1366, "height": 900})


def _try_mapping(page) -> list[str]:
    """Click "try the mapping" and wait for its records (or its error)."""
    page.click("#vndata-try-mapping")
    page.wait_for_selector("#vndata-mapping-preview-result")
    return page.locator(".vndata-preview-record").all_inner_texts()


def _try_in_english(browser, portal: str, url: str, config: dict, seen: dict) -> None:
    page = login(browser, portal, "quantri", width=1366, locale="en-GB")
    page.goto(f"{portal}/en/harvest/new")
    modules_ready(page).check("input[name=source_type][value=vndata_json]")
    page.fill("#field-url", url)
    page.fill("#field-config", json.dumps(config, ensure_ascii=False))
    records = _try_mapping(page)
    assert "Record 1: Danh sách trường học số 1" in records[0], records
    assert "Try the mapping" in page.inner_text("#vndata-mapping-preview")
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        shot(page, f"journeys/json-source/03-try-en-{width}")
        seen[f"03-try-en-{width}"] = overflow(page)
    page.context.close()


def _config_errors(page) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    key = None
    for element in page.locator("#vndata-config-errors > *").all():
        if element.evaluate("e => e.tagName") == "DT":
            key = element.inner_text().strip()
            errors[key] = []
        else:
            errors[key].append(element.inner_text().strip())
    return errors


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_an_operator_adds_a_json_portal_and_reads_its_first_harvest(portal, browser):
    factories.Sysadmin(name="quantri", password=PASSWORD)
    factories.Organization(name="so-gddt-da-nang", title="Sở GD&ĐT Đà Nẵng")
    seen: dict[str, int] = {}
    with served.json_api() as api:
        api.records = [served.danang_record(n) for n in range(1, 6)]
        page = login(browser, portal, "quantri", width=1366)

        # 1. The form explains vndata_json's keys once its type is picked.
        _shots(page, portal, "/harvest/new", "01-form", seen)
        page.goto(f"{portal}/harvest/new")
        modules_ready(page).check("input[name=source_type][value=vndata_json]")
        help_box = page.locator("details[data-source-type=vndata_json]")
        assert help_box.is_visible()
        assert not page.locator("details[data-source-type=vndata_dcat]").is_visible()
        help_box.locator("summary").click()
        meanings = help_box.inner_text()
        assert "JMESPath" in meanings and "detail_url" in meanings

        # 2. A mapping with mistakes: each one under its key, in Vietnamese.
        page.fill("#field-url", api.origin + "/api/dulieu")
        page.fill("#field-title", "Cổng dữ liệu Đà Nẵng (API)")
        if not modules_ready(page).locator("#field-name").is_visible():
            page.click(".slug-preview button, .slug-preview a")
        page.fill("#field-name", SOURCE)
        page.select_option("#field-frequency", "MANUAL")
        mistaken = {
            "province_code": "48",
            "paging": {"type": "trang"},
            "mapping": {"identity": "maDuLieu[", "fields": {"tieu_de": "x"}},
        }
        page.fill("#field-config", json.dumps(mistaken, ensure_ascii=False))
        page.click("#save")
        page.wait_for_load_state()
        errors = _config_errors(page)
        assert set(errors) >= {
            "mapping.identity",
            "mapping.fields.tieu_de",
            "paging.type",
        }
        assert errors["paging.type"] == [
            "paging.type phải là một trong: none, page, offset, cursor, next."
        ]
        assert "Error parsing" not in page.inner_text("body")
        for width in (1366, 390):
            page.set_viewport_size({"width": width, "height": 900})
            shot(page, f"journeys/json-source/02-mistakes-vi-{width}")
            seen[f"02-mistakes-vi-{width}"] = overflow(page)
        page.set_viewport_size({"width": 1366, "height": 900})

        # 3. Fixed, and tried before saving: the first records as they would be
        # imported, one with a sector the value map lacks.
        api.records[1]["linhVuc"] = "Thiên văn"
        config = {"province_code": "48", "default_organization": "so-gddt-da-nang",
                  "defaults": {"data_sharing_class": "mo",
                               "data_importance_class": "khac"},
                  "personal_data_assessed": True,
                  **api.config(served.DANANG_CONFIG)}  # fmt: skip
        page.fill("#field-config", json.dumps(config, ensure_ascii=False))
        records = _try_mapping(page)
        assert "Bản ghi 1: Danh sách trường học số 1" in records[0], records
        assert "giao-duc-dao-tao" in records[0] and "Bảng dữ liệu (CSV)" in records[0]
        assert "Thiên văn" in records[1] and "Giá trị cổng từ chối" in records[1]
        assert served.PASSWORD not in page.content()
        assert model.Session.query(model.Package).filter_by(name=SOURCE).count() == 0
        for width in (1366, 390):
            page.set_viewport_size({"width": width, "height": 900})
            shot(page, f"journeys/json-source/03-try-vi-{width}")
            seen[f"03-try-vi-{width}"] = overflow(page)
        page.set_viewport_size({"width": 1366, "height": 900})
        api.records[1]["linhVuc"] = "Giáo dục"
        _try_in_english(browser, portal, api.origin + "/api/dulieu", config, seen)

        # 4. Saved; the password is kept apart and shown masked.
        page.click("#save")
        page.wait_for_load_state()
        assert page.url.rstrip("/").endswith(f"/harvest/{SOURCE}"), page.url
        assert served.PASSWORD not in page.content()

        # 5. A harvest (run here, as the consumers would), then its report.
        model.Session.expire_all()  # the server saved it
        source_id = model.Package.get(SOURCE).id
        run_harvest(source_id, "vndata_json")
        page.goto(f"{portal}/harvest/{SOURCE}/job/last")
        counts = page.inner_text("#vndata-job-counts")
        assert re.search(r"Thêm mới: 5", counts), counts
        assert "Lỗi: 0" in counts, counts
        job_path = page.url.split(portal, 1)[1]
        _shots(page, portal, job_path, "03-report", seen)
        _shots(page, portal, f"/harvest/{SOURCE}", "04-source", seen)

    assert {name: px for name, px in seen.items() if px > 0} == {}
