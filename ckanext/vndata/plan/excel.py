"""The plan as an Excel workbook, in the shape officers fill in: write and read back.

Three sheets carry the three parts the law names (general information, the open-data
list with its schedule, the minimum levels per phase); a hidden sheet holds the code
lists behind the drop-downs. Headers are the file format and stay Vietnamese in every
locale; messages follow the user's language. Reading refuses, with a reason, anything
that is not a plain workbook of values: too large, not xlsx, formulas, too many rows.
"""

from __future__ import annotations

import datetime
import io
import re
from dataclasses import dataclass, field
from typing import Any

import openpyxl
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

import ckan.plugins.toolkit as tk

from ckanext.vndata.metadata import text, vocabularies
from ckanext.vndata.plan import spreadsheet
from ckanext.vndata.plan.excel_guard import MAX_ROWS, Refused, check
from ckanext.vndata.plan.logic.validators import PRIORITIES

Rows = list[tuple[int, dict[str, Any]]]

GENERAL = "Thông tin chung"
ITEMS = "Danh mục và kế hoạch"
PHASES = "Mức tối thiểu"
CODES = "Mã"

# (field, header); the order is the column order.
GENERAL_FIELDS = (
    ("title", "Tên kế hoạch"),
    ("period_start", "Năm bắt đầu"),
    ("period_end", "Năm kết thúc"),
    ("decision_number", "Số quyết định ban hành"),
    ("decision_date", "Ngày ban hành"),
    ("decision_signer", "Người ký"),
    ("objectives", "Mục tiêu"),
    ("contact_name", "Đầu mối liên hệ"),
    ("contact_email", "Thư điện tử"),
    ("contact_phone", "Điện thoại"),
)
ITEM_COLUMNS = (
    ("number", "STT"),
    ("title", "Tên dữ liệu"),
    ("description", "Mô tả"),
    ("sector", "Lĩnh vực"),
    ("lead_agency", "Cơ quan chủ trì"),
    ("source_database", "Cơ sở dữ liệu nguồn"),
    ("formats", "Định dạng"),
    ("update_frequency", "Tần suất cập nhật"),
    ("phase", "Giai đoạn"),
    ("target_date", "Thời hạn công bố"),
    ("priority", "Mức ưu tiên"),
)
PHASE_COLUMNS = (
    ("label", "Giai đoạn"),
    ("start_date", "Từ ngày"),
    ("end_date", "Đến ngày"),
    ("min_datasets", "Số tập dữ liệu tối thiểu"),
    ("min_percent_published", "% danh mục đã công bố"),
    ("min_stars", "Mức sao tối thiểu"),
    ("min_percent_machine_readable", "% máy đọc được"),
    ("min_percent_api", "% có API"),
    ("min_percent_complete_metadata", "% siêu dữ liệu đầy đủ"),
    ("min_percent_updated_on_schedule", "% cập nhật đúng hạn"),
)
DATE_FIELDS = {"decision_date", "target_date", "start_date", "end_date"}
PRIORITY_LABELS = {"cao": "Cao", "trung_binh": "Trung bình", "thap": "Thấp"}
# Drop-down columns: field -> vocabulary (or "priority").
CODED = {"sector": "sectors", "update_frequency": "update_frequency"}

HEADER = Font(bold=True)
FILL = PatternFill("solid", fgColor="DDEBF7")


@dataclass
class Problem:
    sheet: str
    row: int | None  # None: the part as a whole (a plan change is not one row)
    column: str
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return tk._("Sheet “{sheet}”, column “{column}”: {message}").format(
                sheet=self.sheet, column=self.column, message=self.message
            )
        return tk._("Sheet “{sheet}”, row {row}, column “{column}”: {message}").format(
            sheet=self.sheet, row=self.row, column=self.column, message=self.message
        )


@dataclass
class Workbook:
    general: dict[str, Any] = field(default_factory=dict)
    phases: list[dict[str, Any]] = field(default_factory=list)
    items: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # ("item", number) or ("phase", label) -> its row, to name it if saving fails.
    rows: dict[tuple[str, Any], int] = field(default_factory=dict)


def _labels(kind: str) -> list[tuple[str, str]]:
    if kind == "priority":
        return [(p, PRIORITY_LABELS[p]) for p in PRIORITIES]
    return [(t.value, t.vi) for t in vocabularies.VOCABULARIES[kind]]


def _label_of(kind: str, code: str | None) -> str | None:
    return dict(_labels(kind)).get(code, code) if code else None


def _key(value: str) -> str:
    """Accents, case and punctuation aside: "Giáo dục, đào tạo" is a label typed."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.fold(value)).split())


def _code_of(kind: str, value: str) -> str | None:
    wanted = _key(value)
    for code, label in _labels(kind):
        if wanted in (_key(code), _key(label)):
            return code
    return None


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
    codes = book.create_sheet(CODES)
    codes.sheet_state = "hidden"
    lists = [("sectors", "sector"), ("update_frequency", "update_frequency")]
    lists.append(("priority", "priority"))
    headers = [f for f, _ in ITEM_COLUMNS]
    for column, (kind, item_field) in enumerate(lists, start=1):
        labels = [label for _, label in _labels(kind)]
        letter = get_column_letter(column)
        for row, label in enumerate(labels, start=1):
            codes[f"{letter}{row}"] = label
        target = get_column_letter(headers.index(item_field) + 1)
        rule = DataValidation(
            type="list", formula1=f"'{CODES}'!${letter}$1:${letter}${len(labels)}"
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
            formula1=f"'{CODES}'!${letter}$1:${letter}${len(phase_labels)}",
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


def write(plan: dict[str, Any] | None = None) -> bytes:
    """The template (no plan) or a plan, as .xlsx bytes that read() takes back."""
    plan = plan or {}
    book = openpyxl.Workbook()
    book.remove(book.active)
    general = _sheet(book, GENERAL, ["Mục", "Nội dung"], widths=40)
    for key, header in GENERAL_FIELDS:
        general.append([header, _cell(plan.get(key))])
    phases = plan.get("phases") or []
    labels = {p["id"]: p["label"] for p in phases}
    items_sheet = _sheet(book, ITEMS, [h for _, h in ITEM_COLUMNS])
    for item in plan.get("items") or []:
        row = {
            **item,
            "sector": _label_of("sectors", item.get("sector")),
            "update_frequency": _label_of(
                "update_frequency", item.get("update_frequency")
            ),
            "priority": _label_of("priority", item.get("priority")),
            "formats": ", ".join(item.get("formats") or []),
            "phase": labels.get(item.get("phase_id")),
        }
        items_sheet.append([_cell(row.get(f)) for f, _ in ITEM_COLUMNS])
    phase_sheet = _sheet(book, PHASES, [h for _, h in PHASE_COLUMNS])
    for phase in phases:
        phase_sheet.append([_cell(phase.get(f)) for f, _ in PHASE_COLUMNS])
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


def _rows(book, name: str, columns, problems: list[Problem]) -> Rows:
    """(row number, {field: value}) of a sheet's non-empty rows; each formula or error
    cell in a column read is added to ``problems``."""
    if name not in book.sheetnames:
        raise Refused(tk._("The sheet “{sheet}” is missing.").format(sheet=name))
    sheet = book[name]
    headers = [text.fold(str(c.value or "")) for c in next(sheet.iter_rows(max_row=1))]
    positions = {}
    for key, header in columns:
        if text.fold(header) not in headers:
            raise Refused(
                tk._("The sheet “{sheet}” has no column “{column}”.").format(
                    sheet=name, column=header
                )
            )
        positions[key] = headers.index(text.fold(header))
    titles = dict(columns)
    rows = []
    # The guard (excel_guard.check) has bounded the rows and columns already.
    for number, row in enumerate(sheet.iter_rows(min_row=2), start=2):
        values: dict[str, Any] = {}
        for key, pos in positions.items():
            cell = row[pos] if pos < len(row) else None
            reason = _cell_problem(cell) if cell is not None else None
            if reason:
                problems.append(Problem(name, number, titles[key], reason))
            values[key] = _value(cell) if cell is not None and not reason else None
        if any(v is not None for v in values.values()):
            rows.append((number, values))
    return rows


def read(data: bytes, filename: str | None = None) -> Workbook:
    """The workbook's three parts, converted; each bad cell becomes a Problem.

    :raises Refused: the file is not a plain workbook within the limits (see
        excel_guard), or lacks a sheet or a column."""
    from ckanext.vndata.plan.excel_rows import convert

    check(data, filename)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=False)
    except Exception as error:  # openpyxl raises many kinds on a broken file
        raise Refused(
            tk._("The workbook cannot be read: {error}").format(error=error)
        ) from None
    problems: list[Problem] = []
    general = _rows(book, GENERAL, (("key", "Mục"), ("value", "Nội dung")), problems)
    items = _rows(book, ITEMS, ITEM_COLUMNS, problems)
    phases = _rows(book, PHASES, PHASE_COLUMNS, problems)
    result = convert(general, items, phases)
    result.problems[:0] = problems
    return result
