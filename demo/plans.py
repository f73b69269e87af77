"""The open-data plans the demo's provincial agencies make, and who makes them how.

Đà Nẵng, Sở Khoa học và Công nghệ: a plan for 2025-2026 entered through the web (the
new-plan form, then the Excel template filled in and uploaded), whose first phase is
past: two items delivered by the agency's datasets, one overdue, two not yet due.
Đà Nẵng, Sở Xây dựng: a plan still being drafted (it never leaves the portal). Huế:
its People's Committee's plan for 2026 entered through the action API, one item
delivered. Each published plan goes through the workflow on its own portal: drafted by
an editor, submitted by an admin, approved and published by the province's reviewer.

Dates are relative to the day of the first run: the schedule is "behind" whenever the
demo is brought up.
"""

from __future__ import annotations

import datetime

TODAY = datetime.date.today()


def days(n: int) -> str:
    return (TODAY + datetime.timedelta(days=n)).isoformat()


# The plans' periods, around the day of the first run like their schedules.
FIRST_YEAR, LAST_YEAR = TODAY.year - 1, TODAY.year + 1

DA_NANG = {
    "organization": "so-khcn-da-nang",
    # What the officer types on the new-plan form.
    "form": {
        "title": "Kế hoạch cung cấp dữ liệu mở thành phố Đà Nẵng giai đoạn "
        f"{FIRST_YEAR}-{LAST_YEAR}",
        "period_start": str(FIRST_YEAR),
        "period_end": str(LAST_YEAR),
    },
    # The rest of the "Thông tin chung" sheet of the workbook.
    "general": {
        "decision_number": "804/QĐ-UBND",
        "decision_date": TODAY - datetime.timedelta(days=330),
        "decision_signer": "Phó Chủ tịch UBND thành phố",
        "objectives": "Công bố tối thiểu 90% danh mục dữ liệu mở trong giai đoạn.",
        "contact_name": "Phòng Quản lý công nghệ thông tin",
        "contact_email": "opendata@danang.gov.vn",
        "contact_phone": "0236 3822 111",
    },
    "phases": [
        {
            "label": "Giai đoạn 1",
            "start_date": -300,
            "end_date": -30,
            "min_datasets": 2,
            "min_percent_published": 50,
            "min_stars": 3,
            "min_percent_machine_readable": 80,
        },
        {
            "label": "Giai đoạn 2",
            "start_date": -29,
            "end_date": 300,
            "min_datasets": 4,
            "min_percent_published": 90,
            "min_percent_api": 25,
        },
    ],
    # (title, sector, days to the deadline, phase, dataset that delivers it or None)
    "items": [
        (
            "Danh sách trường học",
            "giao-duc-dao-tao",
            -120,
            "Giai đoạn 1",
            "danh-sach-truong-hoc-da-nang",
        ),
        (
            "Điểm wifi công cộng",
            "co-so-ha-tang",
            -90,
            "Giai đoạn 1",
            "diem-wifi-cong-cong-da-nang",
        ),
        ("Giá đất trên địa bàn", "kinh-te-thuong-mai", -45, "Giai đoạn 1", None),
        ("Tuyến xe buýt và điểm dừng", "co-so-ha-tang", 20, "Giai đoạn 2", None),
        ("Chất lượng không khí", "moi-truong", 120, "Giai đoạn 2", None),
    ],
    "item_defaults": {
        "lead_agency": "Sở Khoa học và Công nghệ",
        "formats": "CSV, API",
        "update_frequency": "hang_quy",
        "priority": "cao",
    },
    "comments": {
        "submit": "Trình thẩm định theo Quyết định 804/QĐ-UBND",
        "approve": "Đạt yêu cầu, đồng ý ban hành",
        "publish": "Công bố trên cổng dữ liệu mở thành phố",
    },
}

# Another department's plan, typed on the forms and left as a draft.
DA_NANG_DRAFT = {
    "organization": "so-xay-dung-da-nang",
    "form": {
        "title": f"Kế hoạch dữ liệu mở ngành xây dựng Đà Nẵng năm {LAST_YEAR}",
        "period_start": str(LAST_YEAR),
        "period_end": str(LAST_YEAR),
    },
    "items": [
        {"title": "Giấy phép xây dựng đã cấp", "sector": "co-so-ha-tang"},
        {"title": "Quy hoạch chi tiết các khu đô thị", "sector": "co-so-ha-tang"},
    ],
}

HUE = {
    "plan": {
        "organization_id": "ubnd-thanh-pho-hue",
        "title": "Kế hoạch dữ liệu mở thành phố Huế giai đoạn "
        f"{TODAY.year}-{LAST_YEAR}",
        "period_start": TODAY.year,
        "period_end": LAST_YEAR,
        "decision_number": "1520/QĐ-UBND",
        "decision_date": days(-340),
        "contact_email": "dulieumo@hue.gov.vn",
    },
    "phase": {
        "label": "Giai đoạn 1",
        "start_date": -330,
        "end_date": 35,
        "min_datasets": 2,
        "min_percent_published": 50,
    },
    # (title, sector, days to the deadline, dataset that delivers it or None)
    "items": [
        ("Di tích lịch sử - văn hóa", "xa-hoi", -20, "di-tich-lich-su-hue"),
        ("Quan trắc chất lượng nước sông Hương", "moi-truong", 25, None),
        ("Điểm du lịch và lưu trú", "xa-hoi", 150, None),
    ],
    "comments": {
        "submit": "Trình thẩm định",
        "approve": "Đồng ý",
        "publish": "Công bố",
    },
}

# The workflow from each state to "published": (transition, who takes it).
TO_PUBLISHED = {
    "draft": ("submit", "admin"),
    "returned": ("submit", "admin"),
    "submitted": ("approve", "reviewer"),
    "approved": ("publish", "reviewer"),
}


def current(portal, organization: str) -> dict | None:
    """The agency's plan in force, else its newest one (None: it has no plan yet).

    A revision an officer started since is left alone: the demo's plan is there."""
    found = portal.call("vndata_plan_list", organization_id=organization)
    published = [plan for plan in found if plan["status"] == "published"]
    return (published or found or [None])[0]
