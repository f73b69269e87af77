"""A plan, or the empty template, as a workbook that read.read_workbook() takes back.

A downloaded plan carries each item's key and each phase's id in a hidden last column,
so that its upload updates those rows (plan/upload.py); the template teaches how to fill
it (excel/guidance.py)."""

from __future__ import annotations

import datetime
import io
from typing import Any

import openpyxl
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from ckanext.vndata.plan import fields, spreadsheet
from ckanext.vndata.plan.excel import columns, guidance
from ckanext.vndata.plan.excel.guard import MAX_ROWS

HEADER = Font(bold=True)
FILL = PatternFill("solid", fgColor="DDEBF7")
ITEM_KEYS = [f for f, _ in (*columns.ITEM_COLUMNS, columns.ITEM_KEY)]
PHASE_KEYS = [f for f, _ in (*columns.PHASE_COLUMNS, columns.PHASE_KEY)]


def _sheet(book, title: str, headers: list[str]):
    sheet = book.create_sheet(title)
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font, cell.fill = HEADER, FILL
    sheet.freeze_panes = "A2"
    return sheet


def _code_lists(book, phase_letter: str) -> dict[str, str]:
    """Code lists on a hidden sheet; {item field: the range its drop-down offers}.
    The phases are those typed on the phases sheet, also in the blank template."""
    codes = book.create_sheet(columns.CODES)
    codes.sheet_state = "hidden"
    ranges = {}
    for column, (item_field, kind) in enumerate(columns.CODED, start=1):
        labels = [label for _, label in columns.choices(kind)]
        letter = get_column_letter(column)
        for row, label in enumerate(labels, start=1):
            codes[f"{letter}{row}"] = label
        ranges[item_field] = f"'{columns.CODES}'!${letter}$1:${letter}${len(labels)}"
    end = MAX_ROWS + 1
    ranges["phase"] = f"'{columns.PHASES}'!${phase_letter}$2:${phase_letter}${end}"
    return ranges


def _least_widths(part, keys: list[str]) -> dict[int, int]:
    """How wide each column must be, whatever it holds yet: a drop-down's longest
    choice, room to type a text or a date."""
    coded = dict(columns.CODED)
    widths = {}
    for field in part:
        key = "phase" if field.key == "phase_id" else field.key
        if key not in keys:
            continue
        if key in coded:
            width = max(len(label) for _, label in columns.choices(coded[key]))
        else:
            width = guidance.TYPING_WIDTHS.get(field.kind, 0)
        widths[keys.index(key) + 1] = width
    return widths


def _cell(value: Any) -> Any:
    if isinstance(value, str) and len(value) == 10 and value[4] == "-":
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass
    return spreadsheet.xlsx_value(value)


def _item_row(item: dict[str, Any], phase_labels: dict[str, str]) -> list[Any]:
    row = {
        **item,
        "phase": phase_labels.get(item.get("phase_id")),
        "formats": ", ".join(item.get("formats") or []),
    }
    for item_field, kind in columns.CODED:
        row[item_field] = columns.label_of(kind, item.get(item_field))
    return [_cell(row.get(f)) for f in ITEM_KEYS]


def write_workbook(plan: dict[str, Any] | None = None) -> bytes:
    """The template (no plan) or a plan, as .xlsx bytes read_workbook takes back."""
    plan = plan or {}
    book = openpyxl.Workbook()
    book.remove(book.active)
    guidance.write_instructions(book)
    general = _sheet(book, columns.GENERAL, list(columns.GENERAL_HEADERS))
    for key, header in columns.GENERAL_FIELDS:
        general.append([header, _cell(plan.get(key))])
    guidance.add_value_checks(general, fields.PLAN, 2)
    phases = plan.get("phases") or []
    labels = {p["id"]: p["label"] for p in phases}
    items_sheet = _sheet(book, columns.ITEMS, [h for _, h in columns.ITEM_COLUMNS])
    items_sheet.cell(1, len(ITEM_KEYS), columns.ITEM_KEY[1]).font = HEADER
    for item in plan.get("items") or []:
        items_sheet.append(_item_row(item, labels))
    phase_sheet = _sheet(book, columns.PHASES, [h for _, h in columns.PHASE_COLUMNS])
    phase_sheet.cell(1, len(PHASE_KEYS), columns.PHASE_KEY[1]).font = HEADER
    for phase in phases:
        phase_sheet.append([_cell(phase.get(f)) for f in PHASE_KEYS])
    phase_letter = get_column_letter(PHASE_KEYS.index("label") + 1)
    lists = _code_lists(book, phase_letter)
    guidance.add_checks(items_sheet, fields.ITEM, ITEM_KEYS, lists)
    guidance.add_checks(phase_sheet, fields.PHASE, PHASE_KEYS, {})
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, datetime.date):
                    cell.number_format = "DD/MM/YYYY"
                spreadsheet.xlsx_text(cell)
    guidance.fit_widths(general, {2: guidance.VALUE_WIDTH})
    guidance.fit_widths(items_sheet, _least_widths(fields.ITEM, ITEM_KEYS))
    guidance.fit_widths(phase_sheet, _least_widths(fields.PHASE, PHASE_KEYS))
    guidance.mark_headers(items_sheet, "item", ITEM_KEYS)
    guidance.mark_headers(phase_sheet, "phase", PHASE_KEYS)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
