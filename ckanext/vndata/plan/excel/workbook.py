"""What reading a plan workbook yields: its parts, and each problem found in a cell."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import ckan.plugins.toolkit as tk


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
    # None: the general sheet was left blank (a template filled only with rows).
    general: dict[str, Any] | None = None
    phases: list[dict[str, Any]] = field(default_factory=list)
    items: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # ("item", number) or ("phase", label) -> its row, to name it if saving fails.
    rows: dict[tuple[str, Any], int] = field(default_factory=dict)
