"""A citizen reads a dataset's metadata quality on its page: the rating, the five
dimensions, what to fix first and each indicator; the rating in the search results
and its facet; and an organization's quality on its page (rating, dimensions, trend).
In vi and en, on a desktop and a phone."""

from __future__ import annotations

import datetime
import re

import pytest

from ckan.tests import factories, helpers

from tests.browser.conftest import SHOTS, overflow, shot, views, widest
from tests.metadata.helpers import FULL_DATASET, FULL_RESOURCE, vn_dataset
from tests.plan.helpers import store_snapshot

WORDS = {
    "vi": {
        "title": "Chất lượng siêu dữ liệu",
        "dimensions": ("Khả năng tìm thấy", "Khả năng truy cập", "Khả năng liên thông",
                       "Khả năng tái sử dụng", "Thông tin ngữ cảnh"),
        "fix": "Nên sửa trước",
        "points": "điểm",
        "indicators": "Từng tiêu chí",
        "indicator": "Từ khóa",
        "english": ("Findability", "Fix first", "points", "Each indicator", "Good"),
    },
    "en": {
        "title": "Metadata quality",
        "dimensions": ("Findability", "Accessibility", "Interoperability",
                       "Reusability", "Contextuality"),
        "fix": "Fix first",
        "points": "points",
        "indicators": "Each indicator",
        "indicator": "Keywords",
        "english": (),
    },
}  # fmt: skip
RATING_LABELS = {
    "vi": {"excellent": "Xuất sắc", "good": "Tốt", "sufficient": "Trung bình",
           "bad": "Kém"},
    "en": {"excellent": "Excellent", "good": "Good", "sufficient": "Sufficient",
           "bad": "Bad"},
}  # fmt: skip


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_a_dataset_page_shows_its_rating_and_breakdown(portal, browser):
    org = factories.Organization(title="Sở Giáo dục và Đào tạo Đà Nẵng")
    # No period given: something the publisher can fix (links and conformance not
    # checked yet are offered as no fix).
    left_out = ("plan_item", "temporal_start", "temporal_end")
    fields = {k: v for k, v in FULL_DATASET.items() if k not in left_out}
    dataset = helpers.call_action(
        "package_create",
        context={"user": factories.Sysadmin()["name"]},
        **vn_dataset(org["id"], **fields, resources=[FULL_RESOURCE]),
    )
    score = helpers.call_action("vndata_quality_show", id=dataset["id"])
    assert score["fixes"], "a dataset with no period has something to fix"

    for language, width, page in views(browser, portal, f"/dataset/{dataset['name']}"):
        block = page.locator("#vndata-quality")
        block.locator("summary").click()  # the indicators, opened
        shot(page, f"quality/dataset-{language}-{width}")
        # The block alone, legible at full size.
        block.screenshot(path=str(SHOTS / f"quality/block-{language}-{width}.png"))
        text = block.inner_text()
        words = WORDS[language]
        badge = block.locator(".vndata-quality-badge").inner_text()
        label = RATING_LABELS[language][score["rating"]]
        assert re.fullmatch(
            rf"{label} · {score['points']}/405 {words['points']}", badge.strip()
        ), badge
        assert words["title"] in text
        assert all(name in text for name in words["dimensions"]), text
        assert block.locator(".progress").count() == 5
        assert words["fix"] in text and f"+{score['fixes'][0]['points']} " in text
        assert words["indicator"] in block.locator("table").inner_text()
        assert not [w for w in words["english"] if re.search(rf"\b{w}\b", text)]
        assert "_" not in text  # no raw key (access_url_reachable, dcat_ap)
        assert overflow(page) <= 0, (language, width, widest(page))


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_search_results_show_the_rating_and_its_facet(portal, browser):
    org = factories.Organization()
    sysadmin = {"user": factories.Sysadmin()["name"]}
    # No period given: something the publisher can fix (links and conformance not
    # checked yet are offered as no fix).
    left_out = ("plan_item", "temporal_start", "temporal_end")
    fields = {k: v for k, v in FULL_DATASET.items() if k not in left_out}
    full = helpers.call_action(
        "package_create", context=sysadmin,
        **vn_dataset(org["id"], **fields, resources=[FULL_RESOURCE]),
    )  # fmt: skip
    bare = helpers.call_action(
        "package_create", context=sysadmin,
        **vn_dataset(org["id"], name="danh-sach-toi-gian", resources=[]),
    )  # fmt: skip
    ratings = [
        helpers.call_action("vndata_quality_show", id=d["id"])["rating"]
        for d in (full, bare)
    ]
    for language, width, page in views(browser, portal, "/dataset/"):
        shot(page, f"quality/search-{language}-{width}")
        labels = RATING_LABELS[language]
        badges = page.locator(".dataset-heading .vndata-quality-badge")
        prefix = "Siêu dữ liệu" if language == "vi" else "Metadata"
        assert sorted(t.strip() for t in badges.all_inner_texts()) == sorted(
            f"{prefix}: {labels[r]}" for r in ratings
        )
        assert overflow(page) <= 0, (language, width, widest(page))
        if width < 768:
            continue  # the facets are behind core's "Filter results" button
        facet = page.locator("section.module-narrow", has_text=WORDS[language]["title"])
        shown = [
            line for line in facet.inner_text().splitlines()
            if any(line.startswith(labels[key]) for key in labels)
        ]  # fmt: skip
        order = [k for k in labels if any(line.startswith(labels[k]) for line in shown)]
        assert order == [k for k in labels if k in ratings], shown


TREND = {"vi": ("Điểm theo ngày", "điểm;"), "en": ("Points day by day", "points;")}


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_an_organization_page_shows_its_rating_dimensions_and_trend(portal, browser):
    org = factories.Organization(
        title="Sở Thông tin và Truyền thông tỉnh Thừa Thiên Huế"
    )
    sysadmin = {"user": factories.Sysadmin()["name"]}
    # No period given: something the publisher can fix (links and conformance not
    # checked yet are offered as no fix).
    left_out = ("plan_item", "temporal_start", "temporal_end")
    fields = {k: v for k, v in FULL_DATASET.items() if k not in left_out}
    helpers.call_action(
        "package_create", context=sysadmin,
        **vn_dataset(org["id"], **fields, resources=[FULL_RESOURCE]),
    )  # fmt: skip
    helpers.call_action(
        "package_create", context=sysadmin,
        **vn_dataset(org["id"], name="danh-sach-toi-gian", resources=[]),
    )  # fmt: skip
    today = datetime.date.today()
    for days, rating in ((2, "bad"), (1, "sufficient"), (0, "good")):
        store_snapshot(org["id"], today - datetime.timedelta(days), rating)
    summary = helpers.call_action(
        "vndata_quality_summary", scope="organization", id=org["id"]
    )

    for language, width, page in views(browser, portal, f"/organization/{org['name']}"):
        page.wait_for_selector("body[data-vndata-quality-chart=drawn]")
        block = page.locator("#vndata-quality-group")
        shot(page, f"quality/organization-{language}-{width}")
        block.screenshot(
            path=str(SHOTS / f"quality/organization-block-{language}-{width}.png")
        )
        text = block.inner_text()
        words = WORDS[language]
        label = RATING_LABELS[language][summary["rating"]]
        badge = block.locator(".vndata-quality-badge").inner_text().strip()
        assert re.fullmatch(
            rf"{label} · {summary['points']}/405 {words['points']}", badge
        ), badge
        assert words["title"] in text
        assert all(name in text for name in words["dimensions"]), text
        assert block.locator(".progress").count() == 5
        heading, figures = TREND[language]
        assert heading in text and figures in text, text
        assert block.locator("#vndata-quality-trend").bounding_box()["height"] > 200
        figures_shown = block.locator(".vndata-quality-figure").all_inner_texts()
        assert not [f for f in figures_shown if ".0/" in f], figures_shown
        assert not [w for w in words["english"] if re.search(rf"\b{w}\b", text)]
        assert "_" not in text  # no raw key
        assert overflow(page) <= 0, (language, width, widest(page))
