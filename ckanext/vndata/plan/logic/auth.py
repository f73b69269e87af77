"""One auth function per plan action, with the same name.

Editors of the agency draft and edit; admins of the agency submit and publish; national
reviewers (sysadmins and the users in ckanext.vndata.plan.reviewers) approve or return;
everyone reads published plans, only members of the agency and reviewers read the rest.
A plan harvested from a provincial portal is changed by no one here (CKAN lets
sysadmins past these functions: the actions refuse them, provenance.ensure_local).
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import AuthResult, Context, DataDict

from ckanext.vndata.lib.text import can_store
from ckanext.vndata.plan import roles
from ckanext.vndata.plan.model import Item, Phase, Plan
from ckanext.vndata.plan.provenance import refusal
from ckanext.vndata.plan.states import EDITABLE, PUBLIC


def _id(data_dict: DataDict, key: str) -> str | None:
    # Auth runs before the action validates its input: an id that is not text (a list,
    # NUL...) would break the query, so it is "not found" and the action refuses it.
    value = data_dict.get(key) if isinstance(data_dict, dict) else None
    return value if can_store(value) else None


def _plan_of(data_dict: DataDict, kind: str) -> Plan | None:
    """The plan an action is about, from a plan, phase or item id."""
    if kind == "plan":
        return Plan.get(_id(data_dict, "id"))
    model = Phase if kind == "phase" else Item
    if _id(data_dict, "id"):
        row = model.get(_id(data_dict, "id"))
        return Plan.get(row.plan_id) if row else None
    return Plan.get(_id(data_dict, "plan_id"))


def _roles(context: Context, plan: Plan) -> set[str]:
    return roles.user_roles(context.get("user"), plan.organization_id)


def _result(allowed: bool, message: str) -> AuthResult:
    return {"success": True} if allowed else {"success": False, "msg": message}


def _not_found() -> AuthResult:
    # A missing plan is reported by the action itself, as a 404.
    return {"success": True}


def _can_read(context: Context, kind: str, data_dict: DataDict) -> AuthResult:
    plan = _plan_of(data_dict, kind)
    if plan is None:
        return _not_found()
    allowed = plan.status in PUBLIC or bool(
        _roles(context, plan) & {roles.MEMBER, roles.REVIEWER}
    )
    return _result(allowed, tk._("This plan is not published yet."))


def _may_change(
    context: Context, kind: str, data_dict: DataDict, wanted: set[str], message: str
) -> AuthResult:
    """Whether the user has one of the ``wanted`` roles for the plan; a harvested
    plan is changed by no one here, whatever their role."""
    plan = _plan_of(data_dict, kind)
    if plan is None:
        return _not_found()
    if plan.harvest_source_id:
        return _result(False, refusal(plan))
    return _result(bool(_roles(context, plan) & wanted), message)


def _can_edit(context: Context, kind: str, data_dict: DataDict) -> AuthResult:
    result = _may_change(
        context,
        kind,
        data_dict,
        {roles.EDITOR, roles.SYSADMIN},
        tk._("Only editors of the agency may change its plan."),
    )
    plan = _plan_of(data_dict, kind)
    if not result["success"] or plan is None:
        return result
    return _result(
        plan.status in EDITABLE,
        tk._("Only a draft or returned plan can be changed; revise it instead."),
    )


def _takes_step(
    context: Context, data_dict: DataDict, step: str, message: str
) -> AuthResult:
    """Whether the user has a role that takes ``step`` (roles.STEP_ROLES)."""
    wanted = {*roles.STEP_ROLES[step], roles.SYSADMIN}
    return _may_change(context, "plan", data_dict, wanted, message)


@tk.auth_allow_anonymous_access
def vndata_plan_show(context: Context, data_dict: DataDict) -> AuthResult:
    return _can_read(context, "plan", data_dict)


@tk.auth_allow_anonymous_access
def vndata_plan_list(context: Context, data_dict: DataDict) -> AuthResult:
    return {"success": True}  # the action lists only what the user may read


def vndata_plan_create(context: Context, data_dict: DataDict) -> AuthResult:
    tk.get_or_bust(data_dict, "organization_id")
    organization = _id(data_dict, "organization_id")
    group = context["model"].Group.get(organization) if organization else None
    if group is None:
        return _not_found()
    allowed = roles.user_roles(context.get("user"), group.id) & {
        roles.EDITOR,
        roles.SYSADMIN,
    }
    return _result(
        bool(allowed), tk._("Only editors of the agency may create its plan.")
    )


def vndata_plan_update(context: Context, data_dict: DataDict) -> AuthResult:
    return _can_edit(context, "plan", data_dict)


def vndata_plan_delete(context: Context, data_dict: DataDict) -> AuthResult:
    return _can_edit(context, "plan", data_dict)


def vndata_plan_submit(context: Context, data_dict: DataDict) -> AuthResult:
    message = tk._("Only admins of the agency may submit its plan.")
    return _takes_step(context, data_dict, "submit", message)


def vndata_plan_approve(context: Context, data_dict: DataDict) -> AuthResult:
    message = tk._("Only national reviewers may approve a plan.")
    return _takes_step(context, data_dict, "approve", message)


def vndata_plan_return(context: Context, data_dict: DataDict) -> AuthResult:
    message = tk._("Only national reviewers may return a plan.")
    return _takes_step(context, data_dict, "return", message)


def vndata_plan_revise(context: Context, data_dict: DataDict) -> AuthResult:
    message = tk._("Only editors of the agency may revise its plan.")
    return _takes_step(context, data_dict, "revise", message)


def vndata_plan_publish(context: Context, data_dict: DataDict) -> AuthResult:
    message = tk._("Only admins of the agency or reviewers may publish.")
    return _takes_step(context, data_dict, "publish", message)


@tk.auth_allow_anonymous_access
def vndata_plan_phase_show(context: Context, data_dict: DataDict) -> AuthResult:
    return _can_read(context, "phase", data_dict)


@tk.auth_allow_anonymous_access
def vndata_plan_phase_list(context: Context, data_dict: DataDict) -> AuthResult:
    return _can_read(context, "phase", {"plan_id": data_dict.get("plan_id")})


def vndata_plan_phase_create(context: Context, data_dict: DataDict) -> AuthResult:
    return _can_edit(context, "phase", data_dict)


vndata_plan_phase_update = vndata_plan_phase_create
vndata_plan_phase_delete = vndata_plan_phase_create


@tk.auth_allow_anonymous_access
def vndata_plan_item_show(context: Context, data_dict: DataDict) -> AuthResult:
    return _can_read(context, "item", data_dict)


@tk.auth_allow_anonymous_access
def vndata_plan_item_list(context: Context, data_dict: DataDict) -> AuthResult:
    return _can_read(context, "item", {"plan_id": data_dict.get("plan_id")})


def vndata_plan_item_create(context: Context, data_dict: DataDict) -> AuthResult:
    return _can_edit(context, "item", data_dict)


vndata_plan_item_update = vndata_plan_item_create
vndata_plan_item_delete = vndata_plan_item_create


def vndata_plan_item_link(context: Context, data_dict: DataDict) -> AuthResult:
    """Linking follows delivery, so it is allowed on published plans too."""
    message = tk._("Only editors of the agency may link datasets.")
    return _may_change(
        context, "item", data_dict, {roles.EDITOR, roles.SYSADMIN}, message
    )


vndata_plan_item_unlink = vndata_plan_item_link


def vndata_plan_item_suggest(context: Context, data_dict: DataDict) -> AuthResult:
    return _can_read(context, "item", data_dict)


@tk.auth_allow_anonymous_access
def vndata_plan_compliance(context: Context, data_dict: DataDict) -> AuthResult:
    return _can_read(context, "plan", data_dict)


@tk.auth_allow_anonymous_access
def vndata_compliance_report(context: Context, data_dict: DataDict) -> AuthResult:
    return {"success": True}  # built from published plans only, unless a reviewer asks


@tk.auth_allow_anonymous_access
def vndata_roster_list(context: Context, data_dict: DataDict) -> AuthResult:
    return {"success": True}  # who must issue a plan is public


def vndata_roster_body_create(context: Context, data_dict: DataDict) -> AuthResult:
    # Sysadmins pass every auth function before it is called (CKAN's authz).
    return {
        "success": False,
        "msg": tk._("Only a sysadmin may change the roster of obliged bodies."),
    }


vndata_roster_body_update = vndata_roster_body_create
vndata_roster_body_delete = vndata_roster_body_create


def get_auth_functions() -> dict[str, Any]:
    return {name: fn for name, fn in globals().items() if name.startswith("vndata_")}
