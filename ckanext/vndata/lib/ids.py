"""Ids of the rows and records the suite creates."""

from __future__ import annotations

import uuid


def new_id() -> str:
    """A new random id, in the form CKAN gives its own objects (a UUID4 string)."""
    return str(uuid.uuid4())
