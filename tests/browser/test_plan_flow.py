"""An officer and a reviewer take a plan through its life in a real browser.

Debian's Chromium, driven by Playwright, against `ckan run` on the test database. The
screenshots of each step are kept in test-artifacts/browser/.
"""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest

from ckan.tests import factories

from tests.browser.conftest import PASSWORD, login, shot, upload_workbook

NEXT_YEAR = datetime.date.today().year + 1


def _list_workbook(page, url: str, plan_id: str, bad: bool) -> bytes:
    """The plan's own workbook, downloaded with the officer's session, with two rows."""
    body = page.request.get(f"{url}/ke-hoach/{plan_id}.xlsx").body()
    book = openpyxl.load_workbook(io.BytesIO(body))
    sheet = book["Danh mục và kế hoạch"]
    first_deadline = f"30/06/{NEXT_YEAR}"
    sheet.append([1, "Danh sách trường học", None, "Giáo dục, đào tạo", None, None,
                  "CSV", "Hằng năm", "Giai đoạn 1", first_deadline, "Cao"])  # fmt: skip
    sheet.append([2, "Điểm wifi công cộng", None, "Cơ sở hạ tầng", None, None,
                  "JSON", None, "Giai đoạn 2",
                  "31/02/2026" if bad else f"31/12/{NEXT_YEAR}", None])  # fmt: skip
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _upload(page, data: bytes) -> None:
    page.click("#vndata-upload-link")
    upload_workbook(page, data, "danh-muc.xlsx")


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_officer_and_reviewer_take_a_plan_to_approval(portal, browser):
    officer = factories.User(name="canbo_danang", password=PASSWORD)
    reviewer = factories.Sysadmin(name="thamdinh_bo", password=PASSWORD)
    org = factories.Organization(
        name="so-khcn-da-nang", title="Sở Khoa học và Công nghệ Đà Nẵng",
        province_code="48", users=[{"name": officer["name"], "capacity": "admin"}],
    )  # fmt: skip

    # The officer creates the plan and its two phases.
    page = login(browser, portal, officer["name"])
    page.goto(f"{portal}/organization/ke-hoach/{org['name']}")
    page.click("text=Tạo kế hoạch")
    page.fill("#field-title", "Kế hoạch dữ liệu mở Đà Nẵng")
    page.fill("#field-period_start", str(NEXT_YEAR))
    page.fill("#field-period_end", str(NEXT_YEAR))
    page.click("#vndata-plan-form button[type=submit]")
    plan_id = page.url.rstrip("/").split("/")[-1]
    for label, start, end in (
        ("Giai đoạn 1", f"{NEXT_YEAR}-01-01", f"{NEXT_YEAR}-06-30"),
        ("Giai đoạn 2", f"{NEXT_YEAR}-07-01", f"{NEXT_YEAR}-12-31"),
    ):
        page.click("text=Thêm giai đoạn")
        page.fill("#field-label", label)
        page.fill("#field-start_date", start)
        page.fill("#field-end_date", end)
        page.fill("#field-min_datasets", "1")
        page.click("#vndata-part-form button[type=submit]")
    shot(page, "01-plan-with-phases")

    # An Excel list with a bad row is refused with the row named; fixed, it is saved.
    _upload(page, _list_workbook(page, portal, plan_id, bad=True))
    problems = page.inner_text("#vndata-problems")
    assert "Danh mục và kế hoạch" in problems and "dòng 3" in problems
    assert "Thời hạn công bố" in problems
    shot(page, "02-upload-row-error")
    page.goto(f"{portal}/ke-hoach/{plan_id}")
    _upload(page, _list_workbook(page, portal, plan_id, bad=False))
    assert "Điểm wifi công cộng" in page.inner_text("#vndata-preview")
    shot(page, "03-upload-preview")
    page.click("button[name=confirm]")
    assert "Điểm wifi công cộng" in page.inner_text("#danh-muc")
    page.click("button[value=submit]")
    assert "đã trình" in page.inner_text("body")
    shot(page, "04-submitted")

    # The reviewer returns it with a comment ...
    review = login(browser, portal, reviewer["name"])
    review.goto(f"{portal}/ke-hoach/{plan_id}")
    review.fill("#vndata-comment", "Đề nghị bổ sung cơ sở dữ liệu nguồn")
    review.click("button[value=return]")
    shot(review, "05-returned")

    # ... the officer sees it and submits again; the reviewer approves.
    page.goto(f"{portal}/ke-hoach/{plan_id}")
    assert "Đề nghị bổ sung cơ sở dữ liệu nguồn" in page.inner_text("#lich-su")
    page.click("button[value=submit]")
    review.goto(f"{portal}/ke-hoach/{plan_id}")
    review.fill("#vndata-comment", "Đồng ý")
    review.click("button[value=approve]")
    shot(review, "06-approved")

    # The dashboard shows the agency with its figures.
    review.goto(f"{portal}/ke-hoach/tong-hop")
    review.wait_for_selector("body[data-vndata-charts=drawn]")
    row = review.inner_text("#vndata-dashboard-table tbody tr")
    assert "Sở Khoa học và Công nghệ Đà Nẵng" in row
    cells = [c.strip() for c in row.split("\t")]
    assert cells[3:6] == ["2", "0", "0"]  # planned, published, overdue
    assert "đã phê duyệt" in row
    shot(review, "07-dashboard")
