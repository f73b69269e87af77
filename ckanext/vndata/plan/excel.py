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
import zipfile
from dataclasses import dataclass, field
from typing import Any

import openpyxl
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

import ckan.plugins.toolkit as tk

from ckanext.vndata.metadata import text, vocabularies
from ckanext.vndata.plan.logic.validators import PRIORITIES

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

MAX_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_ROWS = 2000
HEADER = Font(bold=True)
FILL = PatternFill("solid", fgColor="DDEBF7")


class Refused(ValueError):
    """The file cannot be read at all; the message says why."""


@dataclass
class Problem:
    sheet: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return tk._("Sheet “{sheet}”, row {row}, column “{column}”: {message}").format(
            sheet=self.sheet, row=self.row, column=self.column, message=self.message
        )


@dataclass
class Workbook:
    general: dict[str, Any] = field(default_factory=dict)
    phases: list[dict[str, Any]] = field(default_factory=list)
    items: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


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
            codes[f"{letter}{row}"] = label
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
            return value
    return value


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
    for sheet in (items_sheet, phase_sheet):
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, datetime.date):
                    cell.number_format = "DD/MM/YYYY"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _check_container(data: bytes) -> None:
    if len(data) > MAX_BYTES:
        raise Refused(
            tk._("The file is larger than {mb} MB.").format(mb=MAX_BYTES // 2**20)
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise Refused(tk._("The file is not an Excel workbook (.xlsx).")) from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise Refused(tk._("The workbook unpacks to more than 50 MB."))


def _value(cell) -> Any:
    value = cell.value
    if isinstance(value, str):
        value = text.nfc(value.strip())
        return value or None
    return value


def _rows(book, name: str, columns) -> list[tuple[int, dict[str, Any]]]:
    """(row number, {field: value}) of a sheet's non-empty rows; formulas refused."""
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
    rows = []
    for number, row in enumerate(sheet.iter_rows(min_row=2), start=2):
        if number > MAX_ROWS + 1:
            raise Refused(
                tk._("The sheet “{sheet}” has more than {max} rows.").format(
                    sheet=name, max=MAX_ROWS
                )
            )
        for cell in row:
            if cell.data_type == "f":
                raise Refused(
                    tk._(
                        "The cell {cell} of the sheet “{sheet}” holds a formula; "
                        "paste its value instead."
                    ).format(cell=cell.coordinate, sheet=name)
                )
        values = {
            key: _value(row[pos]) if pos < len(row) else None
            for key, pos in positions.items()
        }
        if any(v is not None for v in values.values()):
            rows.append((number, values))
    return rows


def read(data: bytes) -> Workbook:
    """The workbook's three parts, converted; each bad cell becomes a Problem."""
    from ckanext.vndata.plan.excel_rows import convert

    _check_container(data)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=False)
    except Exception as error:  # openpyxl raises many kinds on a broken file
        raise Refused(
            tk._("The workbook cannot be read: {error}").format(error=error)
        ) from None
    general_rows = _rows(book, GENERAL, (("key", "Mục"), ("value", "Nội dung")))
    return convert(
        general_rows,
        _rows(book, ITEMS, ITEM_COLUMNS),
        _rows(book, PHASES, PHASE_COLUMNS),
    )
