"""A visitor reads the national dashboard's metadata quality: a score per province
("Tốt · 250", coloured), the nation's figure and its trend chart, in vi and en, on a
laptop and a phone."""

from __future__ import annotations

import datetime

import pytest

from tests.browser.conftest import SHOTS, clipped, overflow, shot, views, widest
from tests.factories import VnDataset
from tests.plan.conftest import make_agency, plan_in
from tests.plan.helpers import store_score, store_snapshot

LABELS = {
    "vi": ("Chất lượng siêu dữ liệu", "Tốt", "Kém", "Cả nước"),
    "en": ("Metadata quality", "Good", "Bad", "Nation"),
}
GREEN = "rgb(106, 176, 76)"  # .vndata-quality-good (quality.css)
RED = "rgb(176, 42, 55)"  # .vndata-quality-bad
BADGE = ".vndata-body-quality .vndata-quality-badge"


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_the_dashboard_shows_a_metadata_quality_score_per_province(portal, browser):
    danang = make_agency("Sở Khoa học và Công nghệ Đà Nẵng", "48")
    hue = make_agency("Sở Tài chính Huế", "46")
    plan_in(danang, "published")
    store_score(VnDataset(owner_org=danang.org["id"]), "good")
    store_score(VnDataset(owner_org=hue.org["id"]), "bad")
    today = datetime.date.today()
    for days, rating in ((2, "bad"), (1, "sufficient"), (0, "good")):
        store_snapshot(danang.org["id"], today - datetime.timedelta(days), rating)

    for language, width, page in views(browser, portal, "/ke-hoach/tong-hop?body=48"):
        heading, good, bad, nation = LABELS[language]
        page.wait_for_selector("body[data-vndata-charts=drawn]")
        shot(page, f"quality-dashboard-{language}-{width}")
        page.locator("#vndata-figure-quality").scroll_into_view_if_needed()
        page.screenshot(  # the screen around the headline, to look at closely
            path=str(SHOTS / f"quality-dashboard-{language}-{width}-headline.png")
        )

        assert heading in page.inner_text("#vndata-figure-quality")
        head = page.inner_text("#vndata-bodies-table thead")
        assert heading in head, (language, width)
        # Filtered to Đà Nẵng: its row; Huế's score is on the unfiltered page.
        cell = page.locator(f'tr[data-body="48"] {BADGE}')
        assert cell.inner_text().startswith(f"{good} · ")
        color = cell.evaluate("e => getComputedStyle(e).backgroundColor")
        assert color == GREEN
        trend = page.inner_text("#vndata-chart-quality-text")
        assert nation in trend and "Đà Nẵng" in trend
        assert page.locator("#vndata-chart-quality").bounding_box()["height"] > 200
        assert overflow(page) <= 0, (language, width, widest(page))
        assert clipped(page) <= 0, (language, width)

    for language, width, page in views(browser, portal, "/ke-hoach/tong-hop"):
        _heading, good, bad, _nation = LABELS[language]
        shot(page, f"quality-dashboard-all-{language}-{width}")
        hue_cell = page.locator(f'tr[data-body="46"] {BADGE}')
        assert hue_cell.inner_text().startswith(f"{bad} · ")
        color = hue_cell.evaluate("e => getComputedStyle(e).backgroundColor")
        assert color == RED
        # A province with no scored dataset shows a dash, not a rating.
        other = page.locator('tr[data-body="79"] .vndata-body-quality')
        assert other.inner_text().strip() == "—"
        assert overflow(page) <= 0, (language, width, widest(page))
