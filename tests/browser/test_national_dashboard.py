"""A visitor reads the national dashboard: the headline figures of the national goal
and every obliged body, one without a plan in red, in vi and en, on a desktop and a
phone."""

from __future__ import annotations

import pytest

from tests.browser.conftest import SHOTS, clipped, overflow, shot, views, widest
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
