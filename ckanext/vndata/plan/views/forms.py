"""Forms: a plan, its phases and items, and the workflow buttons.

Every form posts with CKAN's CSRF token, keeps what the user typed when the action
refuses it, and shows the action's errors next to their fields.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint

import ckan.plugins.toolkit as tk

from ckanext.vndata.lib import vocabularies
from ckanext.vndata.plan import fields
from ckanext.vndata.plan.views._common import (
    context,
    csrf_checked,
    load_local_plan,
    load_organization,
    may,
)


def _form(part: tuple[fields.Field, ...]) -> tuple[tuple[str, str], ...]:
    """(name, input kind) of the fields of ``part`` shown on its form, in order."""
    return tuple((f.key, f.widget) for f in part if f.widget)


PLAN_FIELDS = _form(fields.PLAN)
PHASE_FIELDS = _form(fields.PHASE)
ITEM_FIELDS = _form(fields.ITEM)
PARTS = {
    "phase": (PHASE_FIELDS, "vndata_plan_phase"),
    "item": (ITEM_FIELDS, "vndata_plan_item"),
}


def field_labels() -> dict[str, str]:
    return {key: tk.h.vndata_plan_field_label(key) for key in fields.labels()}


def _options(kind: str, plan: dict[str, Any] | None) -> list[tuple[str, str]]:
    if kind == "phase":
        return [(p["id"], p["label"]) for p in (plan or {}).get("phases", [])]
    # The labels' one home is lib/vocabularies.py; the helper picks the page's language.
    return [
        (t.value, tk.h.vndata_term_label(kind, t.value))
        for t in vocabularies.VOCABULARIES[kind]
    ]


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
    plan = load_local_plan(plan_id)
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
    plan = load_local_plan(plan_id)
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
