"""Records of a JSON API read with a source's mapping (issue 21): what a record
becomes, and remote records, which may be anything, read without ever raising."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ckanext.vndata.harvester import json_mapping, json_records
from tests.fuzz import FUZZ, HOSTILE_WORDS
from tests.harvester.test_json_mapping import MAPPING, RECORD


@pytest.fixture(scope="module")
def schema_fields():
    return json_mapping.schema_fields()


def _parse(raw, schema_fields):
    return json_mapping.parse(raw, *schema_fields)


@pytest.mark.usefixtures("with_plugins")
class TestReading:
    def test_a_record_becomes_the_dataset_its_mapping_describes(self, schema_fields):
        mapping = _parse(MAPPING, schema_fields)

        page = {"data": {"items": [RECORD]}}
        (record,) = json_records.page_records(mapping, page)
        dataset, notes = json_records.package(mapping, record)

        assert json_records.identity(mapping, record) == "1024"
        assert json_records.modified(mapping, record) == "2026-03-01T08:00:00"
        assert json_records.publisher(mapping, record) == "Sở Giáo dục và Đào tạo"
        assert dataset == {
            "title": "Danh sách trường học trên địa bàn thành phố",
            "notes": "Trường mầm non, tiểu học, trung học cơ sở.",
            # Mapped whatever the label's case and spacing; an unmapped one is kept
            # for the schema's validation to judge (and the source's rules to note).
            "sectors": ["giao-duc-dao-tao", "Văn hóa"],
            "update_frequency": "hang_nam",
            "tag_string": "trường học,giáo dục",
            "contact_email": "sgddt@danang.gov.vn",
            "resources": [
                {
                    "url": "https://opendata.example.vn/tep/1.csv",
                    "name": "Danh sách",
                    "format": "CSV",
                }
            ],
        }
        assert notes == [
            "A resource of the record has no URL (mapping.resources.fields.url); "
            "it was left out."
        ]

    def test_one_label_for_a_field_of_choices_is_a_list_of_one(self, schema_fields):
        mapping = _parse(MAPPING, schema_fields)

        dataset, _notes = json_records.package(
            mapping, {**RECORD, "linhVuc": [{"ten": "Y tế"}]}
        )
        assert dataset["sectors"] == ["y-te"]
        single = {"identity": "id", "fields": {"sectors": "linhVuc"}}
        dataset, _notes = json_records.package(
            _parse(single, schema_fields), {"id": 1, "linhVuc": "Giáo dục"}
        )
        assert dataset == {"sectors": ["Giáo dục"]}  # one value, a list of one

    def test_a_page_that_is_the_list_itself_needs_no_records_path(self, schema_fields):
        mapping = _parse({k: v for k, v in MAPPING.items() if k != "records"},
                         schema_fields)  # fmt: skip

        assert json_records.page_records(mapping, [RECORD, RECORD]) == [RECORD] * 2
        assert json_records.page_records(mapping, {"data": []}) is None

    def test_what_cannot_be_read_is_left_out_and_said(self, schema_fields):
        mapping = _parse(MAPPING, schema_fields)
        record = {
            **RECORD,
            "maDuLieu": {"not": "an id"},
            "tenDuLieu": {"vi": "Tiêu đề"},  # an object, not text
            "tuKhoa": 7,  # join() of a number: JMESPath's type error
            "tepDuLieu": "not a list",
        }

        dataset, notes = json_records.package(mapping, record)

        assert json_records.identity(mapping, record) is None
        assert "title" not in dataset and "tag_string" not in dataset
        assert dataset["resources"] == []
        assert any("mapping.fields.title found dict" in note for note in notes)
        assert any(
            "mapping.fields.tag_string could not be read" in note for note in notes
        )
        assert any("mapping.resources.each found no list" in note for note in notes)

    @FUZZ
    @given(
        record=st.recursive(
            st.none()
            | st.booleans()
            | st.integers()
            | st.floats()
            | st.sampled_from(HOSTILE_WORDS)
            | st.text(max_size=20),
            lambda inner: st.lists(inner, max_size=4)
            | st.dictionaries(
                st.sampled_from(
                    [
                        "maDuLieu",
                        "tenDuLieu",
                        "linhVuc",
                        "ten",
                        "tuKhoa",
                        "tepDuLieu",
                        "duongDan",
                        "data",
                        "items",
                        "x",
                    ]
                ),
                inner,
                max_size=5,
            ),  # fmt: skip
            max_leaves=30,
        )
    )
    def test_a_remote_record_never_makes_reading_raise(self, schema_fields, record):
        mapping = _parse(MAPPING, schema_fields)

        dataset, notes = json_records.package(mapping, record)
        json_records.page_records(mapping, record)
        found = json_records.identity(mapping, record)

        assert found is None or (isinstance(found, str) and found.strip() == found)
        assert all(isinstance(note, str) for note in notes)
        for field, value in dataset.items():
            if field == "resources":
                assert all(r["url"] and isinstance(r["url"], str) for r in value)
            else:
                assert isinstance(value, str) or all(isinstance(v, str) for v in value)
        json.dumps(dataset)  # storable as the harvest object's content
