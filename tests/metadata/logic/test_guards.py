"""What every Vietnamese field is guarded by: booleans and whole
numbers as clients send them (metadata/logic/guards.py)."""

from __future__ import annotations

import pytest

import ckan.plugins.toolkit as tk

from ckanext.vndata.metadata.logic import guards


@pytest.mark.parametrize(
    ("value", "meant"),
    [
        (True, True),
        ("Yes", True),
        (" on ", True),
        (1, True),
        (False, False),
        ("0", False),
        ("", False),
        (None, False),
        (tk.missing, False),
        ("có", None),
        (2, None),
        ([], None),
    ],
)
def test_parse_bool_reads_what_a_client_means(value, meant):
    assert guards.parse_bool(value) is meant


class TestInteger:
    def _run(self, value, low=0, high=10):
        key = ("size",)
        data, errors = {key: value}, {key: []}
        try:
            guards.vndata_integer(low, high)(key, data, errors, {})
        except tk.StopOnError:
            pass
        return data[key], errors[key]

    @pytest.mark.parametrize(("value", "number"), [("7", 7), (3, 3), (10.0, 10)])
    def test_a_whole_number_in_range_is_stored_as_an_int(self, value, number):
        assert self._run(value) == (number, [])

    def test_an_empty_field_is_no_value(self):
        assert self._run("  ") == (None, [])

    @pytest.mark.parametrize("value", ["7.5", "bảy", True, 11, -1, "1e3"])
    def test_anything_else_is_refused(self, value):
        _value, errors = self._run(value)

        assert errors

    def test_max_is_what_a_bigint_holds(self):
        assert self._run(str(guards.BIGINT_MAX), high="max") == (guards.BIGINT_MAX, [])
        assert self._run(str(guards.BIGINT_MAX + 1), high="max")[1]


def test_empty_as_none():
    assert guards.vndata_empty_as_none("", {}) is None
    assert guards.vndata_empty_as_none("x", {}) == "x"
    assert guards.vndata_empty_as_none(0, {}) == 0
