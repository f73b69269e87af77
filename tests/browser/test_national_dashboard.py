"""A visitor reads the national dashboard: the headline figures of the national goal
and every obliged body, one without a plan in red, in vi and en, on a desktop and a
phone."""

from __future__ import annotations

import pytest

from tests.browser.conftest import SHOTS, clipped, overflow, shot, views, widest
from tests.helpers import ckan_server, free_port, ini_over_test_ini, wait_for_http
from tests.plan.conftest import make_agency, plan_in
from tests.plan.helpers import wide_plan

TEXTS = {
    "vi": ("Cơ quan đã ban hành kế hoạch", "chưa ban hành", "mục tiêu: 100%"),
    "en": ("Bodies with an issued plan", "not issued", "goal: 100%"),
}
RED = "rgb(198, 40, 40)"


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_the_dashboard_shows_the_headline_and_a_red_row_per_body_without_a_plan(
    portal, browser
):
    plan_in(make_agency("Sở Khoa học và Công nghệ Đà Nẵng", "48"), "published")

    for language, width, page in views(browser, portal, "/ke-hoach/tong-hop"):
        issued, no_plan, goal = TEXTS[language]
        shot(page, f"national-dashboard-{language}-{width}")
        page.locator("#vndata-headline").scroll_into_view_if_needed()
        page.screenshot(  # the first screen, to look at closely
            path=str(SHOTS / f"national-dashboard-{language}-{width}-top.png")
        )

        headline = page.inner_text("#vndata-headline")
        assert issued in headline and goal in headline, (language, width)
        hue = page.locator('#vndata-bodies-table tr[data-body="46"]')
        badge = hue.locator(".vndata-badge")
        assert badge.inner_text().strip() == no_plan
        assert badge.evaluate("e => getComputedStyle(e).backgroundColor") == RED
        da_nang = page.locator('#vndata-bodies-table tr[data-body="48"]')
        assert "vndata-body-row-issued" in da_nang.get_attribute("class")
        assert page.locator("#vndata-bodies-table tbody tr").count() > 34
        assert overflow(page) <= 0, (language, width)


AGENCIES = (
    ("Sở Tài nguyên và Môi trường thành phố Đà Nẵng", "48", "so_nganh"),
    ("Ủy ban nhân dân thành phố Hồ Chí Minh", "79", "tinh"),
    ("Sở Thông tin và Truyền thông tỉnh Thừa Thiên Huế", "46", "so_nganh"),
)


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_the_dashboard_fits_a_laptop_and_a_phone_with_level_names_and_verdicts(
    portal, browser
):
    for title, province, level in AGENCIES:
        wide_plan(make_agency(title, province, agency_level=level))

    for language, width, page in views(browser, portal, "/ke-hoach/tong-hop"):
        shot(page, f"widths/dashboard-{language}-{width}")
        assert overflow(page) <= 0, (language, width, widest(page))
        # Nor is a column hidden in a table's own scrolling box.
        assert clipped(page) <= 0, (language, width)
        level = page.inner_text("#filter-agency_level")
        assert "so_nganh" not in level
        assert ("Sở, ban, ngành" if language == "vi" else "Department") in level
        table = page.locator("#vndata-dashboard-table")
        # The running phase's levels are not yet due: grey, never red.
        assert table.locator(".vndata-fail").count() == 0
        assert table.locator(".vndata-unset").count() > 0
        assert table.locator("tbody tr").count() == len(AGENCIES)


@pytest.fixture(scope="module")
def paged_portal(tmp_path_factory):
    """A server of its own whose dashboard lists 2 agencies a page (50 on a portal):
    three agencies make two pages."""
    port = free_port()
    ini = ini_over_test_ini(
        tmp_path_factory.mktemp("paged") / "paged.ini",
        **{
            "ckan.site_url": f"http://127.0.0.1:{port}",
            "ckanext.vndata.plan.dashboard_rows_per_page": "2",
        },
    )
    with ckan_server(ini, port) as (url, process):
        wait_for_http(f"{url}/api/3/action/status_show", 120, process)
        yield url


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_a_visitor_pages_through_the_agencies_keeping_the_sort(paged_portal, browser):
    for title, province, _level in AGENCIES:
        plan_in(make_agency(title, province), "published")
    query = "/ke-hoach/tong-hop?sort=agency&order=desc"

    for language, width, page in views(browser, paged_portal, query):
        table = page.locator("#vndata-dashboard-table tbody tr")
        first = table.locator(".vndata-cell-title").all_inner_texts()
        # By name, descending, as Vietnamese is read (Ủ after T after Tà).
        assert first == [AGENCIES[1][0], AGENCIES[2][0]], (language, width)
        pager = page.locator(".pagination")
        pager.scroll_into_view_if_needed()
        shot(page, f"widths/dashboard-paged-{language}-{width}")
        assert overflow(page) <= 0, (language, width, widest(page))

        pager.get_by_role("link", name="2", exact=True).click()
        page.wait_for_load_state()
        second = table.locator(".vndata-cell-title").all_inner_texts()
        shot(page, f"widths/dashboard-paged-{language}-{width}-2")
        assert second == [AGENCIES[0][0]], (language, width)  # the sort kept
        assert "order=desc" in page.url and "page=2" in page.url
        prefix = "" if language == "vi" else "/en"
        assert f"{prefix}/ke-hoach/tong-hop" in page.url, page.url
