"""Đà Nẵng's plan typed into the portal's blank Excel template, as an officer would.

The officer downloads /ke-hoach/mau-ke-hoach.xlsx, types one value per entry of "Thông
tin chung", one row per list item in "Danh mục và kế hoạch" (sectors, frequencies,
priorities and phases by their Vietnamese labels, as the drop-downs offer them) and one
row per phase in "Mức tối thiểu", then uploads it. The columns are found by their
headers, which the plan's field registry declares (ckanext/vndata/plan/fields.py).
"""

from __future__ import annotations

import datetime
import io

import openpyxl

from ckanext.vndata.plan.excel import columns

from . import plans

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _date(offset: int) -> datetime.date:
    return plans.TODAY + datetime.timedelta(days=offset)


def _append(sheet, headers: tuple[tuple[str, str], ...], values: dict) -> None:
    """A row under the sheet's header row, each value in its column."""
    position = {cell.value: cell.column for cell in sheet[1]}
    row = sheet.max_row + 1
    for key, header in headers:
        if values.get(key) is not None:
            cell = sheet.cell(row=row, column=position[header], value=values[key])
            if isinstance(values[key], datetime.date):
                cell.number_format = "DD/MM/YYYY"


def _items(plan: dict) -> list[dict]:
    defaults = plan["item_defaults"]
    rows = []
    for number, (title, sector, due, phase, _dataset) in enumerate(plan["items"], 1):
        rows.append(
            {
                "number": number,
                "title": title,
                "sector": columns.label_of("sectors", sector),
                "lead_agency": defaults["lead_agency"],
                "formats": defaults["formats"],
                "update_frequency": columns.label_of(
                    "update_frequency", defaults["update_frequency"]
                ),
                "phase": phase,
                "target_date": _date(due),
                "priority": columns.label_of("priority", defaults["priority"]),
            }
        )
    return rows


def filled(template: bytes, plan: dict = plans.DA_NANG) -> bytes:
    """The template with the plan typed in, as .xlsx bytes."""
    book = openpyxl.load_workbook(io.BytesIO(template))
    general = book[columns.GENERAL]
    entries = {**plan["form"], **plan["general"]}
    for key, header in columns.GENERAL_FIELDS:
        for row in general.iter_rows(min_row=2):
            if row[0].value == header and key in entries:
                value = entries[key]
                row[1].value = int(value) if key.startswith("period_") else value
                if isinstance(value, datetime.date):
                    row[1].number_format = "DD/MM/YYYY"
    for item in _items(plan):
        _append(book[columns.ITEMS], columns.ITEM_COLUMNS, item)
    for phase in plan["phases"]:
        dated = {**phase, "start_date": _date(phase["start_date"])}
        dated["end_date"] = _date(phase["end_date"])
        _append(book[columns.PHASES], columns.PHASE_COLUMNS, dated)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
