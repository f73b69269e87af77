"""Records held back: quarantined at import with their reason, shown on the job and
in the overview, and read again on the next harvest."""

from __future__ import annotations

import json

import ckan.plugins.toolkit as tk

from ckanext.vndata.dcat.parse import REJECTION_KEY

QUARANTINE = "vndata_quarantine"


class Quarantined(Exception):
    """The record is held back; the reason is shown on the job and in the overview."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def rejection(harvest_object) -> str | None:
    """Why the parser rejected the record (rdf_reading.py, dcat/parse.py), if it did."""
    try:
        record = json.loads(harvest_object.content or "{}")
    except ValueError:
        return None  # the parent's import reports unreadable content
    reasons = record.get(REJECTION_KEY) if isinstance(record, dict) else None
    if not reasons:
        return None
    return tk._("The record is held back: {reasons}").format(
        reasons="; ".join(str(r) for r in reasons)
    )
