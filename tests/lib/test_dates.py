"""Dates as data officers and other portals write them (lib/dates.py)."""

from __future__ import annotations

import datetime

import pytest

import ckan.plugins.toolkit as tk

from ckanext.vndata.lib import dates


@pytest.mark.parametrize(
    "given",
    [
        "2025-07-01",
        "01/07/2025",
        "01-07-2025",
        "01.07.2025",
        " 2025-07-01 ",
        "2025-07-01T08:30:00Z",
        "2025-07-01T08:30:00+07:00",
        datetime.date(2025, 7, 1),
        datetime.datetime(2025, 7, 1, 23, 59),
    ],
)
def test_a_date_is_read_in_every_form_officers_and_portals_use(given):
    assert dates.parse_date(given) == datetime.date(2025, 7, 1)


def test_day_first_is_the_vietnamese_order():
    assert dates.parse_date("02/03/2025") == datetime.date(2025, 3, 2)


@pytest.mark.usefixtures("with_request_context")
@pytest.mark.parametrize("given", ["", "31/02/2025", "hôm qua", None, 20250701, []])
def test_what_is_not_a_date_is_refused_with_the_forms_to_use(given):
    with pytest.raises(tk.Invalid, match="dd/mm/yyyy"):
        dates.parse_date(given)


@pytest.mark.usefixtures("with_request_context")
@pytest.mark.parametrize("given", ["0999-12-31", "3000-01-01"])
def test_a_year_outside_the_calendar_of_the_data_is_refused(given):
    with pytest.raises(tk.Invalid, match="1000"):
        dates.parse_date(given)


def test_utc_now_is_naive_utc_like_ckans_tables():
    now = dates.utc_now()
    assert now.tzinfo is None
    utc = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
    assert abs((utc - now).total_seconds()) < 5


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("2026-03-05", "05/03/2026"),
        ("2026-03-05T08:00:00", "05/03/2026"),
        ("2026-03-05 08:00", "05/03/2026"),
        ("31/02/2026", "31/02/2026"),  # a typing error is shown back as typed
        ("2026-03-051", "2026-03-051"),
        ("", ""),
        (None, ""),
    ],
)
def test_a_stored_date_is_shown_day_month_year_and_other_text_as_given(stored, shown):
    assert dates.day_month_year(stored) == shown
