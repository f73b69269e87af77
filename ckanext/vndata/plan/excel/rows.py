"""Rows read from a plan workbook, converted and checked with the plan actions' own
schemas, so a file is held to exactly the rules of the forms and the API."""

from __future__ import annotations

import datetime
import math
import re
from typing import Any

import sqlalchemy as sa

import ckan.plugins.toolkit as tk

from ckanext.vndata.metadata import text
from ckanext.vndata.plan.excel.columns import (
    GENERAL,
    GENERAL_FIELDS,
    GENERAL_HEADERS,
    ITEM_COLUMNS,
    ITEMS,
    PHASE_COLUMNS,
    PHASES,
    Rows,
    code_of,
)
from ckanext.vndata.plan.excel.workbook import Problem, Workbook
from ckanext.vndata.plan.logic import schema
from ckanext.vndata.plan.model import Item, Phase, Plan

INT_MIN, INT_MAX = -(2**31), 2**31 - 1  # a PostgreSQL integer column
# NUL, which PostgreSQL refuses in text, and the other characters XML 1.0 cannot
# carry (openpyxl would refuse to write them: the plan could no longer be downloaded).
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _as_number(value: Any) -> int | float | None:
    """The number a cell holds or spells (None if it is not one: the validators say
    so in their own words)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str):
        try:
            return float(value.strip().replace(",", "."))
        except ValueError:
            return None
    return None


def _unstorable(value: Any, column: sa.Column) -> str | None:
    """Why the table could not hold ``value`` (None if it can).

    Checked before the validators, which belong to the plan actions: an infinite,
    not-a-number or huge value makes them (or the INSERT at the commit) fail instead of
    refusing it, which was a 500 and left the session unusable."""
    if isinstance(column.type, (sa.Integer, sa.Float)):
        number = _as_number(value)
        if number is None:
            return None
        if isinstance(number, float) and not math.isfinite(number):
            return tk._("A number is expected.")
        if isinstance(column.type, sa.Integer) and not INT_MIN <= number <= INT_MAX:
            return tk._("The number is out of range: from {min} to {max}.").format(
                min=INT_MIN, max=INT_MAX
            )
        return None
    values = value if isinstance(value, list) else [value]
    if any(isinstance(v, str) and CONTROL.search(v) for v in values):
        return tk._("Control characters (such as NUL) are not allowed.")
    return None


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _check(
    book: Workbook,
    sheet: str,
    row: int,
    data: dict,
    action_schema,
    headers,
    table: sa.Table,
) -> dict[str, Any] | None:
    refused = {}
    for key, value in list(data.items()):
        column = table.columns.get(key)
        reason = _unstorable(value, column) if column is not None else None
        if reason:
            refused[key] = [reason]
            del data[key]
    clean, errors = tk.navl_validate(data, action_schema, {})
    errors = {**errors, **refused}
    for key, messages in errors.items():
        for message in messages:
            book.problems.append(
                Problem(sheet, row, headers.get(key, key), str(message))
            )
    return None if errors else clean


def _general(book: Workbook, rows: Rows) -> None:
    by_header = {text.fold(h): f for f, h in GENERAL_FIELDS}
    headers = dict(GENERAL_FIELDS)
    data: dict[str, Any] = {"organization_id": "-"}
    for number, row in rows:
        key = by_header.get(text.fold(str(row["key"] or "")))
        if key is None:
            message = tk._("Unknown entry {entry}.").format(entry=row["key"])
            book.problems.append(Problem(GENERAL, number, GENERAL_HEADERS[0], message))
        elif row["value"] is not None:
            data[key] = _plain(row["value"])
    check = schema.vndata_plan_create()
    check["organization_id"] = [tk.get_validator("ignore")]
    clean = _check(book, GENERAL, 1, data, check, headers, Plan.__table__)
    if clean:
        book.general = {k: v for k, v in clean.items() if k in headers}


def _coded(book, sheet: str, number: int, row: dict, key: str, kind: str) -> None:
    if row.get(key) is None:
        return
    code = code_of(kind, str(row[key]))
    if code is None:
        header = dict(ITEM_COLUMNS)[key]
        book.problems.append(
            Problem(
                sheet, number, header, tk._("Unknown value {value}.").format(
                    value=row[key]
                )
            )
        )  # fmt: skip
    row[key] = code


def _phases(book: Workbook, rows: Rows) -> None:
    headers = dict(PHASE_COLUMNS)
    seen: set[str] = set()
    for number, row in rows:
        data = {k: _plain(v) for k, v in row.items() if v is not None}
        data["plan_id"] = "-"
        if data.get("label") is not None and data["label"] in seen:
            book.problems.append(
                Problem(
                    PHASES, number, headers["label"],
                    tk._("The phase {label} appears twice.").format(
                        label=data["label"]
                    ),
                )
            )  # fmt: skip
        seen.add(data.get("label"))
        clean = _check(
            book, PHASES, number, data, schema.vndata_plan_phase_create(),
            headers, Phase.__table__,
        )  # fmt: skip
        if clean:
            clean.pop("plan_id", None)
            clean["position"] = len(book.phases)
            book.phases.append(clean)
            book.rows[("phase", clean["label"])] = number


def _items(book: Workbook, rows: Rows) -> None:
    headers = dict(ITEM_COLUMNS)
    phase_labels = {p["label"] for p in book.phases}
    numbers: set[int] = set()
    for number, row in rows:
        row = {k: _plain(v) for k, v in row.items()}
        _coded(book, ITEMS, number, row, "sector", "sectors")
        _coded(book, ITEMS, number, row, "update_frequency", "update_frequency")
        _coded(book, ITEMS, number, row, "priority", "priority")
        phase = row.pop("phase", None)
        if phase is not None and phase not in phase_labels:
            book.problems.append(
                Problem(
                    ITEMS, number, headers["phase"],
                    tk._("No phase {label} on the sheet “{sheet}”.").format(
                        label=phase, sheet=PHASES
                    ),
                )
            )  # fmt: skip
        if row.get("formats") is not None and not isinstance(row["formats"], str):
            row["formats"] = str(row["formats"])  # a number or a date typed there
        if isinstance(row.get("formats"), str):
            row["formats"] = [f.strip() for f in row["formats"].split(",") if f.strip()]
        data = {k: v for k, v in row.items() if v not in (None, [])}
        data["plan_id"] = "-"
        clean = _check(
            book, ITEMS, number, data, schema.vndata_plan_item_create(),
            headers, Item.__table__,
        )  # fmt: skip
        if clean is None:
            continue
        clean.setdefault("number", len(book.items) + 1)
        if clean["number"] in numbers:
            book.problems.append(
                Problem(
                    ITEMS, number, headers["number"],
                    tk._("The number {number} appears twice.").format(
                        number=clean["number"]
                    ),
                )
            )  # fmt: skip
        numbers.add(clean["number"])
        clean.pop("plan_id", None)
        clean["phase"] = phase
        book.items.append(clean)
        book.rows[("item", clean["number"])] = number


def convert(general: Rows, items: Rows, phases: Rows) -> Workbook:
    book = Workbook()
    _general(book, general)
    _phases(book, phases)
    _items(book, items)
    return book


def convert_list(items: Rows, phases: Rows) -> Workbook:
    """The list and the phases only (the list editor of the plan page)."""
    book = Workbook()
    _phases(book, phases)
    _items(book, items)
    return book
