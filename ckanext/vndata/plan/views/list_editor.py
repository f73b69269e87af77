"""The open-data list edited as repeating rows: every item on one form, with blank
rows to add more; a row whose name is cleared is taken off the list. The rows go
through the same checks and the same change set as an uploaded workbook."""

from __future__ import annotations

from typing import Any

from flask import Blueprint

import ckan.plugins.toolkit as tk

from ckanext.vndata.plan import excel, excel_rows, upload
from ckanext.vndata.plan.views._common import context, csrf_checked, load_plan

COLUMNS = ("number", "title", "sector", "lead_agency", "update_frequency", "phase",
           "target_date", "priority")  # fmt: skip
BLANK_ROWS = 5


def _rows_of(plan: dict[str, Any]) -> list[dict[str, Any]]:
    labels = {p["id"]: p["label"] for p in plan["phases"]}
    rows = [
        {**{c: item.get(c) for c in COLUMNS}, "phase": labels.get(item.get("phase_id"))}
        for item in plan["items"]
    ]
    return rows + [{} for _ in range(BLANK_ROWS)]


def _posted_rows() -> list[dict[str, Any]]:
    form, rows = tk.request.form, []
    for index in range(int(form.get("rows", "0") or 0)):
        row = {
            c: (form.get(f"items-{index}-{c}") or "").strip() or None for c in COLUMNS
        }
        rows.append(row)
    return rows


def _phase_rows(plan: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    fields = [f for f, _ in excel.PHASE_COLUMNS]
    return [(n, {f: p.get(f) for f in fields}) for n, p in enumerate(plan["phases"], 2)]


@csrf_checked
def edit_list(plan_id: str):
    plan = load_plan(plan_id)
    if not tk.h.check_access("vndata_plan_update", {"id": plan_id}):
        return tk.abort(403, tk._("You may not edit this plan."))
    rows, problems = _rows_of(plan), {}
    if tk.request.method == "POST":
        rows = _posted_rows()
        # Row numbers as a workbook would have them: the header is row 1.
        numbered = [(n, r) for n, r in enumerate(rows, start=2) if r.get("title")]
        book = excel_rows.convert_list(numbered, _phase_rows(plan))
        for problem in book.problems:
            problems.setdefault(problem.row - 2, []).append(
                f"{problem.column}: {problem.message}"
            )
        if not problems:
            changes = upload.changes(plan, book)
            changes = [c for c in changes if c.part == "item"]
            try:
                upload.apply(context(), plan, changes)
            except tk.ValidationError as error:
                problems[-1] = [str(error.error_dict)]
            else:
                tk.h.flash_success(
                    tk._("{count} changes saved.").format(count=len(changes))
                )
                return tk.redirect_to("vndata_plan.read", plan_id=plan_id)
    return tk.render(
        "vndata_plan/list_form.html",
        {"plan": plan, "rows": rows, "problems": problems, "columns": COLUMNS},
    )


def register(blueprint: Blueprint) -> None:
    blueprint.add_url_rule(
        "/ke-hoach/<plan_id>/danh-muc", view_func=edit_list, methods=["GET", "POST"],
        endpoint="list",
    )  # fmt: skip
