"""What several metadata (and dcat) tests share: the dataset schema, a valid
Vietnamese dataset to change one field at a time, a dataset and a resource with
every field filled, and package_create with the errors it refuses with."""

from __future__ import annotations

import pytest
import yaml

import ckan.plugins.toolkit as tk
from ckan.tests import helpers

from tests.helpers import REPO_ROOT

SCHEMA = yaml.safe_load((REPO_ROOT / "schemas" / "vndata_dataset.yaml").read_text())
DATASET_FIELDS = [f["field_name"] for f in SCHEMA["dataset_fields"]]
RESOURCE_FIELDS = [f["field_name"] for f in SCHEMA["resource_fields"]]


def vn_dataset(owner_org: str, **overrides) -> dict:
    dataset = {
        "title": "Danh sách trường học Đà Nẵng",
        "notes": "Các trường mầm non, tiểu học và trung học trên địa bàn thành phố.",
        "owner_org": owner_org,
        "sectors": ["giao-duc-dao-tao"],
        "data_sharing_class": "mo",
        "data_importance_class": "khac",
        "personal_data_assessed": True,
        "update_frequency": "hang_nam",
        "resources": [{"url": "https://opendata.danang.gov.vn/a.csv", "format": "CSV"}],
    }
    dataset.update(overrides)
    return dataset


def create_dataset(context, **fields) -> dict:
    return helpers.call_action("package_create", context=context, **fields)


def creation_errors(context, **fields) -> dict:
    """The errors package_create refuses ``fields`` with (it must refuse them)."""
    with pytest.raises(tk.ValidationError) as raised:
        create_dataset(context, **fields)
    return raised.value.error_dict


# Filled by the harvester, not by officers; tested with the national catalogue and
# (harvest_notes) by tests/harvester/test_policy.py, (the languages) in
# tests/dcat/test_translations.py.
HARVESTED = {
    "source_catalog_uri",
    "source_catalog_title",
    "source_catalog_publisher",
    "harvest_notes",
    "title_language",
    "notes_language",
    "translations",
}

FULL_DATASET = {
    "title": "Danh sách trường học Đà Nẵng",
    "title_en": "Schools of Da Nang",
    "name": "truong-hoc-da-nang",
    "notes": "Các trường mầm non, tiểu học và trung học.",
    "publisher_code": "H17.14",
    "publisher_code_legacy": "000.00.14.H17",
    "managing_agency": "Ủy ban nhân dân thành phố Đà Nẵng",
    "sectors": ["giao-duc-dao-tao", "dia-phuong"],
    "tag_string": "giáo dục,trường học",
    "data_sharing_class": "mo",
    "data_importance_class": "khac",
    "personal_data_assessed": True,
    "personal_data_note": "Không có thông tin cá nhân của học sinh.",
    "license_id": "CC-BY-4.0",
    "update_frequency": "hang_quy",
    "issued": "2025-03-15",
    "modified": "2025-06-30",
    "province_code": "48",
    "commune_code": "20242",
    "legacy_admin_codes": ["20236"],
    "temporal_start": "2024-09-01",
    "temporal_end": "2025-05-31",
    "source_database": "Cơ sở dữ liệu ngành giáo dục thành phố",
    "source_database_type": "dia_phuong",
    "contact_name": "Phòng Công nghệ thông tin",
    "contact_email": "opendata@danang.gov.vn",
    "contact_phone": "0236 3822 111",
    "legal_basis": "804/QĐ-UBND ngày 05/03/2026",
    "conforms_to": "https://dulieu.gov.vn/tu-dien/truong-hoc",
    "language": "vi",
    "plan_item": "3f1c1a52-6a57-4a8e-9a57-0c7c3a1b2d10",
}
FULL_RESOURCE = {
    "url": "https://opendata.danang.gov.vn/truong-hoc.csv",
    "name": "Danh sách trường học (CSV)",
    "description": "Tệp CSV, mã hóa UTF-8.",
    # As harvested from a record with no Vietnamese name (dcat/translations.py).
    "name_language": "fr",
    "description_language": "fr",
    "translations": '{"name": {"it": "Elenco delle scuole (CSV)"}}',
    "format": "CSV",
    "mimetype": "text/csv",
    "size": 20480,
    "rights": "Ghi rõ nguồn khi sử dụng lại.",
    "access_type": "tai_ve",
    "api_docs": "https://opendata.danang.gov.vn/api/docs",
    "auth_required": False,
    "declared_stars": 3,
    "api_method": "GET",
    "api_header": "Accept: text/csv",
    "issued": "2025-03-15",
    "modified": "2025-06-30",
}
