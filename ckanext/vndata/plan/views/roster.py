"""The roster page: every obliged body with its organizations; sysadmins add, edit,
merge and remove bodies (the actions decide who may)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint

import ckan.plugins.toolkit as tk

from ckanext.vndata.lib import admin_units
from ckanext.vndata.lib.i18n import N_
from ckanext.vndata.plan.body_kinds import KIND_LABELS, BodyKind
from ckanext.vndata.plan.views._common import allowed, context, csrf_checked, may

# (name, input kind) of the form's fields, in order; the code only when adding.
FORM_FIELDS = (
    ("code", "text"),
    ("kind", "select"),
    ("title", "text"),
    ("province_code", "select"),
    ("agency_code", "text"),
    ("organizations", "textarea"),
    ("active", "select"),
    ("source", "text"),
    ("note", "textarea"),
)


def _labels() -> dict[str, str]:
    return {
        "code": tk._("Code"),
        "kind": tk._("Kind of body"),
        "title": tk._("Name"),
        "province_code": tk._("Province code (Decision 19/2025)"),
        "agency_code": tk._("Agency code (Decision 20/2020)"),
        "organizations": tk._("Other organizations of the body (one name per line)"),
        "merged_into": tk._("Merged into"),
        "active": tk._("Must issue a plan"),
        "source": tk._("Source"),
        "note": tk._("Note"),
    }


def _options(name: str) -> list[tuple[str, str]]:
    if name == "kind":
        return [(kind.value, tk._(KIND_LABELS[kind])) for kind in BodyKind]
    if name == "province_code":
        provinces = admin_units.provinces()
        return [(code, f"{code} - {title}") for code, title in provinces.items()]
    if name == "active":
        return [("true", tk._("Yes")), ("false", tk._("No"))]
    return []


def _bodies(all_bodies: bool) -> list[dict[str, Any]]:
    return tk.get_action("vndata_roster_list")(context(), {"all": all_bodies})


def _body(code: str) -> dict[str, Any]:
    body = next((b for b in _bodies(True) if b["code"] == code), None)
    return body if body is not None else tk.abort(404, tk._("Body not found"))


def roster():
    may_edit = allowed("vndata_roster_body_update", {})
    bodies = _bodies(may_edit)
    groups = [
        (tk._(KIND_LABELS[kind]), [b for b in bodies if b["kind"] == kind])
        for kind in BodyKind
    ]
    titles = {b["code"]: b["title"] for b in bodies}
    return tk.render(
        "vndata_plan/roster.html",
        {"groups": groups, "titles": titles, "may_edit": may_edit},
    )


def _form_data(editing: bool) -> dict[str, Any]:
    form = tk.request.form
    names = [name for name, _kind in FORM_FIELDS if editing is False or name != "code"]
    return {name: form[name] for name in names if name in form}


def _organization_names(ids: list[str]) -> str:
    names = []
    for organization_id in ids:
        try:
            organization = tk.get_action("organization_show")(
                context(), {"id": organization_id, "include_datasets": False}
            )
            names.append(organization["name"])
        except (tk.ObjectNotFound, tk.NotAuthorized):
            names.append(organization_id)
    return "\n".join(names)


def _render_form(data: dict, errors: dict, code: str | None) -> str:
    fields = [
        {"name": name, "kind": kind, "options": _options(name)}
        for name, kind in FORM_FIELDS
        if not (code and name == "code")
    ]
    bodies = _bodies(True) if code else []
    successors = [(b["code"], f"{b['code']} - {b['title']}") for b in bodies]
    return tk.render(
        "vndata_plan/roster_form.html",
        {
            "fields": fields,
            "labels": _labels(),
            "data": data,
            "errors": errors,
            "code": code,
            "successors": [s for s in successors if s[0] != code],
        },
    )


_REFUSED = N_("Only a sysadmin may change the roster of obliged bodies.")


def _form(action: str, data: dict[str, Any], code: str | None):
    """The form, and on a POST the action with what was typed: back to the roster,
    or the form again with the errors."""
    errors: dict[str, Any] = {}
    if tk.request.method == "POST":
        data = _form_data(editing=bool(code))
        try:
            tk.get_action(action)(context(), {**data, "code": code or data.get("code")})
            return tk.redirect_to("vndata_plan.roster")
        except tk.ValidationError as error:
            errors = error.error_dict
    return _render_form(data, errors, code)


@csrf_checked
def body_new():
    may("vndata_roster_body_create", {}, tk._(_REFUSED))
    return _form("vndata_roster_body_create", {"active": "true"}, None)


@csrf_checked
def body_edit(code: str):
    may("vndata_roster_body_update", {}, tk._(_REFUSED))
    body = _body(code)
    data = {
        **body,
        "active": "true" if body["active"] else "false",
        "organizations": _organization_names(body["organizations"]),
    }
    return _form("vndata_roster_body_update", data, code)


def _step(action: str, data: dict[str, Any]):
    """A button's action: back to the roster, or to the body's form with the errors
    flashed."""
    may(action, {}, tk._(_REFUSED))
    _body(data["code"])  # a 404 for a code no body has (or no code at all)
    try:
        tk.get_action(action)(context(), data)
    except tk.ValidationError as error:
        for messages in error.error_dict.values():
            tk.h.flash_error(" ".join(str(m) for m in messages))
        return tk.redirect_to("vndata_plan.roster_edit", code=data["code"])
    tk.h.flash_success(tk._("The roster is updated."))
    return tk.redirect_to("vndata_plan.roster")


@csrf_checked
def body_merge(code: str):
    """Merge the body into another (two ministries merge), or undo it."""
    successor = tk.request.form.get("merged_into", "")
    data: dict[str, Any] = {"code": code, "merged_into": successor}
    if not successor:
        data["active"] = True  # undoing a merge: the body is obliged again
    return _step("vndata_roster_body_update", data)


@csrf_checked
def body_delete(code: str):
    return _step("vndata_roster_body_delete", {"code": code})


def register(blueprint: Blueprint) -> None:
    post = ["GET", "POST"]
    blueprint.add_url_rule("/ke-hoach/doi-tuong", view_func=roster, endpoint="roster")
    blueprint.add_url_rule(
        "/ke-hoach/doi-tuong/them", view_func=body_new, methods=post,
        endpoint="roster_new",
    )  # fmt: skip
    blueprint.add_url_rule(
        "/ke-hoach/doi-tuong/<code>/sua", view_func=body_edit, methods=post,
        endpoint="roster_edit",
    )  # fmt: skip
    blueprint.add_url_rule(
        "/ke-hoach/doi-tuong/<code>/hop-nhat", view_func=body_merge,
        methods=["POST"], endpoint="roster_merge",
    )  # fmt: skip
    blueprint.add_url_rule(
        "/ke-hoach/doi-tuong/<code>/xoa", view_func=body_delete, methods=["POST"],
        endpoint="roster_delete",
    )  # fmt: skip
