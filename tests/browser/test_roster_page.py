"""A sysadmin reads the roster of obliged bodies and merges two ministries, on a phone's
width and on a desktop's (plan/views/roster.py in a real browser)."""

from __future__ import annotations

import pytest

from ckan.tests import factories

from tests.browser.conftest import PASSWORD, login, shot

WIDTHS = (390, 1366)


def _overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_a_sysadmin_merges_two_ministries_on_the_roster_page(portal, browser):
    sysadmin = factories.Sysadmin(name="quantri_roster", password=PASSWORD)
    factories.Organization(
        name="bo-van-hoa", title="Bộ Văn hóa, Thể thao và Du lịch", agency_code="G16"
    )

    for width in WIDTHS:
        page = login(browser, portal, sysadmin["name"], width)
        page.goto(f"{portal}/ke-hoach/doi-tuong")
        shot(page, f"roster-{width}")
        text = page.inner_text("#vndata-roster")
        assert "Thành phố Đà Nẵng" in text and "Bộ Văn hóa, Thể thao và Du lịch" in text
        assert _overflow(page) <= 0, width

        page.goto(f"{portal}/ke-hoach/doi-tuong/G16/sua")
        shot(page, f"roster-form-{width}")
        assert _overflow(page) <= 0, width
        page.context.close()

    page = login(browser, portal, sysadmin["name"], 390)
    page.goto(f"{portal}/ke-hoach/doi-tuong/G16/sua")
    page.select_option("#vndata-roster-merge select", "G03")
    page.click("#vndata-roster-merge button[type=submit]")
    page.wait_for_load_state()

    shot(page, "roster-merged-390")
    assert "Đã cập nhật danh sách cơ quan." in page.inner_text("body")
    merged = page.inner_text("#body-G16")
    assert "hợp nhất vào Bộ Giáo dục và Đào tạo" in merged
    assert "Bộ Văn hóa, Thể thao và Du lịch" in page.inner_text("#body-G03")
