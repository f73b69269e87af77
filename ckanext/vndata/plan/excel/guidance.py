"""What the workbook teaches the officer who fills it without the manual: the
instructions sheet (each sheet, each column, whether it is required, what it allows, an
example row), required columns marked, column widths that fit, and every typed value
checked by Excel as it is typed (drop-downs that refuse other values, dates, numbers),
each refusal saying in Vietnamese what is allowed.

Like the headers, these texts are part of the file and stay Vietnamese in every locale.
The example row is on the instructions sheet only, so no upload ever reads it.
"""

from __future__ import annotations

from typing import Any

from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ckanext.vndata.plan import fields
from ckanext.vndata.plan.excel import columns
from ckanext.vndata.plan.excel.guard import MAX_ROWS
from ckanext.vndata.plan.logic import validators

INSTRUCTIONS = "Hướng dẫn"
REQUIRED_FILL = PatternFill("solid", fgColor="F8CBAD")
KEY_FILL = PatternFill("solid", fgColor="D9D9D9")
EXAMPLE_FILL = PatternFill("solid", fgColor="FFF2CC")
TITLE = Font(bold=True, size=14)
BOLD = Font(bold=True)
REQUIRED_NOTE = "Bắt buộc"
KEY_NOTE = "Mã để nhận ra dòng khi tải lên lại. Không sửa, không chép sang dòng khác."
WIDTH_MIN, WIDTH_MAX = 10, 60
# Room to type, by kind, in a column still empty (the blank template).
TYPING_WIDTHS = {"required_text": 30, "text": 28, "date": 12, "required_date": 12}
TYPING_WIDTHS.update(id=16, email=28)
VALUE_WIDTH = 40  # the general sheet's value column

# What each kind of field allows, as the instructions and Excel's refusals say it.
ALLOWED = {
    "date": "Ngày dạng dd/mm/yyyy, ví dụ 30/06/2026.",
    "required_date": "Ngày dạng dd/mm/yyyy, ví dụ 30/06/2026.",
    "year": "Năm từ 2000 đến 2100, ví dụ 2026.",
    "email": "Địa chỉ thư điện tử, ví dụ ten@donvi.gov.vn.",
    "number": "Số nguyên từ 1; để trống thì lấy số tiếp theo.",
    "count": f"Số nguyên từ 0 đến {validators.MAX_COUNT:,}.".replace(",", "."),
    "percent": "Số từ 0 đến 100 (phần trăm).",
    "stars": "Số nguyên từ 0 đến 5.",
    "text_list": "Các định dạng, cách nhau bằng dấu phẩy, ví dụ: CSV, JSON.",
    "id": "Một giai đoạn đã nhập ở trang “Mức tối thiểu” (chọn trong danh sách).",
}
# Excel's own check of a typed number: (type, minimum, maximum).
NUMBERS = {
    "year": ("whole", 2000, 2100),
    "number": ("whole", 1, validators.MAX_NUMBER),
    "count": ("whole", 0, validators.MAX_COUNT),
    "percent": ("decimal", 0, 100),
    "stars": ("whole", 0, 5),
}

EXAMPLE = {
    "number": 1,
    "title": "Danh sách trường học trên địa bàn tỉnh",
    "description": "Tên, địa chỉ, loại hình, số học sinh của các trường mầm non, "
    "tiểu học, trung học",
    "sector": "Giáo dục đào tạo",
    "lead_agency": "Sở Giáo dục và Đào tạo",
    "source_database": "Cơ sở dữ liệu ngành giáo dục",
    "formats": "CSV, JSON",
    "update_frequency": "Hằng năm",
    "phase": "Giai đoạn 1",
    "target_date": "30/06/2026",
    "priority": "Cao",
}

SHEETS = (
    (
        columns.GENERAL,
        "Thông tin chung của kế hoạch: mỗi dòng một mục, điền giá trị vào cột "
        "“Nội dung”. Để trống cả trang nếu chỉ muốn thêm dòng vào danh mục.",
    ),
    (
        columns.ITEMS,
        "Danh mục dữ liệu mở và kế hoạch công bố: mỗi dòng một dữ liệu. Thêm dữ "
        "liệu bằng cách điền vào dòng trống tiếp theo.",
    ),
    (
        columns.PHASES,
        "Các giai đoạn và mức tối thiểu phải đạt ở mỗi giai đoạn: mỗi dòng một giai "
        "đoạn. Nhập giai đoạn ở đây trước, rồi chọn nó ở cột “Giai đoạn” của danh mục.",
    ),
)

RULES = (
    "Cột có tiêu đề tô màu cam là bắt buộc.",
    "Ngày ghi dạng dd/mm/yyyy (ví dụ 30/06/2026).",
    "Lĩnh vực, tần suất cập nhật, mức ưu tiên và giai đoạn: chọn trong danh sách "
    "thả xuống; giá trị khác bị từ chối.",
    "Tệp tải về từ một kế hoạch có cột ẩn “Mã mục (không sửa)” và “Mã giai đoạn "
    "(không sửa)”: không sửa các mã này. Dòng không có mã là dòng mới.",
    "Xóa một dòng khỏi tệp không xóa dữ liệu đó khỏi kế hoạch: khi tải lên, trang "
    "xem trước ghi “không có trong tệp — giữ nguyên”, trừ khi chọn xóa.",
    "Không có gì được lưu trước khi xem trước và xác nhận; nếu có dòng sai, không "
    "lưu gì cả.",
)


def _allowed(field: fields.Field) -> str:
    code_list = dict(columns.CODED).get(field.key)
    if code_list:
        return "Một trong: " + columns.allowed(code_list) + "."
    return ALLOWED.get(field.kind, "Văn bản.")


def _parts() -> list[tuple[str, tuple[fields.Field, ...], frozenset[str]]]:
    return [
        (columns.GENERAL, fields.PLAN, columns.REQUIRED["plan"]),
        (columns.ITEMS, fields.ITEM, columns.REQUIRED["item"]),
        (columns.PHASES, fields.PHASE, columns.REQUIRED["phase"]),
    ]


def _key(field: fields.Field) -> str:
    return "phase" if field.key == "phase_id" else field.key


def write_instructions(book) -> None:
    """The first sheet: what each sheet and column is, and an example row."""
    sheet = book.create_sheet(INSTRUCTIONS, 0)
    sheet.append(["Hướng dẫn điền kế hoạch dữ liệu mở"])
    sheet["A1"].font = TITLE
    sheet.append([])
    for name, text in SHEETS:
        sheet.append([f"Trang “{name}”", text])
        sheet.cell(sheet.max_row, 1).font = BOLD
    sheet.append([])
    for rule in RULES:
        sheet.append(["•", rule])
    sheet.append([])
    sheet.append(["Trang", "Cột", "Bắt buộc", "Giá trị cho phép"])
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = BOLD
    for name, part, required in _parts():
        for field in part:
            if field.header:
                mark = "Có" if _key(field) in required else ""
                sheet.append([name, field.header, mark, _allowed(field)])
                if mark:
                    sheet.cell(sheet.max_row, 2).fill = REQUIRED_FILL
    sheet.append([])
    sheet.append([f"Ví dụ một dòng của trang “{columns.ITEMS}” (chỉ để tham khảo)"])
    sheet.cell(sheet.max_row, 1).font = BOLD
    sheet.append([header for _, header in columns.ITEM_COLUMNS])
    sheet.append([EXAMPLE.get(key) for key, _ in columns.ITEM_COLUMNS])
    for cell in sheet[sheet.max_row]:
        cell.fill = EXAMPLE_FILL
    for letter, width in (("A", 28), ("B", 40), ("C", 12), ("D", 80)):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=3):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def mark_headers(sheet, part: str, keys: list[str]) -> None:
    """Required columns filled and noted; the key column grey, noted and hidden."""
    required = columns.REQUIRED[part]
    for index, key in enumerate(keys, start=1):
        cell = sheet.cell(1, index)
        if key in required:
            cell.fill = REQUIRED_FILL
            cell.comment = Comment(REQUIRED_NOTE, "vndata")
        elif key in (columns.ITEM_KEY[0], columns.PHASE_KEY[0]):
            cell.fill = KEY_FILL
            cell.comment = Comment(KEY_NOTE, "vndata")
            sheet.column_dimensions[get_column_letter(index)].hidden = True


def fit_widths(sheet, at_least: dict[int, int] | None = None) -> None:
    """Each column as wide as its longest value (the header included, and a
    drop-down's longest choice: ``at_least``), within bounds."""
    widths: dict[int, int] = dict(at_least or {})
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value is not None:
                length = max(len(line) for line in str(cell.value).splitlines() or [""])
                widths[cell.column] = max(widths.get(cell.column, 0), length)
    for column, width in widths.items():
        letter = get_column_letter(column)
        sheet.column_dimensions[letter].width = min(
            max(width + 2, WIDTH_MIN), WIDTH_MAX
        )


def _rule(kind: str, **options: Any) -> DataValidation:
    """A check Excel makes as a value is typed, refusing (not only warning) with the
    Vietnamese message of what the column allows."""
    return DataValidation(
        type=kind,
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="stop",
        errorTitle="Giá trị không hợp lệ",
        **options,
    )


def _check_of(field: fields.Field, dropdown: str | None = None):
    """Excel's check of a field's cells (None: any text), its refusal saying what the
    field allows; a date's or a number's bounds are the validators'."""
    if dropdown:
        rule = _rule("list", formula1=dropdown)
    elif field.kind in fields.DATE_KINDS:
        rule = _rule(
            "date", operator="between", formula1="DATE(1900,1,1)",
            formula2="DATE(2200,12,31)",
        )  # fmt: skip
    elif field.kind in NUMBERS:
        number, low, high = NUMBERS[field.kind]
        rule = _rule(number, operator="between", formula1=str(low), formula2=str(high))
    else:
        return None
    rule.error = _allowed(field)
    return rule


def add_checks(sheet, part: tuple[fields.Field, ...], keys: list[str], lists) -> None:
    """Each column's check: ``lists`` maps a field to the range of its drop-down."""
    by_key = {_key(f): f for f in part}
    for index, key in enumerate(keys, start=1):
        field, letter = by_key.get(key), get_column_letter(index)
        rule = _check_of(field, lists.get(key)) if field else None
        if rule is None:
            continue
        rule.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
        sheet.add_data_validation(rule)
        if field.kind in fields.DATE_KINDS:
            # The column's style: a date typed below is shown dd/mm/yyyy.
            sheet.column_dimensions[letter].number_format = "DD/MM/YYYY"


def add_value_checks(sheet, part: tuple[fields.Field, ...], column: int) -> None:
    """The general sheet holds one entry per row: each value cell gets its field's
    check (a date, a year) on its own row, and a required entry is marked."""
    letter = get_column_letter(column)
    for row, field in enumerate((f for f in part if f.header), start=2):
        rule = _check_of(field)
        if rule is not None:
            rule.add(f"{letter}{row}")
            sheet.add_data_validation(rule)
        if field.kind in fields.DATE_KINDS:
            sheet[f"{letter}{row}"].number_format = "DD/MM/YYYY"
        if field.kind in fields.REQUIRED_KINDS:
            sheet.cell(row, 1).fill = REQUIRED_FILL
            sheet.cell(row, 1).comment = Comment(REQUIRED_NOTE, "vndata")
