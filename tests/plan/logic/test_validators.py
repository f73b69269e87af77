"""The validators of the plan schemas, called as navl calls them: each value is taken
in the shapes a form, a spreadsheet or the API sends, or refused with tk.Invalid, and
no hostile value makes one fail otherwise (plan/logic/validators.py)."""

from __future__ import annotations

import datetime
import json

import pytest

import ckan.plugins.toolkit as tk

from ckanext.vndata.plan.logic import validators as v
from tests.fuzz import HOSTILE_WORDS

pytestmark = pytest.mark.usefixtures("with_plugins", "with_request_context")

HOSTILE = [*HOSTILE_WORDS, None, True, 2**80, float("inf"), [], ["a"], {"a": 1}, 1.5]
SIMPLE = [
    v.vndata_plan_string,
    v.vndata_plan_date,
    v.vndata_plan_bool,
    v.vndata_plan_year,
    v.vndata_plan_percent,
    v.vndata_plan_stars,
    v.vndata_plan_count,
    v.vndata_plan_text,
    v.vndata_plan_text_list,
    v.vndata_plan_sector,
    v.vndata_plan_frequency,
    v.vndata_plan_source_database_type,
    v.vndata_plan_priority,
    v.vndata_plan_importance_class,
    v.vndata_plan_int(1, 10),
]


@pytest.mark.parametrize("validator", SIMPLE, ids=lambda f: f.__name__)
def test_a_hostile_value_is_taken_or_refused_never_an_error(validator):
    for value in HOSTILE:
        try:
            validator(value, {})
        except tk.Invalid:
            pass


def _refused(validator, value) -> str:
    with pytest.raises(tk.Invalid) as refused:
        validator(value, {})
    return str(refused.value.error)


class TestText:
    def test_a_number_cell_is_text_and_storable_text_is_bounded(self):
        assert v.vndata_plan_string(12, {}) == "12"
        assert _refused(v.vndata_plan_string, float("nan"))
        assert _refused(v.vndata_plan_string, "a\x00b")
        assert str(v.MAX_TEXT_LENGTH) in _refused(
            v.vndata_plan_string, "a" * (v.MAX_TEXT_LENGTH + 1)
        )

    def test_text_is_trimmed_of_spaces_and_zero_width_marks_and_normalised(self):
        decomposed = "Đa\u0300 Na\u0306\u0303ng"

        assert v.vndata_plan_text(f" \u200b{decomposed}\ufeff ", {}) == "Đà Nẵng"
        assert v.vndata_plan_text(" \u200b ", {}) is None

    def test_a_list_from_commas_or_json_is_stored_as_json(self):
        assert json.loads(v.vndata_plan_text_list("CSV, API,,", {})) == [
            "CSV",
            "API",
        ]
        assert json.loads(v.vndata_plan_text_list('["Sở A", " "]', {})) == ["Sở A"]
        assert v.vndata_plan_text_list(" , ", {}) is None
        assert _refused(v.vndata_plan_text_list, '["a"')
        assert _refused(v.vndata_plan_text_list, "[" * 5000)  # too deep for json
        assert _refused(v.vndata_plan_text_list, ["a"] * (v.MAX_LIST_LENGTH + 1))


class TestNumbersAndDates:
    def test_dates_in_both_spellings_within_the_bounds(self):
        assert v.vndata_plan_date("08/09/2023", {}) == datetime.date(2023, 9, 8)
        assert v.vndata_plan_date("2023-09-08", {}) == datetime.date(2023, 9, 8)
        assert v.vndata_plan_date("", {}) is None
        assert _refused(v.vndata_plan_date, "31/12/9999")
        assert _refused(v.vndata_plan_date, 20230908)

    def test_whole_numbers_from_text_floats_and_ints(self):
        whole = v.vndata_plan_int(1, 10)

        assert [whole(x, {}) for x in ("3", " 4 ", 5.0, 6)] == [3, 4, 5, 6]
        for value in (True, "1e1", 2.5, 11, 0):
            assert _refused(whole, value)

    def test_levels_take_a_decimal_comma_and_stay_in_their_range(self):
        assert v.vndata_plan_percent("50,5", {}) == 50.5
        assert v.vndata_plan_stars("3", {}) == 3
        assert v.vndata_plan_count(7.0, {}) == 7
        assert _refused(v.vndata_plan_percent, 100.5)
        assert _refused(v.vndata_plan_stars, 2.5)
        assert _refused(v.vndata_plan_count, v.MAX_COUNT + 1)

    def test_years_and_the_review_interval_follow_the_law(self):
        assert v.vndata_plan_year("2025", {}) == 2025
        assert _refused(v.vndata_plan_year, 1999)
        assert v.vndata_plan_review_interval("6", {}) == 6
        assert "6" in _refused(v.vndata_plan_review_interval, 7)

    def test_a_yes_or_no_is_never_guessed(self):
        assert v.vndata_plan_bool("Yes", {}) is True
        assert v.vndata_plan_bool(0, {}) is False
        assert v.vndata_plan_bool(None, {}) is False
        assert _refused(v.vndata_plan_bool, "maybe")
        assert _refused(v.vndata_plan_bool, 2)


class TestCodes:
    def test_codes_of_the_vocabularies_and_the_priorities(self):
        assert v.vndata_plan_sector("giao-duc-dao-tao", {}) == "giao-duc-dao-tao"
        assert v.vndata_plan_frequency("hang_nam", {}) == "hang_nam"
        assert v.vndata_plan_priority("cao", {}) == "cao"
        assert "giao-duc-dao-tao" in _refused(v.vndata_plan_sector, "giao duc")
        assert "cao" in _refused(v.vndata_plan_priority, ["cao"])

    def test_only_other_data_may_be_on_the_list(self):
        assert v.vndata_plan_importance_class("", {}) == "khac"
        assert "13" in _refused(v.vndata_plan_importance_class, "quan_trong")


class TestWholeRecord:
    def test_an_end_before_the_start_is_an_error_of_the_end(self):
        check = v.vndata_plan_date_order("start_date", "end_date")
        errors: dict = {}
        data = {
            ("start_date",): datetime.date(2025, 6, 1),
            ("end_date",): datetime.date(2025, 1, 1),
        }

        check(("__after",), data, errors, {})

        assert list(errors) == [("end_date",)]

    def test_values_of_other_types_are_left_to_their_own_validators(self):
        check = v.vndata_plan_date_order("period_start", "period_end")
        errors: dict = {}

        check(("__after",), {("period_start",): 2026, ("period_end",): "x"}, errors, {})

        assert errors == {}

    def test_each_unknown_field_is_an_error_of_its_own(self):
        errors: dict = {}
        data = {("__extras",): {"status": "published", "x": 1}}

        v.vndata_plan_no_unknown_fields(("__extras",), data, errors, {})

        assert set(errors) == {("status",), ("x",)}
        assert ("__extras",) not in data
