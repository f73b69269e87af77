"""Dataset and organization pages show the Vietnamese fields in the user's language."""

from __future__ import annotations

import pytest

from ckan.tests import factories, helpers

from tests.helpers import token_headers
from tests.metadata.helpers import vn_dataset


@pytest.fixture
def dataset(sysadmin_context, organization):
    return helpers.call_action(
        "package_create",
        context=sysadmin_context(),
        **vn_dataset(
            organization["id"],
            province_code="48",
            publisher_code="H17.14",
            sectors=["giao-duc-dao-tao", "y-te"],
            update_frequency="hang_quy",
            issued="15/03/2025",
        ),
    )


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestDatasetPage:
    def test_fields_are_shown_in_vietnamese_by_default(self, app, dataset):
        page = app.get(f"/dataset/{dataset['name']}").body

        for text in (
            "Lĩnh vực",
            "Giáo dục đào tạo",
            "Y tế",
            "Phân loại theo tính chia sẻ",
            "Dữ liệu mở",
            "Tần suất cập nhật",
            "Hằng quý",
            "Thành phố Đà Nẵng",
            "Mã định danh cơ quan",
            "H17.14",
        ):
            assert text in page, text

    def test_fields_are_shown_in_english_when_chosen(self, app, dataset):
        page = app.get(f"/en/dataset/{dataset['name']}").body

        for text in (
            "Sectors",
            "Education and training",
            "Sharing class",
            "Open data",
            "Quarterly",
            "Agency e-ID code",
        ):
            assert text in page, text
        assert "Phân loại theo tính chia sẻ" not in page

    def test_new_dataset_form_is_in_vietnamese(self, app):
        user = factories.Sysadmin()
        page = app.get(
            "/dataset/new",
            headers=token_headers(user),
        ).body

        for text in (
            "Tên tập dữ liệu",
            "Phân loại theo mức độ quan trọng",
            "Dữ liệu cốt lõi",
        ):
            assert text in page, text


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestOrganizationPage:
    def test_agency_fields_are_shown_in_both_languages(self, app):
        org = factories.Organization(
            title="Ủy ban nhân dân thành phố Huế",
            agency_code="000.00.00.H57",
            agency_level="tinh",
            province_code="46",
        )

        vi_page = app.get(f"/organization/about/{org['name']}").body
        en_page = app.get(f"/en/organization/about/{org['name']}").body

        assert "Mã định danh cơ quan" in vi_page
        assert "H57" in vi_page
        assert "Ủy ban nhân dân cấp tỉnh" in vi_page
        assert "Agency e-ID code" in en_page
        assert "Provincial People&#39;s Committee" in en_page


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestDatasetDisplaySnippets:
    def test_values_are_shown_the_vietnamese_way(
        self, app, sysadmin_context, organization
    ):
        dataset = helpers.call_action(
            "package_create",
            context=sysadmin_context(),
            **vn_dataset(
                organization["id"],
                province_code="Quảng Nam",
                issued="2025-01-10",
                resources=[{"url": "http://x/a.json", "format": "JSON"}],
            ),
        )

        page = app.get(f"/dataset/{dataset['name']}").body

        assert "10/01/2025" in page
        assert "Đã đánh giá" in page
        assert "49 - Tỉnh Quảng Nam" in page
        assert "★★★☆☆" in page
        assert "Dữ liệu đến ngày" not in page  # empty fields are not listed

    def test_dates_stay_iso_in_english(self, app, sysadmin_context, organization):
        dataset = helpers.call_action(
            "package_create",
            context=sysadmin_context(),
            **vn_dataset(organization["id"], issued="2025-01-10"),
        )

        page = app.get(f"/en/dataset/{dataset['name']}").body

        assert "2025-01-10" in page
        assert "Yes" in page


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestErrorPage:
    def test_a_refused_page_is_headed_in_the_readers_language(self, app):
        headers = token_headers(factories.User())

        page = app.get("/ckan-admin", headers=headers, status=403).body
        english = app.get("/en/ckan-admin", headers=headers, status=403).body

        assert "<h1>403 Không có quyền truy cập</h1>" in page
        assert "Forbidden" not in page
        assert "<h1>403 Not permitted</h1>" in english

    def test_a_missing_page_is_headed_in_vietnamese(self, app):
        page = app.get("/ke-hoach/khong-co-ke-hoach-nay", status=404).body

        assert "<h1>404 Không tìm thấy trang</h1>" in page
