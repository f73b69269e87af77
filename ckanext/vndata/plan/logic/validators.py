"""Validators of the plan schemas (messages in the user's language)."""

from __future__ import annotations

import datetime
import json
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Context, FlattenDataDict, FlattenErrorDict, FlattenKey

from ckanext.vndata.metadata import text, vocabularies
from ckanext.vndata.metadata.logic.validators import parse_date

__all__ = [
    "vndata_plan_date",
    "vndata_plan_year",
    "vndata_plan_review_interval",
    "vndata_plan_percent",
    "vndata_plan_stars",
    "vndata_plan_count",
    "vndata_plan_text",
    "vndata_plan_text_list",
    "vndata_plan_sector",
    "vndata_plan_frequency",
    "vndata_plan_source_database_type",
    "vndata_plan_priority",
    "vndata_plan_importance_class",
    "vndata_plan_organization",
    "vndata_plan_date_order",
    "vndata_plan_no_unknown_fields",
]

PRIORITIES = ("cao", "trung_binh", "thap")
MAX_REVIEW_INTERVAL_MONTHS = 6


def _empty(value: Any) -> bool:
    return value is tk.missing or value is None or value == ""


def vndata_plan_date(value: Any, context: Context) -> Any:
    """A date (dd/mm/yyyy or ISO), as a date object."""
    return value if _empty(value) else parse_date(value)


def vndata_plan_year(value: Any, context: Context) -> Any:
    if not 2000 <= int(value) <= 2100:
        raise tk.Invalid(tk._("A year between 2000 and 2100 is expected."))
    return int(value)


def vndata_plan_review_interval(value: Any, context: Context) -> Any:
    """The list is reviewed at least every 6 months (Decree 47/2020 Art. 20(3))."""
    months = int(value)
    if not 1 <= months <= MAX_REVIEW_INTERVAL_MONTHS:
        raise tk.Invalid(
            tk._(
                "The open-data list must be reviewed at least every 6 months: give 1 "
                "to 6 months."
            )
        )
    return months


def _number(value: Any) -> float:
    try:
        return float(str(value).replace(",", "."))
    except ValueError:
        raise tk.Invalid(tk._("A number is expected."))


def vndata_plan_percent(value: Any, context: Context) -> Any:
    if _empty(value):
        return None
    number = _number(value)
    if not 0 <= number <= 100:
        raise tk.Invalid(tk._("A percentage between 0 and 100 is expected."))
    return number


def vndata_plan_stars(value: Any, context: Context) -> Any:
    if _empty(value):
        return None
    stars = _number(value)
    if stars not in {0, 1, 2, 3, 4, 5}:
        raise tk.Invalid(tk._("Openness stars are a whole number from 0 to 5."))
    return int(stars)


def vndata_plan_count(value: Any, context: Context) -> Any:
    if _empty(value):
        return None
    count = _number(value)
    if count < 0 or count != int(count):
        raise tk.Invalid(tk._("A whole number of 0 or more is expected."))
    return int(count)


def vndata_plan_text(value: Any, context: Context) -> Any:
    return text.nfc(str(value).strip()) if not _empty(value) else None


def vndata_plan_text_list(value: Any, context: Context) -> Any:
    """A list (or comma-separated text), stored as JSON."""
    if _empty(value):
        return None
    if isinstance(value, str):
        value = json.loads(value) if value.startswith("[") else value.split(",")
    cleaned = [text.nfc(str(v).strip()) for v in value if str(v).strip()]
    return json.dumps(cleaned, ensure_ascii=False) if cleaned else None


def _choice(vocabulary: str, value: Any) -> Any:
    if _empty(value):
        return None
    if vocabularies.term(vocabulary, str(value)) is None:
        allowed = ", ".join(t.value for t in vocabularies.VOCABULARIES[vocabulary])
        raise tk.Invalid(
            tk._("Unknown value {value}; allowed: {allowed}.").format(
                value=value, allowed=allowed
            )
        )
    return str(value)


def vndata_plan_sector(value: Any, context: Context) -> Any:
    return _choice("sectors", value)


def vndata_plan_frequency(value: Any, context: Context) -> Any:
    return _choice("update_frequency", value)


def vndata_plan_source_database_type(value: Any, context: Context) -> Any:
    return _choice("source_database_type", value)


def vndata_plan_priority(value: Any, context: Context) -> Any:
    if _empty(value):
        return None
    if value not in PRIORITIES:
        raise tk.Invalid(
            tk._("Unknown value {value}; allowed: {allowed}.").format(
                value=value, allowed=", ".join(PRIORITIES)
            )
        )
    return value


def vndata_plan_importance_class(value: Any, context: Context) -> Any:
    """Only 'other data' may be on an open-data list (Law on Data Art. 13(1)(b))."""
    if _empty(value):
        return "khac"
    if value != "khac":
        raise tk.Invalid(
            tk._(
                "Only 'other data' may be on the open-data list: core and important "
                "data may not be published openly (Law on Data 2024, Art. 13(1)(b); "
                "Decision 20/2025/QĐ-TTg)."
            )
        )
    return value


def vndata_plan_organization(value: Any, context: Context) -> Any:
    """An organization id or name, stored as the id."""
    group = context["model"].Group.get(value)
    if group is None or not group.is_organization or group.state != "active":
        raise tk.Invalid(tk._("Organization not found: {value}").format(value=value))
    return group.id


def vndata_plan_date_order(start_key: str, end_key: str):
    """An ``__after`` check that the end date does not come before the start date."""

    def check(
        key: FlattenKey,
        data: FlattenDataDict,
        errors: FlattenErrorDict,
        context: Context,
    ) -> None:
        start, end = data.get((start_key,)), data.get((end_key,))
        if isinstance(start, (datetime.date, int)) and isinstance(end, type(start)):
            if end < start:
                errors.setdefault((end_key,), []).append(
                    tk._("The end must not come before the start.")
                )

    return check


def vndata_plan_no_unknown_fields(
    key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
) -> None:
    """Refuse fields the action does not know (navl gathers them under __extras)."""
    unknown = data.pop(key, None)
    if unknown and unknown is not tk.missing:
        for name in unknown:
            errors.setdefault((name,), []).append(
                tk._("Unknown field {name}.").format(name=name)
            )
