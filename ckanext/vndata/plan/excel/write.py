"""A plan, or the empty template, as a workbook that read.read_workbook() takes back."""

from __future__ import annotations

import datetime
import io
from typing import Any

import openpyxl
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ckanext.vndata.plan import spreadsheet
from ckanext.vndata.plan.excel import columns
from ckanext.vndata.plan.excel.guard import MAX_ROWS

HEADER = Font(bold=True)
FILL = PatternFill("solid", fgColor="DDEBF7")


def _sheet(book, title: str, headers: list[str], widths: int = 22):
    sheet = book.create_sheet(title)
    sheet.append(headers)
    for index, _header in enumerate(headers, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font, cell.fill = HEADER, FILL
        sheet.column_dimensions[get_column_letter(index)].width = widths
    sheet.freeze_panes = "A2"
    return sheet


def _dropdowns(book, items_sheet, phase_labels: list[str]) -> None:
    """Code lists on a hidden sheet, offered as drop-downs on the list sheet."""
    codes = book.create_sheet(columns.CODES)
    codes.sheet_state = "hidden"
    lists = [("sectors", "sector"), ("update_frequency", "update_frequency")]
    lists.append(("priority", "priority"))
    headers = [f for f, _ in columns.ITEM_COLUMNS]
    for column, (kind, item_field) in enumerate(lists, start=1):
        labels = [label for _, label in columns.choices(kind)]
        letter = get_column_letter(column)
        for row, label in enumerate(labels, start=1):
            codes[f"{letter}{row}"] = label
        target = get_column_letter(headers.index(item_field) + 1)
        rule = DataValidation(
            type="list",
            formula1=f"'{columns.CODES}'!${letter}$1:${letter}${len(labels)}",
        )
        rule.add(f"{target}2:{target}{MAX_ROWS + 1}")
        items_sheet.add_data_validation(rule)
    if phase_labels:
        letter = get_column_letter(len(lists) + 1)
        for row, label in enumerate(phase_labels, start=1):
            codes[f"{letter}{row}"] = spreadsheet.xlsx_value(label)
        target = get_column_letter(headers.index("phase") + 1)
        rule = DataValidation(
            type="list",
            formula1=f"'{columns.CODES}'!${letter}$1:${letter}${len(phase_labels)}",
        )
        rule.add(f"{target}2:{target}{MAX_ROWS + 1}")
        items_sheet.add_data_validation(rule)


def _cell(value: Any) -> Any:
    if isinstance(value, str) and len(value) == 10 and value[4] == "-":
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass
    return spreadsheet.xlsx_value(value)


def write_workbook(plan: dict[str, Any] | None = None) -> bytes:
    """The template (no plan) or a plan, as .xlsx bytes read_workbook takes back."""
    plan = plan or {}
    book = openpyxl.Workbook()
    book.remove(book.active)
    general = _sheet(book, columns.GENERAL, list(columns.GENERAL_HEADERS), widths=40)
    for key, header in columns.GENERAL_FIELDS:
        general.append([header, _cell(plan.get(key))])
    phases = plan.get("phases") or []
    labels = {p["id"]: p["label"] for p in phases}
    items_sheet = _sheet(book, columns.ITEMS, [h for _, h in columns.ITEM_COLUMNS])
    for item in plan.get("items") or []:
        row = {
            **item,
            "sector": columns.label_of("sectors", item.get("sector")),
            "update_frequency": columns.label_of(
                "update_frequency", item.get("update_frequency")
            ),
            "priority": columns.label_of("priority", item.get("priority")),
            "formats": ", ".join(item.get("formats") or []),
            "phase": labels.get(item.get("phase_id")),
        }
        items_sheet.append([_cell(row.get(f)) for f, _ in columns.ITEM_COLUMNS])
    phase_sheet = _sheet(book, columns.PHASES, [h for _, h in columns.PHASE_COLUMNS])
    for phase in phases:
        phase_sheet.append([_cell(phase.get(f)) for f, _ in columns.PHASE_COLUMNS])
    _dropdowns(book, items_sheet, [p["label"] for p in phases])
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, datetime.date):
                    cell.number_format = "DD/MM/YYYY"
                spreadsheet.xlsx_text(cell)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
