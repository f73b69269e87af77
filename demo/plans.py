"""Open-data plans of the demo agencies, in several states (one behind schedule).

Đà Nẵng: a published plan 2025-2026 whose first phase is past (two items delivered by
datasets, one overdue) and its six-monthly revision as a draft. Huế: a plan submitted
for review. Idempotent.
"""

from __future__ import annotations

import datetime

TODAY = datetime.date.today()


def _days(n: int) -> str:
    return (TODAY + datetime.timedelta(days=n)).isoformat()


DA_NANG = {
    "organization_id": "so-khcn-da-nang",
    "title": "Kế hoạch cung cấp dữ liệu mở thành phố Đà Nẵng giai đoạn 2025-2026",
    "period_start": 2025,
    "period_end": 2026,
    "decision_number": "804/QĐ-UBND",
    "decision_date": "05/03/2025",
    "decision_signer": "Phó Chủ tịch UBND thành phố",
    "legal_basis": "Luật Giao dịch điện tử 2023, Điều 43; Luật Dữ liệu 2024, Điều 21",
    "objectives": "Công bố tối thiểu 90% danh mục dữ liệu mở trong giai đoạn.",
    "contact_name": "Phòng Quản lý công nghệ thông tin",
    "contact_email": "opendata@danang.gov.vn",
    "review_interval_months": 6,
    "last_review_date": _days(-60),
}
DA_NANG_PHASES = [
    {
        "label": "Giai đoạn 1",
        "start_date": _days(-300),
        "end_date": _days(-30),
        "min_datasets": 2,
        "min_percent_published": 50,
        "min_stars": 3,
        "min_percent_machine_readable": 80,
    },
    {
        "label": "Giai đoạn 2",
        "start_date": _days(-29),
        "end_date": _days(300),
        "min_datasets": 4,
        "min_percent_published": 90,
        "min_percent_api": 25,
    },
]
DA_NANG_ITEMS = [
    (
        "Danh sách trường học",
        "giao-duc-dao-tao",
        -120,
        0,
        "danh-sach-truong-hoc-da-nang",
    ),
    ("Điểm wifi công cộng", "co-so-ha-tang", -90, 0, "diem-wifi-cong-cong-da-nang"),
    ("Giá đất trên địa bàn thành phố", "kinh-te-thuong-mai", -45, 0, None),
    ("Tuyến xe buýt và điểm dừng", "co-so-ha-tang", 20, 1, None),
    ("Chất lượng không khí", "moi-truong", 120, 1, None),
]

HUE = {
    "organization_id": "ubnd-thanh-pho-hue",
    "title": "Kế hoạch dữ liệu mở thành phố Huế năm 2026",
    "period_start": 2026,
    "period_end": 2026,
    "contact_email": "dulieumo@hue.gov.vn",
}
HUE_ITEMS = [
    ("Di tích lịch sử - văn hóa", "xa-hoi", 60, "di-tich-lich-su-hue"),
    ("Quan trắc chất lượng nước sông Hương", "moi-truong", 90, None),
]


def seed(call) -> None:
    """``call(action, **data)`` runs an action as the demo sysadmin."""
    existing = {p["organization_id"] for p in call("vndata_plan_list")}
    if not existing:
        _da_nang(call)
        _hue(call)


def _da_nang(call) -> None:
    plan = call("vndata_plan_create", **DA_NANG)
    phases = [
        call("vndata_plan_phase_create", plan_id=plan["id"], **p)
        for p in DA_NANG_PHASES
    ]
    for title, sector, due, phase, dataset in DA_NANG_ITEMS:
        item = call(
            "vndata_plan_item_create",
            plan_id=plan["id"],
            title=title,
            sector=sector,
            lead_agency="Sở Khoa học và Công nghệ",
            formats=["CSV", "API"],
            update_frequency="hang_quy",
            priority="cao",
            target_date=_days(due),
            phase_id=phases[phase]["id"],
        )
        if dataset:
            call("vndata_plan_item_link", id=item["id"], package_id=dataset)
    for step in ("submit", "approve", "publish"):
        call(f"vndata_plan_{step}", id=plan["id"], comment="Duyệt theo Quyết định 804")
    print(f"  kế hoạch {plan['title']} (đã công bố, chậm tiến độ)")
    revision = call(
        "vndata_plan_revise", id=plan["id"], comment="Rà soát danh mục 6 tháng"
    )
    print(f"  kế hoạch {plan['title']} phiên bản {revision['version']} (dự thảo)")


def _hue(call) -> None:
    plan = call("vndata_plan_create", **HUE)
    call(
        "vndata_plan_phase_create",
        plan_id=plan["id"],
        label="Năm 2026",
        start_date="2026-01-01",
        end_date="2026-12-31",
        min_datasets=2,
    )
    for title, sector, due, dataset in HUE_ITEMS:
        item = call(
            "vndata_plan_item_create",
            plan_id=plan["id"],
            title=title,
            sector=sector,
            target_date=_days(due),
        )
        if dataset:
            call("vndata_plan_item_link", id=item["id"], package_id=dataset)
    call("vndata_plan_submit", id=plan["id"], comment="Trình thẩm định")
    print(f"  kế hoạch {plan['title']} (đã trình, chờ thẩm định)")
