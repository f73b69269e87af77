"""The workbook's columns come from the field registry; code lists read loosely."""

from __future__ import annotations

from ckanext.vndata.plan import fields
from ckanext.vndata.plan.excel import columns


def test_every_minimum_level_is_a_column_of_the_phase_sheet():
    assert [key for key, _ in columns.PHASE_COLUMNS][3:] == list(fields.LEVEL_KEYS)


def test_each_part_has_the_registry_fields_with_a_header_in_order():
    assert [k for k, _ in columns.GENERAL_FIELDS] == [
        f.key for f in fields.PLAN if f.header
    ]
    assert [k for k, _ in columns.ITEM_COLUMNS] == [
        "phase" if f.key == "phase_id" else f.key for f in fields.ITEM if f.header
    ]


def test_a_label_typed_loosely_reads_as_its_code():
    assert columns.code_of("sectors", "giao duc, DAO TAO") == "giao-duc-dao-tao"
    assert columns.code_of("sectors", "giao-duc-dao-tao") == "giao-duc-dao-tao"
    assert columns.code_of("priority", "trung binh") == "trung_binh"
    assert columns.code_of("priority", "khẩn") is None


def test_a_code_is_written_as_its_label_and_an_unknown_one_as_it_is():
    assert columns.label_of("priority", "cao") == "Cao"
    assert columns.label_of("priority", "khac") == "khac"
    assert columns.label_of("priority", None) is None
