"""Forms: a plan, its phases and items, and the workflow buttons.

Every form posts with CKAN's CSRF token, keeps what the user typed when the action
refuses it, and shows the action's errors next to their fields.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint

import ckan.plugins.toolkit as tk

from ckanext.vndata.metadata import vocabularies
from ckanext.vndata.plan.views._common import (
    context,
    csrf_checked,
    load_organization,
    load_plan,
    may,
)

PLAN_FIELDS = (
    ("title", "text"),
    ("period_start", "number"),
    ("period_end", "number"),
    ("decision_number", "text"),
    ("decision_date", "date"),
    ("decision_signer", "text"),
    ("objectives", "textarea"),
    ("contact_name", "text"),
    ("contact_email", "email"),
    ("contact_phone", "text"),
)
PHASE_FIELDS = (
    ("label", "text"),
    ("start_date", "date"),
    ("end_date", "date"),
    ("min_datasets", "number"),
    ("min_percent_published", "number"),
    ("min_stars", "number"),
    ("min_percent_machine_readable", "number"),
    ("min_percent_api", "number"),
    ("min_percent_complete_metadata", "number"),
    ("min_percent_updated_on_schedule", "number"),
)
ITEM_FIELDS = (
    ("number", "number"),
    ("title", "text"),
    ("description", "textarea"),
    ("sector", "sectors"),
    ("lead_agency", "text"),
    ("source_database", "text"),
    ("update_frequency", "update_frequency"),
    ("phase_id", "phase"),
    ("target_date", "date"),
)
PARTS = {
    "phase": (PHASE_FIELDS, "vndata_plan_phase"),
    "item": (ITEM_FIELDS, "vndata_plan_item"),
}


def field_labels() -> dict[str, str]:
    return {
        "title": tk._("Title"),
        "period_start": tk._("First year"),
        "period_end": tk._("Last year"),
        "decision_number": tk._("Decision number"),
        "decision_date": tk._("Decision date"),
        "decision_signer": tk._("Signed by"),
        "objectives": tk._("Objectives"),
        "contact_name": tk._("Contact person"),
        "contact_email": tk._("Contact e-mail"),
        "contact_phone": tk._("Contact phone"),
        "label": tk._("Phase"),
        "start_date": tk._("From"),
        "end_date": tk._("To"),
        "min_datasets": tk._("Minimum datasets"),
        "min_percent_published": tk._("List published (%)"),
        "min_stars": tk._("Minimum stars"),
        "min_percent_machine_readable": tk._("Machine-readable (%)"),
        "min_percent_api": tk._("With an API (%)"),
        "min_percent_complete_metadata": tk._("Complete metadata (%)"),
        "min_percent_updated_on_schedule": tk._("Updated on schedule (%)"),
        "number": tk._("No."),
        "description": tk._("Description"),
        "sector": tk._("Sector"),
        "lead_agency": tk._("Lead agency"),
        "source_database": tk._("Source database"),
        "update_frequency": tk._("Update frequency"),
        "phase_id": tk._("Phase"),
        "target_date": tk._("Publication deadline"),
    }


def _options(kind: str, plan: dict[str, Any] | None) -> list[tuple[str, str]]:
    if kind == "phase":
        return [(p["id"], p["label"]) for p in (plan or {}).get("phases", [])]
    return [(t.value, t.vi) for t in vocabularies.VOCABULARIES[kind]]


def _form_data(fields, editing: bool = False) -> dict[str, Any]:
    """The form's fields (buttons and the CSRF token aside): those filled in, and when
    editing also those emptied, which the update action then clears."""
    form = tk.request.form
    return {
        name: form[name]
        for name, _kind in fields
        if name in form and (editing or form[name] != "")
    }


def _render(template: str, fields, data, errors, **extra) -> str:
    return tk.render(
        template,
        {
            "fields": [
                {
                    "name": name,
                    "kind": kind,
                    "options": _options(kind, extra.get("plan"))
                    if kind in ("sectors", "update_frequency", "phase")
                    else [],
                }
                for name, kind in fields
            ],  # fmt: skip
            "labels": field_labels(),
            "data": data,
            "errors": errors,
            **extra,
        },
    )


@csrf_checked
def plan_new(id: str):
    organization = load_organization(id)
    may(
        "vndata_plan_create",
        {"organization_id": organization["id"]},
        tk._("You may not create a plan for this agency."),
    )
    data: dict[str, Any] = {}
    errors: dict[str, Any] = {}
    if tk.request.method == "POST":
        data = _form_data(PLAN_FIELDS)
        try:
            plan = tk.get_action("vndata_plan_create")(
                context(), {**data, "organization_id": organization["id"]}
            )
            return tk.redirect_to("vndata_plan.read", plan_id=plan["id"])
        except tk.ValidationError as error:
            errors = error.error_dict
        except tk.NotAuthorized:
            return tk.abort(403, tk._("You may not create a plan for this agency."))
    return _render(
        "vndata_plan/plan_form.html", PLAN_FIELDS, data, errors,
        organization=organization, plan=None,
    )  # fmt: skip


@csrf_checked
def plan_edit(plan_id: str):
    plan = load_plan(plan_id)
    may("vndata_plan_update", {"id": plan_id}, tk._("You may not edit this plan."))
    data, errors = dict(plan), {}
    if tk.request.method == "POST":
        data = _form_data(PLAN_FIELDS, editing=True)
        try:
            tk.get_action("vndata_plan_update")(context(), {**data, "id": plan_id})
            return tk.redirect_to("vndata_plan.read", plan_id=plan_id)
        except tk.ValidationError as error:
            errors = error.error_dict
        except tk.NotAuthorized:
            return tk.abort(403, tk._("You may not edit this plan."))
    organization = load_organization(plan["organization_id"])
    return _render(
        "vndata_plan/plan_form.html", PLAN_FIELDS, data, errors,
        organization=organization, plan=plan,
    )  # fmt: skip


@csrf_checked
def part_form(plan_id: str, part: str, part_id: str | None = None):
    if part not in PARTS:
        return tk.abort(404)
    fields, prefix = PARTS[part]
    plan = load_plan(plan_id)
    rows = plan["phases"] if part == "phase" else plan["items"]
    data: dict[str, Any] = next((r for r in rows if r["id"] == part_id), {})
    if part_id and not data:
        return tk.abort(404)
    may(
        f"{prefix}_update" if part_id else f"{prefix}_create",
        {"id": part_id} if part_id else {"plan_id": plan_id},
        tk._("You may not edit this plan."),
    )
    errors: dict[str, Any] = {}
    if tk.request.method == "POST":
        data = _form_data(fields, editing=bool(part_id))
        action, target = (
            (f"{prefix}_update", {"id": part_id})
            if part_id
            else (f"{prefix}_create", {"plan_id": plan_id})
        )
        try:
            tk.get_action(action)(context(), {**data, **target})
            return tk.redirect_to("vndata_plan.read", plan_id=plan_id)
        except tk.ValidationError as error:
            errors = error.error_dict
        except tk.NotAuthorized:
            return tk.abort(403, tk._("You may not edit this plan."))
    return _render(
        "vndata_plan/part_form.html", fields, data, errors,
        plan=plan, part=part, part_id=part_id,
    )  # fmt: skip


@csrf_checked
def workflow(plan_id: str):
    transition = tk.request.form.get("transition", "")
    if transition not in ("submit", "return", "approve", "publish", "revise"):
        return tk.abort(400, tk._("Unknown step."))
    data = {"id": plan_id}
    comment = (tk.request.form.get("comment") or "").strip()
    if comment:
        data["comment"] = comment
    try:
        result = tk.get_action(f"vndata_plan_{transition}")(context(), data)
    except tk.NotAuthorized:
        return tk.abort(403, tk._("You may not take this step."))
    except tk.ValidationError as error:
        for messages in error.error_dict.values():
            tk.h.flash_error(" ".join(str(m) for m in messages))
        return tk.redirect_to("vndata_plan.read", plan_id=plan_id)
    tk.h.flash_success(tk._("Done: the plan is now {status}.").format(
        status=tk.h.vndata_plan_status_label(result["status"])
    ))  # fmt: skip
    return tk.redirect_to("vndata_plan.read", plan_id=result["id"])


def register(blueprint: Blueprint) -> None:
    post = ["GET", "POST"]
    blueprint.add_url_rule(
        "/organization/ke-hoach/<id>/tao-moi", view_func=plan_new, methods=post,
        endpoint="new",
    )  # fmt: skip
    blueprint.add_url_rule(
        "/ke-hoach/<plan_id>/sua", view_func=plan_edit, methods=post, endpoint="edit"
    )
    blueprint.add_url_rule(
        "/ke-hoach/<plan_id>/<part>/them", view_func=part_form, methods=post,
        endpoint="part_new",
    )  # fmt: skip
    blueprint.add_url_rule(
        "/ke-hoach/<plan_id>/<part>/<part_id>/sua", view_func=part_form, methods=post,
        endpoint="part_edit",
    )  # fmt: skip
    blueprint.add_url_rule(
        "/ke-hoach/<plan_id>/quy-trinh", view_func=workflow, methods=["POST"],
        endpoint="workflow",
    )  # fmt: skip
