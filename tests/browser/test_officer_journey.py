"""The provincial data officer's journey, in Vietnamese, in Chromium (issue #18).

The officer creates a plan, fills the blank template with openpyxl (2 phases, 3
items), uploads it, sees the preview and saves; uploads the plan's own workbook
unchanged and sees 0 changes; creates a dataset through the dataset form and links it
to an item by picking it; links a second dataset from the plan page; and sees the
items delivered. At each key page: screenshots at 1366 and 390 px, and the same
address in English, into test-artifacts/browser/journeys/officer/.
"""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest

from ckan.tests import factories

from tests.browser.conftest import PASSWORD, WIDTHS, login, overflow, shot
from tests.factories import VnDataset

NEXT_YEAR = datetime.date.today().year + 1
PLAN_TITLE = "Kế hoạch dữ liệu mở Sở Giáo dục và Đào tạo Đà Nẵng"
ITEMS = (
    ("Danh sách trường học", "Giai đoạn 1", datetime.date(NEXT_YEAR, 5, 31)),
    ("Điểm thi tốt nghiệp trung học phổ thông", "Giai đoạn 1",
     datetime.date(NEXT_YEAR, 6, 30)),
    ("Thư viện trường học", "Giai đoạn 2", datetime.date(NEXT_YEAR, 11, 30)),
)  # fmt: skip


def _shots(page, portal: str, name: str, path: str | None = None) -> None:
    """The page as it is, at both widths; and ``path`` in English at both widths."""
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        shot(page, f"journeys/officer/{name}-vi-{width}")
    page.set_viewport_size({"width": 1366, "height": 900})
    if path is None:
        return
    english = page.context.new_page()
    for width in WIDTHS:
        english.set_viewport_size({"width": width, "height": 900})
        english.goto(f"{portal}/en{path}")
        shot(english, f"journeys/officer/{name}-en-{width}")
    english.close()


def _by_header(sheet) -> dict[str, int]:
    return {cell.value: cell.column for cell in sheet[1] if cell.value}


def _filled_template(body: bytes) -> bytes:
    """The blank template as an officer fills it: the plan's title, two phases and
    three items, typed under the headers (not at fixed columns)."""
    book = openpyxl.load_workbook(io.BytesIO(body))
    general = book["Thông tin chung"]
    for row in general.iter_rows(min_row=2):
        if row[0].value == "Tên kế hoạch":
            row[1].value = PLAN_TITLE
    phases = book["Mức tối thiểu"]
    column = _by_header(phases)
    for row, (label, start, end) in enumerate(
        (
            (
                "Giai đoạn 1",
                datetime.date(NEXT_YEAR, 1, 1),
                datetime.date(NEXT_YEAR, 6, 30),
            ),
            (
                "Giai đoạn 2",
                datetime.date(NEXT_YEAR, 7, 1),
                datetime.date(NEXT_YEAR, 12, 31),
            ),
        ),  # fmt: skip
        start=2,
    ):
        phases.cell(row, column["Giai đoạn"], label)
        phases.cell(row, column["Từ ngày"], start)
        phases.cell(row, column["Đến ngày"], end)
        phases.cell(row, column["Số tập dữ liệu tối thiểu"], 1)
    items = book["Danh mục và kế hoạch"]
    column = _by_header(items)
    for row, (title, phase, deadline) in enumerate(ITEMS, start=2):
        items.cell(row, column["STT"], row - 1)
        items.cell(row, column["Tên dữ liệu"], title)
        items.cell(row, column["Lĩnh vực"], "Giáo dục, đào tạo")
        items.cell(row, column["Định dạng"], "CSV")
        items.cell(row, column["Tần suất cập nhật"], "Hằng năm")
        items.cell(row, column["Giai đoạn"], phase)
        items.cell(row, column["Thời hạn công bố"], deadline)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _upload(page, data: bytes | None) -> None:
    page.click("#vndata-upload-link")
    if data is not None:
        page.set_input_files(
            "#vndata-file",
            files=[{"name": "ke-hoach.xlsx", "mimeType": "application/octet-stream",
                    "buffer": data}],
        )  # fmt: skip
    page.click("#vndata-upload-form button[type=submit]")
    page.wait_for_load_state()


def _item_row(page, title: str) -> str:
    return page.inner_text(f"#danh-muc tr:has-text('{title}')")


def _create_dataset(page, portal: str, title: str, pick: str) -> None:
    """The dataset form as an officer fills it, picking the plan item by typing part
    of its title into the picker."""
    page.goto(f"{portal}/dataset/new")
    page.fill("#field-title", title)
    page.fill("#field-notes", "Danh sách các trường học trên địa bàn thành phố.")
    page.check("input[name=sectors][value=giao-duc-dao-tao]")
    page.select_option("#field-data_sharing_class", "mo")
    page.select_option("#field-data_importance_class", "khac")
    page.select_option("#field-personal_data_assessed", "true")
    page.select_option("#field-update_frequency", "hang_nam")
    page.click("#s2id_field-organizations")
    page.click(".select2-results li:has-text('Sở Giáo dục và Đào tạo Đà Nẵng')")
    page.select_option("#field-private", "False")
    page.click("#s2id_field-plan_item")
    page.keyboard.type(pick)
    page.click(f".select2-results li:has-text('{pick}')")
    _shots(page, portal, "05-dataset-form")
    page.click("button[name=save]")
    page.wait_for_load_state()
    if page.is_visible("#resource-link-button"):
        page.click("#resource-link-button")
    page.fill("#field-resource-url", "https://dulieu.danang.gov.vn/truong-hoc.csv")
    page.click("button[name=save][value=go-metadata]")
    page.wait_for_load_state()


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_officer_fills_a_plan_from_excel_and_delivers_its_items(portal, browser):
    officer = factories.User(name="canbo_sogd_danang", password=PASSWORD)
    org = factories.Organization(
        name="so-gd-dt-da-nang", title="Sở Giáo dục và Đào tạo Đà Nẵng",
        province_code="48", users=[{"name": officer["name"], "capacity": "admin"}],
    )  # fmt: skip

    # The plan, created through its form; the page says what comes next, and who.
    page = login(browser, portal, officer["name"], width=1366)
    page.goto(f"{portal}/organization/ke-hoach/{org['name']}")
    page.click("text=Tạo kế hoạch")
    page.fill("#field-title", PLAN_TITLE)
    page.fill("#field-period_start", str(NEXT_YEAR))
    page.fill("#field-period_end", str(NEXT_YEAR))
    page.click("#vndata-plan-form button[type=submit]")
    plan_id = page.url.split("#")[0].rstrip("/").split("/")[-1]
    plan_path = f"/ke-hoach/{plan_id}"
    assert "Bước tiếp theo: Gửi thẩm định" in page.inner_text("#vndata-next-step")
    _shots(page, portal, "01-plan-new", plan_path)

    # Uploading with no file chosen says so.
    _upload(page, None)
    assert "Chưa chọn tệp" in page.inner_text("#vndata-refusal")

    # The blank template, filled with openpyxl, uploaded: the preview, then saved.
    template = page.request.get(f"{portal}/ke-hoach/mau-ke-hoach.xlsx").body()
    page.goto(f"{portal}{plan_path}")
    _upload(page, _filled_template(template))
    preview = page.inner_text("#vndata-preview")
    assert all(title in preview for title, _phase, _date in ITEMS)
    _shots(page, portal, "02-upload-preview", f"{plan_path}/tai-len")
    page.click("button[name=confirm]")
    listed = page.inner_text("#danh-muc")
    assert all(title in listed for title, _phase, _date in ITEMS)
    _shots(page, portal, "03-plan-filled", plan_path)

    # The plan's own workbook, uploaded unchanged, changes nothing.
    workbook = page.request.get(f"{portal}{plan_path}.xlsx").body()
    _upload(page, workbook)
    assert "0 thay đổi" in page.inner_text("#vndata-change-count")
    _shots(page, portal, "04-round-trip-no-change")
    page.click("button[name=cancel]")

    # A dataset made through the dataset form delivers item 1, picked by its title.
    assert 'value="submit"' in page.content()  # the admin submits; not yet
    _create_dataset(page, portal, "Danh sách trường học Đà Nẵng", "Danh sách trường")
    page.goto(f"{portal}{plan_path}")
    row = _item_row(page, "Danh sách trường học")
    assert "Danh sách trường học Đà Nẵng" in row
    assert "công bố đúng hạn" in row

    # From the plan page: "Gắn tập dữ liệu" on item 2, found without accents.
    VnDataset(
        owner_org=org["id"], title="Điểm thi tốt nghiệp THPT năm 2026",
        name="diem-thi-tot-nghiep-2026",
    )  # fmt: skip
    page.click("#danh-muc tr:has-text('Điểm thi tốt nghiệp') a.vndata-link-dataset")
    page.fill("#vndata-link-q", "diem thi tot nghiep")
    page.click("#vndata-link-search button[type=submit]")
    link_path = page.url.replace(portal, "")
    page.set_viewport_size({"width": 390, "height": 900})
    assert overflow(page) <= 0
    page.set_viewport_size({"width": 1366, "height": 900})
    _shots(page, portal, "06-link-a-dataset", link_path)
    page.click("#vndata-link-results li:has-text('Điểm thi') button[type=submit]")
    assert "đã được gắn với mục 2" in page.inner_text("body")
    row = _item_row(page, "Điểm thi tốt nghiệp trung học phổ thông")
    assert "Điểm thi tốt nghiệp THPT năm 2026" in row
    assert "công bố đúng hạn" in row
    _shots(page, portal, "07-items-delivered", plan_path)
