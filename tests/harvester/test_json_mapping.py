"""The declarative mapping of vndata_json (issue 21): every mistake of a mapping named
by its key at once, and records, which are remote input, read without ever raising."""

from __future__ import annotations

import pytest

from ckanext.vndata.harvester import json_mapping
from ckanext.vndata.harvester.config import ConfigError

# A Đà Nẵng-style portal: a list answer {"data": {"items": [...]}}, Vietnamese keys and
# labels, files in a nested list.
MAPPING = {
    "records": "data.items",
    "identity": "maDuLieu",
    "modified": "ngayCapNhat",
    "publisher": "donViCungCap.ten",
    "fields": {
        "title": "tenDuLieu",
        "notes": "moTa",
        "sectors": "linhVuc[].ten",
        "update_frequency": "tanSuatCapNhat",
        "tag_string": "join(',', tuKhoa)",
        "contact_email": "lienHe.email",
    },
    "value_maps": {
        "sectors": {"Giáo dục": "giao-duc-dao-tao", "Y tế": "y-te"},
        "update_frequency": {"Hằng năm": "hang_nam", "Hằng quý": "hang_quy"},
    },
    "resources": {
        "each": "tepDuLieu",
        "fields": {"url": "duongDan", "name": "tenTep", "format": "dinhDang"},
    },
}
RECORD = {
    "maDuLieu": 1024,
    "ngayCapNhat": "2026-03-01T08:00:00",
    "tenDuLieu": "Danh sách trường học trên địa bàn thành phố",
    "moTa": "Trường mầm non, tiểu học, trung học cơ sở.",
    "linhVuc": [{"ten": "giáo  DỤC"}, {"ten": "Văn hóa"}],
    "tanSuatCapNhat": "Hằng năm",
    "tuKhoa": ["trường học", "giáo dục"],
    "lienHe": {"email": "sgddt@danang.gov.vn"},
    "donViCungCap": {"ten": "Sở Giáo dục và Đào tạo"},
    "tepDuLieu": [
        {"duongDan": "https://opendata.example.vn/tep/1.csv", "tenTep": "Danh sách",
         "dinhDang": "CSV"},
        {"tenTep": "Không có đường dẫn"},
    ],
}  # fmt: skip


@pytest.fixture(scope="module")
def schema_fields():
    return json_mapping.schema_fields()


def _parse(raw, schema_fields):
    return json_mapping.parse(raw, *schema_fields)


@pytest.mark.usefixtures("with_plugins")
class TestMistakes:
    def test_every_mistake_is_named_by_its_key_at_once(self, schema_fields):
        raw = {
            "records": "data.items[",  # not JMESPath
            "fields": {
                "title": "tenDuLieu",
                "name": "slug",  # this portal names its datasets
                "ten_khong_co": "x",  # no such field
                "notes": 5,  # not text
            },
            "value_maps": {
                "sectors": {"Giáo dục": "giao-duc-dao-tao"},  # not in fields
                "title": ["not", "an", "object"],
            },
            "resources": {"each": "tepDuLieu", "fields": {"name": "tenTep"}},
            "paging": {},  # not a key of a mapping
        }

        with pytest.raises(ConfigError) as raised:
            _parse(raw, schema_fields)

        assert set(raised.value.by_key) == {
            "mapping.identity",
            "mapping.records",
            "mapping.fields.name",
            "mapping.fields.ten_khong_co",
            "mapping.fields.notes",
            "mapping.value_maps.sectors",
            "mapping.value_maps.title",
            "mapping.resources.fields.url",
            "mapping.paging",
        }
        # Each message names its key, so that a list of them reads on its own.
        for key, messages in raised.value.by_key.items():
            assert all(key in message for message in messages), (key, messages)

    @pytest.mark.parametrize(
        "raw, key",
        [
            ([], "mapping"),
            ({"identity": "id", "fields": {}}, "mapping.fields"),
            ({"identity": "id", "fields": []}, "mapping.fields"),
            ({"identity": "", "fields": {"title": "t"}}, "mapping.identity"),
            ({"identity": "a" * 1001, "fields": {"title": "t"}}, "mapping.identity"),
            ({"identity": "a\x00b", "fields": {"title": "t"}}, "mapping.identity"),
            ({"identity": "[" * 5000, "fields": {"title": "t"}}, "mapping.identity"),
            ({"identity": "id", "fields": {"title": "t"}, "value_maps": []},
             "mapping.value_maps"),
            ({"identity": "id", "fields": {"title": "t"}, "resources": "files"},
             "mapping.resources"),
            ({"identity": "id", "fields": {"title": "t"},
              "resources": {"each": "f", "fields": {"url": "u", "id": "i"}}},
             "mapping.resources.fields.id"),
        ],
    )  # fmt: skip
    def test_a_mapping_of_the_wrong_shape_is_refused_by_its_key(
        self, schema_fields, raw, key
    ):
        with pytest.raises(ConfigError) as raised:
            _parse(raw, schema_fields)

        assert key in raised.value.by_key

    @pytest.mark.ckan_config("ckan.locale_default", "vi")
    def test_the_messages_are_vietnamese_on_a_vietnamese_portal(
        self, schema_fields, app
    ):
        with app.flask_app.test_request_context(), pytest.raises(ConfigError) as raised:
            _parse({"fields": {"title": "t"}}, schema_fields)

        assert raised.value.by_key == {
            "mapping.identity": ["mapping.identity là bắt buộc."]
        }
