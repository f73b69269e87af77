"""Small facts about CKAN's validation (navl) that every plugin's validators need."""

from __future__ import annotations

from typing import Any, Mapping

import ckan.plugins.toolkit as tk


def is_empty(value: Any) -> bool:
    """Whether a form or an API client left the field blank: absent, null or ""."""
    return value is tk.missing or value is None or value == ""


def require_one_of(data_dict: Mapping[str, Any], key: str, *others: str) -> None:
    """A validation error naming ``key`` unless ``key`` or one of ``others`` is given.

    ckanext-harvest's actions read their keys with data_dict[key]: without this check
    a missing key is a KeyError, a 500."""
    if not any(data_dict.get(k) for k in (key, *others)):
        raise tk.ValidationError({key: [tk._("{key}: missing value.").format(key=key)]})
