"""The sheets of a plan workbook, their columns and the code lists of its drop-downs.

The columns come from the field registry (plan/fields.py): a field with an Excel header
is a column, in the registry's order.
"""

from __future__ import annotations

import re
from typing import Any

from ckanext.vndata.lib import text, vocabularies
from ckanext.vndata.plan import fields

# (row number, {field: value}) of a sheet's non-empty rows.
Rows = list[tuple[int, dict[str, Any]]]

GENERAL = "Thông tin chung"
ITEMS = "Danh mục và kế hoạch"
PHASES = "Mức tối thiểu"
CODES = "Mã"
# The general sheet is a list of entries: one row per field, its header then its value.
GENERAL_HEADERS = ("Mục", "Nội dung")


def _columns(part: tuple[fields.Field, ...]) -> tuple[tuple[str, str], ...]:
    # The list names an item's phase by its label (column "phase"), not by its id.
    return tuple(
        ("phase" if f.key == "phase_id" else f.key, f.header) for f in part if f.header
    )


# (field, header); the order is the column order.
GENERAL_FIELDS = _columns(fields.PLAN)
ITEM_COLUMNS = _columns(fields.ITEM)
PHASE_COLUMNS = _columns(fields.PHASE)
# The hidden last column of the list and of the phases sheet (see fields.ITEM_KEY).
# Optional on upload: a blank template's rows and a row typed below are new.
ITEM_KEY = (fields.ITEM_KEY.key, fields.ITEM_KEY.header)
PHASE_KEY = (fields.PHASE_KEY.key, fields.PHASE_KEY.header)
# The code list behind each drop-down column of the list: (item field, code list).
CODED = (
    ("sector", "sectors"),
    ("update_frequency", "update_frequency"),
    ("priority", "priority"),
)


def _kinds(part: tuple[fields.Field, ...], kinds: tuple[str, ...]) -> frozenset[str]:
    return frozenset(
        "phase" if f.key == "phase_id" else f.key for f in part if f.kind in kinds
    )


# Fields a row must have, and fields that hold a date, by part.
REQUIRED = {
    "plan": _kinds(fields.PLAN, fields.REQUIRED_KINDS),
    "item": _kinds(fields.ITEM, fields.REQUIRED_KINDS),
    "phase": _kinds(fields.PHASE, fields.REQUIRED_KINDS),
}
DATES = _kinds((*fields.PLAN, *fields.ITEM, *fields.PHASE), fields.DATE_KINDS)


def choices(kind: str) -> list[tuple[str, str]]:
    """(code, Vietnamese label) of a code list: a vocabulary, or "priority"."""
    if kind == "priority":
        return [(choice.code, choice.vi) for choice in fields.PRIORITIES]
    return [(t.value, t.vi) for t in vocabularies.VOCABULARIES[kind]]


def allowed(kind: str) -> str:
    """The labels a code list allows, as an error message lists them."""
    return "; ".join(label for _, label in choices(kind))


def label_of(kind: str, code: str | None) -> str | None:
    return dict(choices(kind)).get(code, code) if code else None


def _key(value: str) -> str:
    """Accents, case and punctuation aside: "Giáo dục, đào tạo" is a label typed."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.fold(value)).split())


def code_of(kind: str, value: str) -> str | None:
    wanted = _key(value)
    for code, label in choices(kind):
        if wanted in (_key(code), _key(label)):
            return code
    return None
