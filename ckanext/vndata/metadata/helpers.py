"""Template helpers of vndata_metadata."""

from __future__ import annotations

import ckan.plugins.toolkit as tk


def _portal_level_labels() -> dict[str, str]:
    return {
        "national": tk._("National open-data portal"),
        "province": tk._("Provincial open-data portal"),
        "ministry": tk._("Ministry open-data portal"),
    }


def vndata_portal_level() -> str:
    """Which kind of portal this instance is: national, province or ministry."""
    return tk.config.get("ckanext.vndata.portal_level")


def vndata_portal_level_label() -> str:
    """The kind of portal, as a label in the user's language."""
    return _portal_level_labels()[vndata_portal_level()]


def vndata_portal_province_code() -> str | None:
    """The province (Decision 19/2025 code) a provincial portal belongs to, if any."""
    return tk.config.get("ckanext.vndata.portal_province_code") or None
