"""Every field of the Vietnamese schemas survives create -> show."""

from __future__ import annotations

import pathlib

import pytest
import yaml

from ckan.tests import helpers

from tests.factories import Item, Plan
from tests.helpers import REPO_ROOT
from tests.metadata.conftest import vn_dataset

SCHEMA = yaml.safe_load((REPO_ROOT / "schemas" / "vndata_dataset.yaml").read_text())
COMPUTED = {"next_update_due", "openness_stars", "private", "owner_org"}
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
    "access_type": "tai_ve",
    "api_docs": "https://opendata.danang.gov.vn/api/docs",
    "auth_required": False,
    "declared_stars": 3,
    "api_method": "GET",
    "api_header": "Accept: text/csv",
    "issued": "2025-03-15",
    "modified": "2025-06-30",
}
EXPECTED_STORED = {
    "tag_string": None,
    "contact_phone": "02363822111",
}


def test_round_trip_data_covers_every_schema_field():
    fields = {f["field_name"] for f in SCHEMA["dataset_fields"]} - COMPUTED - HARVESTED
    resource_fields = {f["field_name"] for f in SCHEMA["resource_fields"]} - {
        "openness_stars"
    }

    assert fields == set(FULL_DATASET)
    assert resource_fields == set(FULL_RESOURCE)


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestCreateShowRoundTrip:
    @pytest.fixture
    def plan_item(self, organization):
        # plan_item must name an item the dataset's agency may deliver.
        return Item(plan_id=Plan(organization_id=organization["id"])["id"])["key"]

    @pytest.fixture
    def shown(self, sysadmin_context, organization, plan_item):
        full = {**FULL_DATASET, "plan_item": plan_item}
        created = helpers.call_action(
            "package_create",
            context=sysadmin_context(),
            **vn_dataset(organization["id"], **full, resources=[FULL_RESOURCE]),
        )
        return helpers.call_action("package_show", id=created["id"])

    @pytest.mark.parametrize("field", sorted(set(FULL_DATASET) - set(EXPECTED_STORED)))
    def test_dataset_field_is_kept(self, shown, plan_item, field):
        expected = plan_item if field == "plan_item" else FULL_DATASET[field]
        assert shown[field] == expected

    def test_tags_are_kept(self, shown):
        assert sorted(t["name"] for t in shown["tags"]) == ["giáo dục", "trường học"]

    def test_phone_is_kept_in_compact_form(self, shown):
        assert shown["contact_phone"] == EXPECTED_STORED["contact_phone"]

    @pytest.mark.parametrize("field", sorted(FULL_RESOURCE))
    def test_resource_field_is_kept(self, shown, field):
        assert shown["resources"][0][field] == FULL_RESOURCE[field]

    def test_computed_fields_are_filled_in(self, shown):
        assert shown["next_update_due"] == "2025-09-30"
        assert shown["openness_stars"] == 3
        assert shown["resources"][0]["openness_stars"] == 3


def test_schema_labels_are_bilingual():
    path = pathlib.Path(REPO_ROOT / "schemas")
    for schema_file in path.glob("vndata_*.yaml"):
        schema = yaml.safe_load(schema_file.read_text())
        fields = (
            schema.get("dataset_fields", [])
            + schema.get("resource_fields", [])
            + schema.get("fields", [])
        )
        for field in fields:
            assert set(field["label"]) == {"vi", "en"}, (schema_file.name, field)
