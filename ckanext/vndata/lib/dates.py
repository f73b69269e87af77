"""Dates as Vietnamese data officers and other portals write them."""

from __future__ import annotations

import datetime
import re
from typing import Any

import ckan.plugins.toolkit as tk

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?:$|[T ])")
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")
# Far enough for historical coverage and planned updates; outside it a date is a typo,
# and the last years of the calendar overflow when an update interval is added.
FIRST_YEAR, LAST_YEAR = 1000, 2999


def parse_date(value: Any) -> datetime.date:
    """ISO 8601 (date or date-time) or Vietnamese dd/mm/yyyy, from year 1000 to 2999."""
    parsed = _parse_date(value)
    if not FIRST_YEAR <= parsed.year <= LAST_YEAR:
        raise tk.Invalid(
            tk._(
                "Invalid date {value}: the year must be from {first} to {last}."
            ).format(value=value, first=FIRST_YEAR, last=LAST_YEAR)
        )
    return parsed


def _parse_date(value: Any) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    raw = str(value).strip() if isinstance(value, str) else ""
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(raw, fmt).date()
        except ValueError:
            pass
    try:
        return datetime.datetime.fromisoformat(raw.replace("Z", "+00:00")).date()
    except ValueError:
        raise tk.Invalid(
            tk._("Invalid date {value}: use dd/mm/yyyy or yyyy-mm-dd.").format(
                value=value
            )
        )


def day_month_year(value: Any) -> str:
    """A stored date (yyyy-mm-dd, or the date of an ISO date-time) as dd/mm/yyyy;
    anything else as given, so that a form shows back what was typed."""
    text = "" if value is None else str(value).strip()
    if not ISO_DATE.match(text):
        return text
    year, month, day = text[:10].split("-")
    return f"{day}/{month}/{year}"


def utc_now() -> datetime.datetime:
    """Now in UTC, without a zone: how CKAN's tables store time."""
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
