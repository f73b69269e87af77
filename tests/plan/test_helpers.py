"""The plan's template helpers: labels in the user's language, and what an unknown
code, dataset or user shows as (plan/helpers.py)."""

from __future__ import annotations

import datetime

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories

from ckanext.vndata.plan import upload
from tests.factories import VnDataset

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")


@pytest.fixture
def page(app):
    """A Vietnamese page, as most of the portal's readers see it."""
    with app.flask_app.test_request_context():
        yield


@pytest.mark.usefixtures("page")
class TestLabels:
    def test_fields_levels_parts_operations_and_priorities_in_vietnamese(self):
        assert tk.h.vndata_plan_field_label("title") == "Tiêu đề"
        assert tk.h.vndata_plan_level_label("min_datasets") == (
            "Số tập dữ liệu đã công bố"
        )
        assert tk.h.vndata_plan_part_label("plan") == "Thông tin chung"
        assert tk.h.vndata_plan_part_label("item") == "Mục dữ liệu"
        assert tk.h.vndata_plan_operation_label("add") == "thêm"
        assert tk.h.vndata_plan_priority_label("cao") == "cao"
        assert tk.h.vndata_plan_priorities()[0] == {"code": "cao", "label": "cao"}
        assert [p["code"] for p in tk.h.vndata_plan_priorities()] == [
            "cao",
            "trung_binh",
            "thap",
        ]

    @pytest.mark.parametrize(
        "helper",
        [
            "vndata_plan_field_label",
            "vndata_plan_level_label",
            "vndata_plan_part_label",
            "vndata_plan_operation_label",
            "vndata_plan_priority_label",
            "vndata_plan_status_label",
        ],
    )
    @pytest.mark.parametrize("code", ["khong-co", "<b>x</b>", ""])
    def test_an_unknown_code_shows_as_it_is(self, helper, code):
        assert getattr(tk.h, helper)(code) == code


@pytest.mark.usefixtures("page")
class TestUploadChanges:
    def test_each_changed_field_reads_old_to_new_under_its_label(self):
        change = upload.Change(
            "item", "change", "1. A",
            ["sector", "phase", "formats", "target_date", "priority", "description"],
            {"sector": "y-te", "phase": "Giai đoạn 2", "formats": '["CSV", "API"]',
             "target_date": datetime.date(2026, 6, 30), "priority": "thap",
             "description": None},
            old={"sector": "giao-duc-dao-tao", "phase": "Giai đoạn 1",
                 "formats": ["CSV"], "target_date": "2025-12-31", "priority": "cao",
                 "description": "Mô tả"},
        )  # fmt: skip

        assert tk.h.vndata_plan_change_rows(change) == [
            ("Lĩnh vực", "Giáo dục đào tạo", "Y tế"),
            ("Giai đoạn", "Giai đoạn 1", "Giai đoạn 2"),
            ("Định dạng", "CSV", "CSV, API"),
            ("Thời hạn công bố", "31/12/2025", "30/06/2026"),
            ("Mức ưu tiên", "cao", "thấp"),
            ("Mô tả", "Mô tả", "—"),
        ]

    def test_a_part_not_in_the_file_reads_as_kept(self):
        assert tk.h.vndata_plan_operation_label("keep") == (
            "không có trong tệp — giữ nguyên"
        )


@pytest.mark.usefixtures("page")
class TestNames:
    def test_a_dataset_shows_its_title_else_the_id_given(self):
        titled = VnDataset(
            owner_org=factories.Organization()["id"], title="Danh sách trường học"
        )

        assert tk.h.vndata_plan_dataset_title(titled["id"]) == "Danh sách trường học"
        assert tk.h.vndata_plan_dataset_title("da-xoa") == "da-xoa"

    def test_a_user_shows_the_full_name_else_the_name_else_nothing(self):
        named = factories.User(fullname="Nguyễn Văn A")
        plain = factories.User(fullname="")

        assert tk.h.vndata_plan_user_name(named["id"]) == "Nguyễn Văn A"
        assert tk.h.vndata_plan_user_name(plain["id"]) == plain["name"]
        assert tk.h.vndata_plan_user_name("khong-co") == ""
