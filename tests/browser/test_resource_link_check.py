"""A visitor opens a resource whose link the checker found broken: the page says so,
why and when it last worked, in Vietnamese and in English, and fits a phone.
Screenshots at 1366 and 390 px in both languages
(test-artifacts/browser/quality/link-check/)."""

from __future__ import annotations

import datetime

from playwright.sync_api import expect

from ckan import model
from ckan.tests import factories

from ckanext.vndata.quality.model import LinkCheck
from tests.browser.conftest import overflow, shot, views, widest
from tests.factories import VnDataset

# A long address without spaces: the line must wrap, not push the page sideways.
URL = "http://du-lieu.danang.gov.vn/" + "thu-muc-con/" * 12 + "truong-hoc-2026.csv"


def test_a_broken_link_is_explained_on_the_resource_page(
    portal, browser, with_plugins, clean_db
):
    org = factories.Organization(title="Sở Giáo dục và Đào tạo Đà Nẵng")
    dataset = VnDataset(
        owner_org=org["id"], resources=[{"url": URL, "format": "CSV", "name": "Trường"}]
    )
    resource = dataset["resources"][0]
    model.Session.add(
        LinkCheck(
            resource_id=resource["id"], package_id=dataset["id"], url=URL,
            status=404, ok=False, error="http_error", failures=3,
            checked=datetime.datetime(2026, 11, 30, 14, 5),
            last_ok=datetime.datetime(2026, 11, 2, 9, 0),
        )
    )  # fmt: skip
    model.Session.commit()
    path = f"/dataset/{dataset['name']}/resource/{resource['id']}"

    for language, width, page in views(browser, portal, path):
        name = f"quality/link-check/resource-{language}-{width}"
        status = page.locator(".vndata-link-check")
        shot(page, name)
        if language == "vi":
            expect(status).to_contain_text("Kiểm tra liên kết:")
            expect(status).to_contain_text("Máy chủ trả về lỗi HTTP 404")
            expect(status).to_contain_text("kiểm tra lúc 30/11/2026")
            expect(status).to_contain_text("hoạt động lần cuối 02/11/2026")
        else:
            expect(status).to_contain_text("Link check:")
            expect(status).to_contain_text("The server answered with error HTTP 404")
            expect(status).to_contain_text("last working 2026-11-02")
        assert "http_error" not in page.content()
        assert overflow(page) <= 0, f"{name} scrolls sideways: {widest(page)}"
