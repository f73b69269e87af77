"""The sheets of an uploaded plan workbook, read cell by cell into rows."""

from __future__ import annotations

import io
from typing import Any

import openpyxl

import ckan.plugins.toolkit as tk

from ckanext.vndata.lib import text
from ckanext.vndata.plan.excel import columns
from ckanext.vndata.plan.excel import rows as converted
from ckanext.vndata.plan.excel.guard import Refused, check
from ckanext.vndata.plan.excel.workbook import Problem, Workbook


def _value(cell) -> Any:
    value = cell.value
    if isinstance(value, str):
        value = text.nfc(value.strip())
        return value or None
    return value


def _cell_problem(cell) -> str | None:
    """Why a cell's value is not taken (None if it is).

    A formula is never evaluated nor taken as its text: the file is a list of values,
    and a formula's cached result may not match what it says. Our own downloads write
    text that starts with "=" as text, so they come back as it (see spreadsheet.py)."""
    if cell.data_type == "f":
        return tk._("The cell holds a formula; type or paste its value instead.")
    if cell.data_type == "e":
        message = tk._("The cell holds an error ({value}); type its value instead.")
        return message.format(value=cell.value)
    return None


def _rows(
    book, name: str, wanted, problems: list[Problem], optional=()
) -> columns.Rows:
    """(row number, {field: value}) of a sheet's non-empty rows; each formula or error
    cell in a column read is added to ``problems``. The ``optional`` columns (the key
    column, which a blank template lacks) are read where the sheet has them."""
    if name not in book.sheetnames:
        raise Refused(tk._("The sheet “{sheet}” is missing.").format(sheet=name))
    sheet = book[name]
    headers = [text.fold(str(c.value or "")) for c in next(sheet.iter_rows(max_row=1))]
    positions = {}
    for key, header in (*wanted, *optional):
        if text.fold(header) in headers:
            positions[key] = headers.index(text.fold(header))
        elif (key, header) not in optional:
            raise Refused(
                tk._("The sheet “{sheet}” has no column “{column}”.").format(
                    sheet=name, column=header
                )
            )
    titles = dict((*wanted, *optional))
    rows = []
    # The guard (guard.check) has bounded the rows and columns already.
    for number, row in enumerate(sheet.iter_rows(min_row=2), start=2):
        values: dict[str, Any] = {}
        for key, pos in positions.items():
            cell = row[pos] if pos < len(row) else None
            reason = _cell_problem(cell) if cell is not None else None
            if reason:
                problems.append(Problem(name, number, titles[key], reason))
            values[key] = _value(cell) if cell is not None and not reason else None
        # A key alone (its row's values deleted but not the hidden key) is no row.
        if any(v is not None for k, v in values.items() if k not in dict(optional)):
            rows.append((number, values))
    return rows


def read_workbook(
    data: bytes, filename: str | None = None, known_phases=()
) -> Workbook:
    """The workbook's three parts, converted; each bad cell becomes a Problem. The list
    may name the phases of its own sheet and ``known_phases`` (the plan's labels).

    :raises Refused: the file is not a plain workbook within the limits (see
        excel/guard.py), or lacks a sheet or a column."""
    check(data, filename)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=False)
    except Exception as error:  # openpyxl raises many kinds on a broken file
        raise Refused(
            tk._("The workbook cannot be read: {error}").format(error=error)
        ) from None
    problems: list[Problem] = []
    entries = tuple(zip(("key", "value"), columns.GENERAL_HEADERS, strict=True))
    general = _rows(book, columns.GENERAL, entries, problems)
    items = _rows(
        book, columns.ITEMS, columns.ITEM_COLUMNS, problems, (columns.ITEM_KEY,)
    )
    phases = _rows(
        book, columns.PHASES, columns.PHASE_COLUMNS, problems, (columns.PHASE_KEY,)
    )
    result = converted.convert(general, items, phases, known_phases)
    result.problems[:0] = problems
    return result
