"""A citizen opens a CSV resource: a real worker has loaded it into the DataStore, the
page previews it as a table, its buttons say what they do in Vietnamese, and its Data
API answers. Screenshots at 1366 and 390 px in both languages
(test-artifacts/browser/journeys/resource-preview/)."""

from __future__ import annotations

import time

import requests
from playwright.sync_api import expect

from ckan.tests import factories

from tests.browser.conftest import modules_ready, overflow, shot, views
from tests.helpers import call_on, datastore_site, wait_for_datastore
from tests.metadata.helpers import vn_dataset

CSV = (
    "ma_truong,ten_truong,quan,so_hoc_sinh\n"
    "1,Trường Tiểu học Lê Lợi,Hải Châu,812\n"
    "2,Trường THCS Nguyễn Huệ,Thanh Khê,640\n"
    "3,Trường THPT Phan Châu Trinh,Hải Châu,1520\n"
).encode()

# The elements that reach past the window's right edge (for the failure's message).
WIDE = """[...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
  .slice(-5).map(e => e.tagName + '.' + e.className)"""


def test_a_csv_is_previewed_and_its_data_api_answers(
    tmp_path, catalogue_server, browser, with_plugins, clean_db
):
    handler, catalogue_url = catalogue_server
    handler.pages = {"/truong-hoc.csv": CSV}
    handler.content_type = "text/csv"
    origin = "/".join(catalogue_url.split("/")[:3])
    sysadmin = factories.Sysadmin()
    org = factories.Organization(title="Sở Giáo dục và Đào tạo Đà Nẵng")
    csv = {
        "url": f"{origin}/truong-hoc.csv",
        "format": "CSV",
        "name": "Danh sách trường học",
    }
    with datastore_site(tmp_path, sysadmin, origin.split("//")[1]) as url:
        dataset = call_on(
            url, sysadmin, "package_create", **vn_dataset(org["id"], resources=[csv])
        )
        resource = dataset["resources"][0]
        assert wait_for_datastore(url, resource["id"], sysadmin)["total"] == 3
        _wait_for_view(url, resource["id"])
        path = f"/dataset/{dataset['name']}/resource/{resource['id']}"

        for language, width, page in views(browser, url, path):
            name = f"journeys/resource-preview/01-resource-{language}-{width}"
            table = page.frame_locator("iframe").locator("table tbody")
            expect(table).to_contain_text("Trường Tiểu học Lê Lợi", timeout=30_000)
            shot(page, name)
            main = page.locator(".btn-primary.resource-url-analytics")
            api = page.locator("a[data-module=api-info]")
            if language == "vi":
                expect(main).to_contain_text("Tải xuống")
                expect(api).to_contain_text("API dữ liệu")
            else:
                expect(main).to_contain_text("Download the file")
                expect(api).to_contain_text("Data API")
            info = page.locator("table").last.inner_text()
            assert "datastore" not in info.lower()  # no raw keys
            wide = page.evaluate(WIDE)
            assert overflow(page) <= 0, f"{name} scrolls sideways: {wide}"

            modules_ready(page)
            api.click()  # the Data API box, its first example opened as a citizen would
            box = page.locator(".modal.show")
            first = "5 dòng đầu tiên" if language == "vi" else "The first 5 rows"
            expect(box).to_contain_text(first, timeout=30_000)
            shot(page, f"journeys/resource-preview/02-data-api-{language}-{width}")
            example = box.locator("a[href*=datastore_search]").first.get_attribute(
                "href"
            )
            rows = requests.get(example, timeout=30).json()["result"]["records"]
            assert len(rows) == 3

        answer = requests.get(
            f"{url}/api/3/action/datastore_search",
            params={"resource_id": resource["id"], "q": "Hải Châu"},
            timeout=30,
        ).json()
        assert answer["success"] is True
        assert {r["ten_truong"] for r in answer["result"]["records"]} == {
            "Trường Tiểu học Lê Lợi",
            "Trường THPT Phan Châu Trinh",
        }


def _wait_for_view(url: str, resource_id: str, seconds: float = 60) -> None:
    """The worker's call back (xloader_hook) makes the table view after the load."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        views = requests.get(
            f"{url}/api/3/action/resource_view_list",
            params={"id": resource_id},
            timeout=30,
        ).json()["result"]
        if any(view["view_type"] == "datatables_view" for view in views):
            return
        time.sleep(1)
    raise TimeoutError(f"no table view of {resource_id} after {seconds}s")
