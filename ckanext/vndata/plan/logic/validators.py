"""Validators of the plan schemas (messages in the user's language)."""

from __future__ import annotations

import datetime
import json
import math
import re
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Context, FlattenDataDict, FlattenErrorDict, FlattenKey

from ckanext.vndata.lib import text, vocabularies
from ckanext.vndata.lib.dates import parse_date
from ckanext.vndata.lib.navl import is_empty
from ckanext.vndata.lib.text import can_store
from ckanext.vndata.plan.fields import PRIORITY_CODES

# The dataset schema's plan_item field has a module of its own (it reads the links).
from ckanext.vndata.plan.logic.link_validators import vndata_plan_item_reference

__all__ = [
    "vndata_plan_string",
    "vndata_plan_date",
    "vndata_plan_bool",
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
    "vndata_plan_item_reference",
]

MAX_REVIEW_INTERVAL_MONTHS = 6
# A PostgreSQL integer column holds up to 2**31 - 1; the domain bounds are far lower.
MAX_NUMBER = 100_000
MAX_COUNT = 1_000_000
MAX_TEXT_LENGTH = 20_000
MAX_LIST_LENGTH = 100
# Dates beyond these are typing mistakes, and 31/12/9999 plus a review interval
# overflows Python's dates.
FIRST_YEAR, LAST_YEAR = 1900, 2200
_TRUE = ("true", "yes", "on", "1", "t", "y")
_FALSE = ("false", "no", "off", "0", "f", "n")
_WHOLE = re.compile(r"^[+-]?[0-9]{1,15}$")
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"


def vndata_plan_string(value: Any, context: Context) -> Any:
    """Storable text of bounded length (a spreadsheet's number cell counts as text)."""
    if is_empty(value):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if not math.isfinite(value):
            raise tk.Invalid(tk._("Text is expected."))
        value = str(value)
    if not isinstance(value, str):
        raise tk.Invalid(tk._("Text is expected."))
    if not can_store(value):
        raise tk.Invalid(tk._("The text contains characters that cannot be stored."))
    if len(value) > MAX_TEXT_LENGTH:
        raise tk.Invalid(
            tk._("The text is too long: at most {max} characters.").format(
                max=MAX_TEXT_LENGTH
            )
        )
    return value


def vndata_plan_date(value: Any, context: Context) -> Any:
    """A date (dd/mm/yyyy or ISO), as a date object."""
    if is_empty(value):
        return None if value == "" else value
    if not isinstance(value, (str, datetime.date)):
        raise tk.Invalid(tk._("A date is expected: use dd/mm/yyyy or yyyy-mm-dd."))
    if isinstance(value, str):
        value = vndata_plan_string(value, context)
    date = parse_date(value)
    if not FIRST_YEAR <= date.year <= LAST_YEAR:
        raise tk.Invalid(
            tk._("A date between {first} and {last} is expected.").format(
                first=FIRST_YEAR, last=LAST_YEAR
            )
        )
    return date


def _whole(value: Any) -> int:
    """A whole number from an int, an integral finite float or decimal text."""
    if isinstance(value, bool):
        raise tk.Invalid(tk._("A whole number is expected."))
    if isinstance(value, int):
        return value
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    if isinstance(value, str) and _WHOLE.match(value.strip()):
        return int(value.strip())
    raise tk.Invalid(tk._("A whole number is expected."))


def vndata_plan_int(low: int, high: int):
    """A whole number from ``low`` to ``high`` (empty stays empty)."""

    def whole_number(value: Any, context: Context) -> Any:
        if value is tk.missing or value is None:
            return value
        number = _whole(value)
        if not low <= number <= high:
            raise tk.Invalid(
                tk._("A whole number from {low} to {high} is expected.").format(
                    low=low, high=high
                )
            )
        return number

    return whole_number


def vndata_plan_year(value: Any, context: Context) -> Any:
    if value is tk.missing or value is None:
        return None
    if not 2000 <= _whole(value) <= 2100:
        raise tk.Invalid(tk._("A year between 2000 and 2100 is expected."))
    return _whole(value)


def vndata_plan_review_interval(value: Any, context: Context) -> Any:
    """The list is reviewed at least every 6 months (Decree 47/2020 Art. 20(3))."""
    months = _whole(value)
    if not 1 <= months <= MAX_REVIEW_INTERVAL_MONTHS:
        raise tk.Invalid(
            tk._(
                "The open-data list must be reviewed at least every 6 months: give 1 "
                "to 6 months."
            )
        )
    return months


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise tk.Invalid(tk._("A number is expected."))
    try:
        number = float(str(value).replace(",", ".")[:50])
    except (ValueError, OverflowError):
        raise tk.Invalid(tk._("A number is expected."))
    if not math.isfinite(number):
        raise tk.Invalid(tk._("A number is expected."))
    return number


def vndata_plan_percent(value: Any, context: Context) -> Any:
    if is_empty(value):
        return None
    number = _number(value)
    if not 0 <= number <= 100:
        raise tk.Invalid(tk._("A percentage between 0 and 100 is expected."))
    return number


def vndata_plan_stars(value: Any, context: Context) -> Any:
    if is_empty(value):
        return None
    stars = _number(value)
    if stars not in {0, 1, 2, 3, 4, 5}:
        raise tk.Invalid(tk._("Openness stars are a whole number from 0 to 5."))
    return int(stars)


def vndata_plan_count(value: Any, context: Context) -> Any:
    if is_empty(value):
        return None
    count = _number(value)
    if not 0 <= count <= MAX_COUNT or count != int(count):
        raise tk.Invalid(
            tk._("A whole number from 0 to {max} is expected.").format(max=MAX_COUNT)
        )
    return int(count)


def vndata_plan_bool(value: Any, context: Context) -> Any:
    """true or false (also yes/no, 1/0); anything else is refused, not read as false."""
    if value is tk.missing or value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in _TRUE + _FALSE:
        return value.strip().lower() in _TRUE
    raise tk.Invalid(tk._("true or false is expected."))


def _clean(value: str) -> str:
    return text.nfc(value.strip().strip(_ZERO_WIDTH).strip())


def vndata_plan_text(value: Any, context: Context) -> Any:
    if is_empty(value):
        return None
    return _clean(vndata_plan_string(value, context)) or None


def vndata_plan_text_list(value: Any, context: Context) -> Any:
    """A list (or comma-separated text), stored as JSON."""
    if is_empty(value):
        return None
    if isinstance(value, str):
        value = vndata_plan_string(value, context)
        if value.startswith("["):
            try:
                value = json.loads(value)
            except (ValueError, RecursionError):  # "[[[[…": too deep for json
                raise tk.Invalid(tk._("A list of texts is expected."))
        else:
            value = value.split(",")
    if not isinstance(value, list) or len(value) > MAX_LIST_LENGTH:
        raise tk.Invalid(
            tk._("A list of at most {max} texts is expected.").format(
                max=MAX_LIST_LENGTH
            )
        )
    cleaned = [vndata_plan_text(v, context) for v in value]
    cleaned = [v for v in cleaned if v]
    return json.dumps(cleaned, ensure_ascii=False) if cleaned else None


def _choice(vocabulary: str, value: Any) -> Any:
    if is_empty(value):
        return None
    if not can_store(value) or vocabularies.term(vocabulary, str(value)) is None:
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
    if is_empty(value):
        return None
    if not isinstance(value, str) or value not in PRIORITY_CODES:
        raise tk.Invalid(
            tk._("Unknown value {value}; allowed: {allowed}.").format(
                value=value, allowed=", ".join(PRIORITY_CODES)
            )
        )
    return value


def vndata_plan_importance_class(value: Any, context: Context) -> Any:
    """Only 'other data' may be on an open-data list (Law on Data Art. 13(1)(b))."""
    if is_empty(value):
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
    group = context["model"].Group.get(value) if can_store(value) else None
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


def vndata_plan_one_of(allowed: tuple[str, ...]):
    """A validator accepting only one of ``allowed`` (a filter's values)."""

    def one_of(value: Any, context: Context) -> Any:
        if is_empty(value):
            return None
        if not isinstance(value, str) or value not in allowed:
            shown = str(value)[:64] if can_store(str(value)) else "?"
            raise tk.Invalid(
                tk._("Unknown value {value}; allowed: {allowed}.").format(
                    value=shown, allowed=", ".join(allowed)
                )
            )
        return value

    return one_of
