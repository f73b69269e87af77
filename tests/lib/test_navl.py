"""What a form or API client left blank (lib/navl.py)."""

from __future__ import annotations

import pytest

import ckan.plugins.toolkit as tk

from ckanext.vndata.lib.navl import is_empty, require_one_of


@pytest.mark.parametrize("value", [tk.missing, None, ""])
def test_absent_null_and_empty_string_are_blank(value):
    assert is_empty(value)


@pytest.mark.parametrize("value", [" ", "0", 0, False, [], {}, "không"])
def test_anything_given_is_not_blank(value):
    # A space or a zero was typed; an empty list is a value its validator judges.
    assert not is_empty(value)


def test_a_missing_key_is_a_validation_error_naming_it():
    with pytest.raises(tk.ValidationError) as raised:
        require_one_of({"source_id": ""}, "id", "source_id")
    assert list(raised.value.error_dict) == ["id"]


def test_one_of_the_keys_given_is_enough():
    require_one_of({"source_id": "x"}, "id", "source_id")
