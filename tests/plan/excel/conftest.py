"""A plan as plan_show gives it, to write as a workbook; messages need a request."""

from __future__ import annotations

import pytest

_PLAN = {
    "title": "Kế hoạch cung cấp dữ liệu mở 2025-2026",
    "period_start": 2025,
    "period_end": 2026,
    "decision_number": "123/QĐ-UBND",
    "decision_date": "2025-01-15",
    "decision_signer": "Nguyễn Văn A",
    "objectives": "Công bố dữ liệu giáo dục",
    "contact_name": "Trần Thị B",
    "contact_email": "b@danang.gov.vn",
    "contact_phone": "0236 3822 000",
    "phases": [
        {
            "id": "p1",
            "label": "Giai đoạn 1",
            "start_date": "2025-01-01",
            "end_date": "2025-12-31",
            "min_datasets": 5,
            "min_percent_published": 50,
            "min_stars": 3,
            "min_percent_machine_readable": 80,
            "min_percent_api": 20,
            "min_percent_complete_metadata": 90,
            "min_percent_updated_on_schedule": 75,
        }
    ],
    "items": [
        {
            "number": 1,
            "title": "Danh sách trường học",
            "description": "Trường mầm non đến trung học phổ thông",
            "sector": "giao-duc-dao-tao",
            "lead_agency": "Sở Giáo dục và Đào tạo",
            "source_database": "CSDL ngành giáo dục",
            "formats": ["CSV", "JSON"],
            "update_frequency": "hang_ngay",
            "phase_id": "p1",
            "target_date": "2025-06-30",
            "priority": "trung_binh",
        },
        {"number": 2, "title": '=HYPERLINK("http://x","y")'},
    ],
}


@pytest.fixture
def plan_dict() -> dict:
    return _PLAN


@pytest.fixture
def request_context(app):
    with app.flask_app.test_request_context():
        yield
