"""The national harvest operator's journey, in Chromium, through the real queues.

A sysadmin opens /harvest/new, writes a config with several mistakes, sees them all
at once in Vietnamese under their keys, fixes them, saves, starts a job with
"Thu thập lại" and watches the source's page until the job has finished, then reads
its report. A loopback HTTP server plays a provincial DCAT portal; ckanext-harvest's
gather and fetch consumers run as `ckan` processes, and the scheduler (`ckan
vndata_harvester scheduler`) marks the job finished, as in production.
"""

from __future__ import annotations

import json
import re
import time

import pytest

from ckan.tests import factories

from tests.browser.conftest import PASSWORD, login, modules_ready, overflow, shot
from tests.harvester.helpers import CATALOGUE
from tests.harvester.sources import SOURCE_CONFIG, harvest_consumers
from tests.helpers import ckan_process, ini_over_test_ini

SOURCE = "cong-du-lieu-da-nang"
MISTAKES = '{"province_code": "99", "timeout": "0", "validation": "strict", "tinh": 1}'


def _fill_source_form(page, url: str, config: str) -> None:
    page.fill("#field-url", url)
    page.fill("#field-title", "Cổng dữ liệu mở Đà Nẵng")
    if modules_ready(page).locator("#field-name").is_visible():
        page.fill("#field-name", SOURCE)
    else:  # the slug preview hides the field until its edit button is pressed
        page.click(".slug-preview button, .slug-preview a")
        page.fill("#field-name", SOURCE)
    page.check("input[name=source_type][value=vndata_dcat]")
    page.select_option("#field-frequency", "MANUAL")
    page.fill("#field-config", config)
    page.click("#save")
    page.wait_for_load_state()


def _shots(page, portal: str, path: str, name: str, seen: dict) -> None:
    """The page at ``path`` in both languages at 1366 and 390 px: a screenshot each,
    and how far it scrolls sideways at 390 px."""
    for language in ("vi", "en"):
        page.goto(f"{portal}{'' if language == 'vi' else '/en'}{path}")
        for width in (1366, 390):
            page.set_viewport_size({"width": width, "height": 900})
            shot(page, f"journeys/operator/{name}-{language}-{width}")
            if width == 390:
                seen[f"{name}-{language}"] = overflow(page)
    page.set_viewport_size({"width": 1366, "height": 900})


def _config_errors(page) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    key = None
    for element in page.locator("#vndata-config-errors > *").all():
        tag = element.evaluate("e => e.tagName")
        if tag == "DT":
            key = element.inner_text().strip()
            errors[key] = []
        else:
            errors[key].append(element.inner_text().strip())
    return errors


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_an_operator_creates_a_source_fixes_its_config_and_runs_a_job(
    portal, browser, catalogue_server, tmp_path
):
    factories.Sysadmin(name="quantri", password=PASSWORD)
    factories.Organization(
        name="so-khcn-da-nang", title="Sở Khoa học và Công nghệ Đà Nẵng",
        province_code="48",
    )  # fmt: skip
    handler, url = catalogue_server
    handler.body = CATALOGUE.encode("utf-8")
    overflows: dict[str, int] = {}
    page = login(browser, portal, "quantri", width=1366)

    # 1. The form, with a config of four mistakes: all four at once, under their keys.
    _shots(page, portal, "/harvest/new", "01-new-source", overflows)
    page.goto(f"{portal}/harvest/new")
    assert page.locator("label.control-label", has_text="Loại nguồn").count() == 1
    form_text = page.inner_text("body")
    for english in ("Harvest sources allow", "Source type", "Save", "Manual"):
        assert english not in form_text, english
    assert page.locator("details[data-source-type=vndata_dcat]").is_visible()
    assert not page.locator("details[data-source-type=vndata_ckan]").is_visible()
    _fill_source_form(page, url, MISTAKES)
    errors = _config_errors(page)
    assert sorted(errors) == ["province_code", "timeout", "tinh", "validation"]
    assert errors["timeout"] == ["timeout phải là số từ 1 đến 600."]
    assert errors["validation"] == ["validation phải là warn hoặc block."]
    assert "Khóa cấu hình không hợp lệ: tinh." in errors["tinh"]
    text = page.inner_text("body")
    assert "Error parsing" not in text and "must be" not in text
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        shot(page, f"journeys/operator/02-config-errors-vi-{width}")
    overflows["02-config-errors-vi"] = overflow(page)
    page.set_viewport_size({"width": 1366, "height": 900})

    # 2. Fixed ("30" is a number), saved: the source's page.
    fixed = {**SOURCE_CONFIG, "timeout": "30"}
    page.fill("#field-config", json.dumps(fixed, ensure_ascii=False))
    page.click("#save")
    page.wait_for_load_state()
    assert page.url.rstrip("/").endswith(f"/harvest/{SOURCE}"), page.url
    _shots(page, portal, f"/harvest/{SOURCE}", "03-source", overflows)

    # 3. "Thu thập lại" on the admin page starts a job; the consumers run it.
    ini = ini_over_test_ini(
        tmp_path / "scheduler.ini",
        **{"ckanext.vndata.harvester.allowed_hosts": "127.0.0.1"},
    )
    with (
        harvest_consumers(tmp_path),
        (tmp_path / "scheduler.log").open("w") as log,
        ckan_process(ini, "vndata_harvester", "scheduler", "--every", "2", log=log),
    ):
        page.goto(f"{portal}/harvest/admin/{SOURCE}")
        modules_ready(page).click("a.btn:has-text('Thu thập lại')")
        page.click(".modal.show .modal-footer .btn-primary")
        page.wait_for_load_state()
        _shots(page, portal, f"/harvest/admin/{SOURCE}", "04-job-started", overflows)
        deadline = time.monotonic() + 240
        while True:
            page.goto(f"{portal}/harvest/admin/{SOURCE}")
            if page.locator("a.btn:has-text('Thu thập lại'):not(.disabled)").count():
                break
            assert time.monotonic() < deadline, "the job did not finish in 240 s"
            time.sleep(2)

    admin = page.inner_text("body")
    assert "Kết thúc" in admin and re.search(r"\d\d/\d\d/\d{4} \d\d:\d\d", admin)
    assert "UTC" not in admin and "Running" not in admin

    # 4. The finished job's report, in Vietnamese words.
    page.goto(f"{portal}/harvest/{SOURCE}/job/last")
    counts = page.inner_text("#vndata-job-counts")
    assert re.search(r"Thêm mới: [1-9]", counts), counts
    assert "Lỗi: 0" in counts, counts
    job_path = page.url.split(portal, 1)[1]
    _shots(page, portal, job_path, "05-job-report", overflows)
    _shots(page, portal, f"/harvest/{SOURCE}/job", "06-jobs", overflows)
    _shots(page, portal, "/harvest/", "07-sources", overflows)
    page.goto(f"{portal}/harvest/")
    page.click("#vndata-overview-link a")
    assert "/thu-thap/tong-quan" in page.url
    assert "Cổng dữ liệu mở Đà Nẵng" in page.inner_text("main, body")
    _shots(page, portal, "/thu-thap/tong-quan", "08-overview", overflows)

    assert {name: px for name, px in overflows.items() if px > 0} == {}
