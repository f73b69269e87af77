"""The open-data list edited as repeating rows: every item on one form, with blank
rows to add more; a row whose name is cleared is taken off the list, after a second
press of Save that confirms it. The rows go through the same checks and the same change
set as an uploaded workbook."""

from __future__ import annotations

from typing import Any

from flask import Blueprint

import ckan.plugins.toolkit as tk

from ckanext.vndata.plan import upload
from ckanext.vndata.plan.excel import guard
from ckanext.vndata.plan.excel.columns import PHASE_COLUMNS
from ckanext.vndata.plan.excel.rows import convert_list
from ckanext.vndata.plan.views._common import (
    context,
    csrf_checked,
    load_local_plan,
)

COLUMNS = ("number", "title", "sector", "lead_agency", "update_frequency", "phase",
           "target_date", "priority")  # fmt: skip
BLANK_ROWS = 5
# As many rows as a workbook may hold, and the blank ones: the form's own "rows" field
# is input like any other, and a million rows cost 20 s of CPU.
MAX_ROWS = guard.MAX_ROWS + BLANK_ROWS
GENERAL = -1  # problems that belong to no row


def _rows_of(plan: dict[str, Any]) -> list[dict[str, Any]]:
    labels = {p["id"]: p["label"] for p in plan["phases"]}
    rows = [
        {
            **{c: item.get(c) for c in COLUMNS},
            "phase": labels.get(item.get("phase_id")),
            # As the reader writes dates (dd/mm/yyyy in Vietnamese), in a text box: a
            # browser's date picker shows the browser's own order (mm/dd/yyyy).
            "target_date": tk.h.vndata_format_date(item.get("target_date")),
            "existing": item["number"],
        }
        for item in plan["items"]
    ]
    return rows + [{} for _ in range(BLANK_ROWS)]


def _row_count() -> int | None:
    """The number of rows the form says it sent (None if missing or out of bounds)."""
    raw = tk.request.form.get("rows", "").strip()
    if not raw.isdigit() or int(raw) > MAX_ROWS:
        return None
    return int(raw)


def _posted_rows(count: int) -> list[dict[str, Any]]:
    form, rows = tk.request.form, []
    for index in range(count):
        row = {
            c: (form.get(f"items-{index}-{c}") or "").strip() or None for c in COLUMNS
        }
        existing = (form.get(f"items-{index}-existing") or "").strip()
        row["existing"] = int(existing) if existing.isdigit() else None
        rows.append(row)
    return rows


def _phase_rows(plan: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    fields = [f for f, _ in PHASE_COLUMNS]
    return [(n, {f: p.get(f) for f in fields}) for n, p in enumerate(plan["phases"], 2)]


def _render(plan, rows, problems, status: int = 200, confirm_remove=False):
    extra = {"plan": plan, "rows": rows, "problems": problems, "columns": COLUMNS}
    extra["confirm_remove"] = confirm_remove
    return tk.render("vndata_plan/list_form.html", extra), status


def _changes(plan, book, rows) -> list[upload.Change]:
    """The item changes, where an item is taken off the list only if its own row was
    sent back (a form that sends fewer rows, or none, removes nothing)."""
    sent = {row["existing"] for row in rows if row.get("existing") is not None}
    numbers = {i["id"]: i["number"] for i in plan["items"]}
    return [
        c
        for c in upload.changes(plan, book, remove_missing=True)
        if c.part == "item"
        and (c.operation != "remove" or numbers.get(c.target_id) in sent)
    ]


@csrf_checked
def edit_list(plan_id: str):
    plan = load_local_plan(plan_id)
    if not tk.h.check_access("vndata_plan_update", {"id": plan_id}):
        return tk.abort(403, tk._("You may not edit this plan."))
    if tk.request.method != "POST":
        return _render(plan, _rows_of(plan), {})
    count = _row_count()
    if count is None:
        message = tk._(
            "The form is incomplete: the number of rows must be between 0 and {max}; "
            "reload the page and try again."
        ).format(max=MAX_ROWS)
        return _render(plan, _rows_of(plan), {GENERAL: [message]}, 400)
    rows = _posted_rows(count)
    # Row numbers as a workbook would have them: the header is row 1.
    numbered = [(n, r) for n, r in enumerate(rows, start=2) if r.get("title")]
    # A row names its item by the number it had (upload.py matches items by key).
    keys = {i["number"]: i["key"] for i in plan["items"]}
    book = convert_list(
        [(n, {**{c: r[c] for c in COLUMNS}, "key": keys.get(r["existing"])})
         for n, r in numbered],
        _phase_rows(plan),
    )  # fmt: skip
    problems: dict[int, list[str]] = {}
    for problem in book.problems:
        problems.setdefault(problem.row - 2, []).append(
            f"{problem.column}: {problem.message}"
        )
    if problems:
        return _render(plan, rows, problems, 400)
    changes = _changes(plan, book, rows)
    removed = [c.label for c in changes if c.operation == "remove"]
    if removed and not tk.request.form.get("confirm_remove"):
        message = tk._(
            "These items will be taken off the list: {items}. Press Save again to "
            "confirm."
        ).format(items="; ".join(removed))
        return _render(plan, rows, {GENERAL: [message]}, confirm_remove=True)
    try:
        upload.apply(context(), plan, changes)
    except upload.Failed as failure:
        for problem in failure.problems:
            at = problem.row - 2 if problem.row else GENERAL
            problems.setdefault(at, []).append(f"{problem.column}: {problem.message}")
        return _render(plan, rows, problems, 409)
    except tk.ObjectNotFound:  # an item was removed by someone else meanwhile
        message = tk._("The plan changed meanwhile: nothing was saved.")
        return _render(plan, rows, {GENERAL: [message]}, 409)
    tk.h.flash_success(tk._("{count} changes saved.").format(count=len(changes)))
    return tk.redirect_to("vndata_plan.read", plan_id=plan_id)


def register(blueprint: Blueprint) -> None:
    blueprint.add_url_rule(
        "/ke-hoach/<plan_id>/danh-muc", view_func=edit_list, methods=["GET", "POST"],
        endpoint="list",
    )  # fmt: skip
