"""Rows read from a plan workbook, converted and checked with the plan actions' own
schemas, so a file is held to exactly the rules of the forms and the API."""

from __future__ import annotations

import datetime
import math
from typing import Any

import sqlalchemy as sa

import ckan.plugins.toolkit as tk

from ckanext.vndata.lib import text
from ckanext.vndata.plan import spreadsheet
from ckanext.vndata.plan.excel import columns
from ckanext.vndata.plan.excel.workbook import Problem, Workbook
from ckanext.vndata.plan.logic import schema
from ckanext.vndata.plan.model import Item, Phase, Plan

INT_MIN, INT_MAX = -(2**31), 2**31 - 1  # a PostgreSQL integer column


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
    if any(isinstance(v, str) and spreadsheet.NOT_XML.search(v) for v in values):
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


def _general(book: Workbook, rows: columns.Rows) -> None:
    by_header = {text.fold(h): f for f, h in columns.GENERAL_FIELDS}
    headers = dict(columns.GENERAL_FIELDS)
    data: dict[str, Any] = {"organization_id": "-"}
    for number, row in rows:
        key = by_header.get(text.fold(str(row["key"] or "")))
        if key is None:
            message = tk._("Unknown entry {entry}.").format(entry=row["key"])
            entry = columns.GENERAL_HEADERS[0]
            book.problems.append(Problem(columns.GENERAL, number, entry, message))
        elif row["value"] is not None:
            data[key] = _plain(row["value"])
    if len(data) == 1:  # no value at all: the sheet left blank changes nothing
        return
    check = schema.vndata_plan_create()
    check["organization_id"] = [tk.get_validator("ignore")]
    clean = _check(book, columns.GENERAL, 1, data, check, headers, Plan.__table__)
    if clean:
        book.general = {k: v for k, v in clean.items() if k in headers}


def _coded(book, sheet: str, number: int, row: dict, key: str, kind: str) -> None:
    if row.get(key) is None:
        return
    code = columns.code_of(kind, str(row[key]))
    if code is None:
        header = dict(columns.ITEM_COLUMNS)[key]
        message = tk._("Unknown value {value}. Choose one of: {allowed}.").format(
            value=row[key], allowed=columns.allowed(kind)
        )
        book.problems.append(Problem(sheet, number, header, message))
    row[key] = code


def _phases(book: Workbook, rows: columns.Rows) -> None:
    headers = dict(columns.PHASE_COLUMNS)
    seen: set[str] = set()
    for number, row in rows:
        data = {k: _plain(v) for k, v in row.items() if v is not None}
        phase_id = data.pop(columns.PHASE_KEY[0], None)
        data["plan_id"] = "-"
        if data.get("label") is not None and data["label"] in seen:
            message = tk._("The phase {label} appears twice.")
            where = (columns.PHASES, number, headers["label"])
            book.problems.append(Problem(*where, message.format(label=data["label"])))
        seen.add(data.get("label"))
        clean = _check(
            book, columns.PHASES, number, data, schema.vndata_plan_phase_create(),
            headers, Phase.__table__,
        )  # fmt: skip
        if clean:
            clean.pop("plan_id", None)
            clean["position"] = len(book.phases)
            if phase_id:
                clean[columns.PHASE_KEY[0]] = str(phase_id)
            book.phases.append(clean)
            book.rows[("phase", clean["label"])] = number


def _items(book: Workbook, rows: columns.Rows, known_phases=()) -> None:
    headers = dict(columns.ITEM_COLUMNS)
    phase_labels = {p["label"] for p in book.phases} | set(known_phases)
    numbers: set[int] = set()
    for number, row in rows:
        row = {k: _plain(v) for k, v in row.items()}
        key = row.pop(columns.ITEM_KEY[0], None)
        for field, kind in columns.CODED:
            _coded(book, columns.ITEMS, number, row, field, kind)
        phase = row.pop("phase", None)
        if phase is not None and phase not in phase_labels:
            message = tk._("No phase {label} on the sheet “{sheet}”.").format(
                label=phase, sheet=columns.PHASES
            )
            book.problems.append(
                Problem(columns.ITEMS, number, headers["phase"], message)
            )
        if row.get("formats") is not None and not isinstance(row["formats"], str):
            row["formats"] = str(row["formats"])  # a number or a date typed there
        if isinstance(row.get("formats"), str):
            row["formats"] = [f.strip() for f in row["formats"].split(",") if f.strip()]
        data = {k: v for k, v in row.items() if v not in (None, [])}
        data["plan_id"] = "-"
        clean = _check(
            book, columns.ITEMS, number, data, schema.vndata_plan_item_create(),
            headers, Item.__table__,
        )  # fmt: skip
        if clean is None:
            continue
        clean.setdefault("number", len(book.items) + 1)
        if clean["number"] in numbers:
            message = tk._("The number {number} appears twice.")
            where = (columns.ITEMS, number, headers["number"])
            book.problems.append(
                Problem(*where, message.format(number=clean["number"]))
            )
        numbers.add(clean["number"])
        clean.pop("plan_id", None)
        clean["phase"] = phase
        if key:
            clean[columns.ITEM_KEY[0]] = str(key)
        book.items.append(clean)
        book.rows[("item", clean["number"])] = number


def convert(
    general: columns.Rows, items: columns.Rows, phases: columns.Rows, known_phases=()
) -> Workbook:
    """The three sheets' rows; the list may name ``known_phases`` (the plan's) besides
    the phases of its own sheet."""
    book = Workbook()
    _general(book, general)
    _phases(book, phases)
    _items(book, items, known_phases)
    return book


def convert_list(items: columns.Rows, phases: columns.Rows) -> Workbook:
    """The list and the phases only (the list editor of the plan page)."""
    book = Workbook()
    _phases(book, phases)
    _items(book, items)
    return book
