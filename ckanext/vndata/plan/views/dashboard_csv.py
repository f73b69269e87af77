"""The national dashboard's two CSV files, for a person opening them in Excel: the
agencies' plans and the obliged bodies, headed and labelled in the reader's language.

The rows are the dashboard's own (dashboard.rows, dashboard.body_rows), with each
code's label already in the reader's language; the JSON files keep the codes.
"""

from __future__ import annotations

from typing import Any

from flask import Response

import ckan.plugins.toolkit as tk

from ckanext.vndata.lib.i18n import N_
from ckanext.vndata.plan.csv_download import Column, response, yes_no


def _plan_url(row: dict[str, Any]) -> str:
    return tk.url_for("vndata_plan.read", plan_id=row["plan_id"], _external=True)


def _datetime(value: str | None) -> str:
    return tk.h.vndata_format_datetime(value)


def _field(key: str):
    return lambda row: row.get(key)


# The items' figures, the same in both files.
FIGURES = (
    Column(N_("Items planned"), _field("planned")),
    Column(N_("Items published"), _field("published")),
    Column(N_("Items overdue"), _field("overdue")),
    Column(N_("Items due"), _field("due")),
    Column(N_("Items due, published on time"), _field("due_on_time")),
    Column(N_("On time, of the items due (%)"), _field("due_on_time_percent")),
)

# The metadata quality of the organizations' public datasets (MQA, 405 points).
QUALITY = (
    Column(N_("Metadata quality (points)"), lambda row: row["quality"]["points"]),
    Column(N_("Metadata quality rating"), lambda row: row["quality"]["rating_label"]),
    Column(N_("Datasets scored"), lambda row: row["quality"]["datasets"]),
)

AGENCY_COLUMNS = (
    Column(N_("Agency"), _field("agency")),
    Column(N_("Province"), _field("province_label")),
    Column(N_("Province code"), _field("province_code")),
    Column(N_("Agency level"), _field("agency_level_label")),
    Column(N_("Plan status"), _field("plan_status_label")),
    Column(N_("Status code"), _field("plan_status")),
    *FIGURES,
    Column(N_("Current phase"), _field("current_phase")),
    Column(N_("Minimum levels passed"), _field("levels_passed")),
    Column(N_("Minimum levels failed"), _field("levels_failed")),
    Column(N_("Last harvest"), lambda row: _datetime(row["last_harvest"])),
    *QUALITY,
    Column(N_("Plan address"), _plan_url),
)

BODY_COLUMNS = (
    Column(N_("Body code"), _field("code")),
    Column(N_("Body"), _field("body")),
    Column(N_("Kind of body"), _field("kind_label")),
    Column(N_("Status"), _field("status_label")),
    Column(N_("Status code"), _field("status")),
    Column(N_("Province"), _field("province_label")),
    Column(N_("Province code"), _field("province_code")),
    Column(N_("Agency e-ID code"), _field("agency_code")),
    Column(N_("Number of organizations"), _field("organizations")),
    Column(N_("Number of plans"), lambda row: len(row["plans"])),
    *FIGURES,
    Column(N_("Minimum levels passed"), _field("levels_passed")),
    Column(N_("Minimum levels failed"), _field("levels_failed")),
    Column(
        N_("Passes its current phase's minimum levels"),
        lambda row: yes_no(row.get("passes_levels")),
    ),
    *QUALITY,
)


def agencies(rows: list[dict[str, Any]]) -> Response:
    return response(AGENCY_COLUMNS, rows, "ke-hoach-du-lieu-mo-cac-co-quan.csv")


def bodies(rows: list[dict[str, Any]]) -> Response:
    return response(BODY_COLUMNS, rows, "co-quan-co-trach-nhiem-ban-hanh-ke-hoach.csv")
