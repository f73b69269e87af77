"""The upload preview in a real browser: an officer uploads the plan's own workbook
with a few cells changed and reads each change as old → new under its Vietnamese label,
with no raw code and no sideways scroll, in Vietnamese and English, at 1366 and 390 px;
the plan's own download previews 0 changes.

Screenshots: test-artifacts/browser/journeys/officer-excel/.
"""

from __future__ import annotations

import io

import openpyxl
import pytest

from ckan.tests import factories

from tests.browser.conftest import PASSWORD, login, overflow, shot, upload_workbook
from tests.factories import Item, Phase
from tests.plan.conftest import call

RAW = ("source_database", "min_percent_api", "giao-duc-dao-tao", "y-te", "phase_id")
SAYS = {
    "vi": ("2 thay đổi", "Lĩnh vực", "Giáo dục đào tạo", "Y tế", "Có API (%)"),
    "en": ("2 changes", "Sector", "Education and training", "Health", "With an API"),
}


def _upload(page, url: str, path: str, data: bytes) -> None:
    page.goto(f"{url}{path}")
    upload_workbook(page, data)


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_the_preview_reads_old_to_new_in_both_languages_at_both_widths(portal, browser):
    officer = factories.User(name="canbo_excel", password=PASSWORD)
    org = factories.Organization(
        name="so-gddt-da-nang", title="Sở Giáo dục và Đào tạo Đà Nẵng",
        users=[{"name": officer["name"], "capacity": "editor"}],
    )  # fmt: skip
    plan = call("vndata_plan_create", officer, organization_id=org["id"],
                title="Kế hoạch dữ liệu mở 2026")  # fmt: skip
    phase = Phase(plan_id=plan["id"])
    Item(plan_id=plan["id"], sector="giao-duc-dao-tao", phase_id=phase["id"],
         target_date="2025-06-30", formats=["CSV", "JSON"])  # fmt: skip

    page = login(browser, portal, officer["name"], width=1366)
    own = page.request.get(f"{portal}/ke-hoach/{plan['id']}.xlsx").body()
    book = openpyxl.load_workbook(io.BytesIO(own))
    book["Danh mục và kế hoạch"]["D2"] = "Y tế"  # Lĩnh vực
    book["Mức tối thiểu"]["H2"] = 35  # % có API
    out = io.BytesIO()
    book.save(out)

    for number, (language, width) in enumerate(
        [("vi", 1366), ("vi", 390), ("en", 1366), ("en", 390)], start=1
    ):
        page.set_viewport_size({"width": width, "height": 900})
        prefix = "" if language == "vi" else "/en"
        _upload(page, portal, f"{prefix}/ke-hoach/{plan['id']}/tai-len", out.getvalue())
        preview = page.inner_text("#vndata-preview")
        shot(page, f"journeys/officer-excel/{number:02}-preview-{language}-{width}")
        assert all(text in preview for text in SAYS[language]), preview
        assert not any(raw in preview for raw in RAW), preview
        assert overflow(page) <= 0
        page.click("button[name=cancel]")

    # A blank template with one row: the row is added as STT 2, the item entered
    # before is listed as kept.
    page.set_viewport_size({"width": 1366, "height": 900})
    blank = openpyxl.load_workbook(
        io.BytesIO(page.request.get(f"{portal}/ke-hoach/mau-ke-hoach.xlsx").body())
    )
    blank["Danh mục và kế hoạch"].append([1, "Điểm wifi công cộng"])
    out = io.BytesIO()
    blank.save(out)
    _upload(page, portal, f"/ke-hoach/{plan['id']}/tai-len", out.getvalue())
    assert "2. Điểm wifi công cộng" in page.inner_text("#vndata-preview")
    assert "Danh sách trường học" in page.inner_text("#vndata-kept")
    shot(page, "journeys/officer-excel/05-preview-template-kept-vi-1366")
    page.click("button[name=cancel]")

    # The plan's own download, unchanged: 0 changes, and saving it writes nothing.
    _upload(page, portal, f"/ke-hoach/{plan['id']}/tai-len", own)
    assert "0 thay đổi" in page.inner_text("#vndata-preview")
    shot(page, "journeys/officer-excel/06-preview-unchanged-vi-1366")
    page.click("button[name=confirm]")
    assert "không có gì thay đổi" in page.inner_text("body")
