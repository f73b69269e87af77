"""The shipped, sourced roster of obliged bodies: 34 provinces and the central bodies.

Provinces come from Decision 19/2025 (``lib/admin_units.py``), the central bodies from
``data/central_bodies.csv``, whose header and ``data/SOURCES.md`` say where each part
comes from and how sure it is. The migrations copy this list into ``vndata_plan_body``,
where sysadmins then edit it.
"""

from __future__ import annotations

import csv
import pathlib
from typing import Any

import sqlalchemy as sa

from ckanext.vndata.lib import admin_units
from ckanext.vndata.lib.dates import utc_now
from ckanext.vndata.plan.body_kinds import BodyKind

CENTRAL_BODIES = pathlib.Path(__file__).parent / "data" / "central_bodies.csv"
PROVINCES_SOURCE = "Quyết định 19/2025/QĐ-TTg"

# Level-1 codes of today's provinces that are confirmed (data/SOURCES.md): only Huế's.
# The others are left empty rather than guessed from the pre-2025 alphabetical list.
PROVINCE_AGENCY_CODES = {"46": "H57"}


def _provinces() -> list[dict[str, Any]]:
    return [
        {
            "code": code,  # a province is known by its code of Decision 19/2025
            "kind": BodyKind.PROVINCE.value,
            "title": title,
            "province_code": code,
            "agency_code": PROVINCE_AGENCY_CODES.get(code),
            "merged_into": None,
            "active": True,
            "source": PROVINCES_SOURCE,
        }
        for code, title in admin_units.provinces().items()
    ]


def _central_bodies() -> list[dict[str, Any]]:
    with CENTRAL_BODIES.open(encoding="utf-8", newline="") as f:
        lines = [line for line in f if not line.startswith("#")]
    return [
        {
            "code": row["code"],
            "kind": BodyKind(row["kind"]).value,
            "title": row["title"],
            "province_code": None,
            "agency_code": row["agency_code"] or None,
            "merged_into": row["merged_into"] or None,
            # A body merged into another is kept for history, obliged no more.
            "active": not row["merged_into"],
            "source": row["source"],
        }
        for row in csv.DictReader(lines)
    ]


def shipped_bodies() -> list[dict[str, Any]]:
    """Every body of the shipped roster, as rows of ``vndata_plan_body``."""
    return _provinces() + _central_bodies()


# The table as the seed writes it: its own description (not plan.model.Body), so that
# later changes of the model do not change what the migration that calls it writes.
_BODY_TABLE = sa.table(
    "vndata_plan_body",
    *(
        sa.column(name, type_)
        for name, type_ in (
            ("code", sa.Text),
            ("kind", sa.Text),
            ("title", sa.Text),
            ("province_code", sa.Text),
            ("agency_code", sa.Text),
            ("organizations", sa.JSON),
            ("merged_into", sa.Text),
            ("active", sa.Boolean),
            ("source", sa.Text),
            ("created", sa.DateTime),
            ("modified", sa.DateTime),
        )
    ),
)


def seed(connection: sa.Connection) -> int:
    """Add the shipped bodies the roster lacks (by code); returns how many.

    A body already there is left as it is: a sysadmin's edits are never overwritten.
    """
    existing = set(connection.execute(sa.select(_BODY_TABLE.c.code)).scalars())
    now = utc_now()
    missing = [
        {**body, "organizations": [], "created": now, "modified": now}
        for body in shipped_bodies()
        if body["code"] not in existing
    ]
    if missing:
        connection.execute(sa.insert(_BODY_TABLE), missing)
    return len(missing)
