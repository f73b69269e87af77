"""The citizen's journey, anonymous, in Chromium: from the home page to a sector's
datasets, a dataset, its CSV resource's preview (a table), its Data API (JSON with
the rows), the national overview and a plan. Each key page is also shot at 1366 and
390 px and opened in English, and must not scroll sideways at 390 px."""

from __future__ import annotations

import json
import re

import pytest
import requests

from ckan.tests import factories

from tests.browser.conftest import overflow, shot
from tests.helpers import datastore_site, token_headers, wait_for_datastore
from tests.metadata.helpers import vn_dataset
from tests.plan.conftest import make_agency
from tests.plan.helpers import published_plan_with_items

CSV = (
    "ma_truong,ten_truong,so_hoc_sinh\n"
    "1,Trường Tiểu học Lê Lợi,812\n"
    "2,Trường THCS Nguyễn Huệ,640\n"
).encode()
JOURNEY = "journeys/citizen"
# The words a key page shows in each language (English on /en/, none of it on vi).
HOME = {"vi": "Lĩnh vực", "en": "Sectors"}


def _both_languages(
    browser, url: str, path: str, name: str, expect: dict, wide: list
) -> None:
    """``path`` shot in vi and en at 1366 and 390 px; each shows its language's
    words; one wider than its window is added to ``wide`` (the test fails on it at
    its end, once every page has been seen)."""
    for language in ("vi", "en"):
        for width in (1366, 390):
            context = browser.new_context(
                locale=language, viewport={"width": width, "height": 900}
            )
            try:
                page = context.new_page()
                page.goto(f"{url}{'' if language == 'vi' else '/en'}{path}")
                shot(page, f"{JOURNEY}/{name}-{language}-{width}")
                text = page.inner_text("body")
                assert expect[language] in text, (name, language, width)
                if overflow(page) > 0:
                    wide.append((name, language, width, overflow(page)))
            finally:
                context.close()


def _path(page, url: str) -> str:
    return page.url[len(url) :]


def _follow(page, url: str, name, within: str = "body") -> str:
    """Click the link named ``name`` (in ``within``); the address reached."""
    page.locator(within).get_by_role("link", name=name).first.click()
    page.wait_for_load_state()
    return _path(page, url)


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_a_citizen_finds_previews_and_calls_a_dataset_then_reads_a_plan(
    tmp_path, catalogue_server, browser
):
    handler, catalogue_url = catalogue_server
    handler.pages = {"/truong-hoc.csv": CSV}
    handler.content_type = "text/csv"
    origin = "/".join(catalogue_url.split("/")[:3])
    sysadmin = factories.Sysadmin()
    agency = make_agency("Sở Giáo dục và Đào tạo Đà Nẵng", "48")
    plan = published_plan_with_items(agency)

    with datastore_site(tmp_path, sysadmin, origin.split("//")[1]) as url:
        dataset = requests.post(
            f"{url}/api/3/action/package_create",
            json=vn_dataset(
                agency.org["id"],
                name="truong-hoc-da-nang",
                title="Danh sách trường học Đà Nẵng",
                province_code="48",
                sectors=["giao-duc-dao-tao"],
                resources=[
                    {
                        "url": f"{origin}/truong-hoc.csv",
                        "format": "CSV",
                        "name": "Danh sách trường học (CSV)",
                    }
                ],
            ),
            headers=token_headers(sysadmin),
            timeout=60,
        ).json()["result"]
        resource = dataset["resources"][0]
        wait_for_datastore(url, resource["id"], sysadmin)

        context = browser.new_context(
            locale="vi", viewport={"width": 1366, "height": 900}
        )
        page = context.new_page()
        wide: list[tuple] = []

        # 1. The home page: a national portal's, with its sectors and provinces.
        page.goto(url)
        assert "Chào mừng" not in page.inner_text("body")
        _both_languages(browser, url, "/", "01-home", HOME, wide)

        # 2. A sector: its datasets.
        _follow(page, url, re.compile("^Giáo dục đào tạo"))
        found = page.inner_text("body")
        assert "Danh sách trường học Đà Nẵng" in found
        assert "Tập dữ liệu thử nghiệm" not in found  # of another sector
        _both_languages(
            browser,
            url,
            _path(page, url),
            "02-sector-search",
            {"vi": "Danh sách trường học Đà Nẵng", "en": "Education and training"},
            wide,
        )

        # 3. The dataset.
        assert _follow(page, url, "Danh sách trường học Đà Nẵng") == (
            "/dataset/truong-hoc-da-nang"
        )
        _both_languages(
            browser,
            url,
            _path(page, url),
            "03-dataset",
            {"vi": "Danh sách trường học (CSV)", "en": "Education and training"},
            wide,
        )

        # 4. Its CSV resource: a table preview of the rows.
        reached = _follow(page, url, re.compile("Danh sách trường học \\(CSV\\)"))
        assert reached.endswith(f"/resource/{resource['id']}")
        # datatables_view fetches the rows from the DataStore after the page loads.
        preview = page.frame_locator("iframe").first.locator("table")
        preview.get_by_text("Trường Tiểu học Lê Lợi").first.wait_for(timeout=60_000)
        cells = preview.locator("td").all_inner_texts()
        assert "Trường THCS Nguyễn Huệ" in cells and "812" in cells
        _both_languages(
            browser,
            url,
            _path(page, url),
            "04-resource-preview",
            {"vi": "Danh sách trường học (CSV)", "en": "Danh sách trường học (CSV)"},
            wide,
        )

        # 5. Its Data API: JSON with the rows, as a program would read it.
        page.goto(f"{url}/api/3/action/datastore_search?resource_id={resource['id']}")
        answer = json.loads(page.inner_text("body"))
        assert answer["success"] is True
        names = [row["ten_truong"] for row in answer["result"]["records"]]
        assert names == ["Trường Tiểu học Lê Lợi", "Trường THCS Nguyễn Huệ"]
        shot(page, f"{JOURNEY}/05-data-api-vi-1366")

        # 6. The national overview, from the main menu.
        page.goto(url)
        assert _follow(page, url, "Tổng hợp", "header") == "/ke-hoach/tong-hop"
        _both_languages(
            browser,
            url,
            "/ke-hoach/tong-hop",
            "06-national-overview",
            {"vi": "Cơ quan đã ban hành kế hoạch", "en": "Bodies with an issued plan"},
            wide,
        )

        # 7. A plan, from the plans in the main menu.
        assert _follow(page, url, "Kế hoạch", "header") == "/ke-hoach"
        _both_languages(
            browser,
            url,
            "/ke-hoach",
            "07-plans",
            {"vi": "Sở Giáo dục và Đào tạo Đà Nẵng", "en": "Open-data plans"},
            wide,
        )
        assert _follow(page, url, plan["title"]) == f"/ke-hoach/{plan['id']}"
        _both_languages(
            browser,
            url,
            _path(page, url),
            "08-plan",
            {"vi": "Danh mục dữ liệu mở", "en": plan["title"]},
            wide,
        )
        context.close()
    assert wide == [], "pages wider than their window"


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_the_menu_reaches_plans_and_overview_on_a_phone(portal, browser):
    """At 390 px the main menu is collapsed behind its button; opened, it leads to
    the plans and the national overview, in both languages."""
    names = {
        "vi": ("Tập dữ liệu", "Tổ chức", "Kế hoạch", "Tổng hợp"),
        "en": ("Datasets", "Organizations", "Plans", "National overview"),
    }
    for language in ("vi", "en"):
        context = browser.new_context(
            locale=language, viewport={"width": 390, "height": 900}
        )
        page = context.new_page()
        page.goto(f"{portal}{'' if language == 'vi' else '/en'}/")
        menu = page.locator("#main-navigation-toggle")
        assert not menu.is_visible()
        page.locator("button.navbar-toggler").click()
        menu.wait_for(state="visible")
        shot(page, f"{JOURNEY}/00-menu-{language}-390")
        links = menu.locator(".navbar-nav a")
        assert [t.strip() for t in links.all_inner_texts()] == list(names[language])
        links.nth(3).click()
        page.wait_for_load_state()
        assert page.url.endswith("/ke-hoach/tong-hop")
        assert overflow(page) <= 0, language
        context.close()
