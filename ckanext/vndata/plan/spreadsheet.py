"""Text bound for a spreadsheet, kept from being run as a formula ("CSV injection").

Excel, LibreOffice and Google Sheets run a cell that starts with = + - or @ as a
formula, and a leading tab or carriage return is trimmed away first; the full-width
forms (＝＋－＠) are folded to those by some input methods and programs. An item titled
=HYPERLINK("http://x","y") would otherwise become a live link in an officer's copy of
a download. Every CSV and XLSX the suite writes passes its text through here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
# What XML 1.0 cannot carry, NUL among them: openpyxl refuses to write it (a plan
# holding it could no longer be downloaded), so an upload refuses it too (excel/rows).
NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def formula_like(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(TRIGGERS)


def csv_cell(value: Any) -> Any:
    """For CSV: a leading apostrophe, which spreadsheet programs take as "text"."""
    return "'" + value if formula_like(value) else value


def csv_row(values: Iterable[Any]) -> list[Any]:
    return [csv_cell(value) for value in values]


def xlsx_value(value: Any) -> Any:
    """For XLSX, before a value is put in a cell: without the characters XML cannot
    hold (stored through an older version or the API, they would break the download)."""
    return NOT_XML.sub("", value) if isinstance(value, str) else value


def xlsx_text(cell) -> None:
    """For XLSX, after a value is put in a cell: text stays text. openpyxl makes any
    string that starts with "=" a formula; the cell is typed back to text, and marked
    quotePrefix so that Excel keeps it text when the officer edits it."""
    if not isinstance(cell.value, str):
        return
    if cell.data_type == "f":
        cell.data_type = "s"
    if formula_like(cell.value):
        cell.quotePrefix = True
