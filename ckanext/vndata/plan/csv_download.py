"""CSV files a person can read: every column headed in the reader's language, labels
instead of codes, dates as the pages show them, and formulas kept as text.

A table is a tuple of ``Column``: its header (an English msgid, translated for the
request's language: Vietnamese by default, English under /en/) and how to read its
value from a row. A code stays only where a reuser needs it, in a column whose header
says it is a code ("Mã trạng thái"); the JSON beside each CSV keeps the codes and their
``*_label`` for programs.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Callable, Iterable
from typing import Any

from flask import Response

import ckan.plugins.toolkit as tk

from ckanext.vndata.plan.spreadsheet import csv_row

# Excel reads a CSV without a byte-order mark in the Windows code page, which turns
# "Đà Nẵng" into "ÄÃ  Náºµng"; with it, as UTF-8.
BOM = "\ufeff"


@dataclasses.dataclass(frozen=True)
class Column:
    header: str  # English msgid, translated where the file is written
    value: Callable[[dict[str, Any]], Any]


def text(columns: Iterable[Column], rows: Iterable[dict[str, Any]]) -> str:
    """The rows as CSV text (no byte-order mark): the translated headers, then one
    line per row, each cell kept from being run as a formula."""
    columns = tuple(columns)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([tk._(column.header) for column in columns])
    for row in rows:
        writer.writerow(csv_row(_cell(column.value(row)) for column in columns))
    return out.getvalue()


def response(
    columns: Iterable[Column], rows: Iterable[dict[str, Any]], filename: str
) -> Response:
    """The rows as a CSV download named ``filename``, with the byte-order mark."""
    return Response(
        BOM + text(columns, rows),
        mimetype="text/csv",
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def yes_no(value: Any) -> str:
    return tk._("Yes") if value else tk._("No")


def _cell(value: Any) -> Any:
    """None is an empty cell, not the word "None"."""
    return "" if value is None else value
