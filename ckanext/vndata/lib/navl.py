"""Small facts about CKAN's validation (navl) that every plugin's validators need."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk


def is_empty(value: Any) -> bool:
    """Whether a form or an API client left the field blank: absent, null or ""."""
    return value is tk.missing or value is None or value == ""
