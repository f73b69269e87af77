"""What a form or API client left blank (lib/navl.py)."""

from __future__ import annotations

import pytest

import ckan.plugins.toolkit as tk

from ckanext.vndata.lib.navl import is_empty


@pytest.mark.parametrize("value", [tk.missing, None, ""])
def test_absent_null_and_empty_string_are_blank(value):
    assert is_empty(value)


@pytest.mark.parametrize("value", [" ", "0", 0, False, [], {}, "không"])
def test_anything_given_is_not_blank(value):
    # A space or a zero was typed; an empty list is a value its validator judges.
    assert not is_empty(value)
