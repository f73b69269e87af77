"""Create, read, update and delete open-data plans."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.model import meta
from ckan.types import Context, DataDict

from ckanext.vndata.lib.dates import utc_now
from ckanext.vndata.lib.ids import new_id
from ckanext.vndata.plan import roles
from ckanext.vndata.plan.dictization import Reader, plan_dictize
from ckanext.vndata.plan.logic import schema
from ckanext.vndata.plan.logic.action._common import (
    assign,
    commit,
    ensure_editable,
    get_plan,
    record,
    user_id,
    validate,
    validate_update,
)
from ckanext.vndata.plan.model import DatasetLink, Item, Plan
from ckanext.vndata.plan.states import PUBLIC, RETIRED, PlanStatus

__all__ = [
    "vndata_plan_create",
    "vndata_plan_show",
    "vndata_plan_list",
    "vndata_plan_update",
    "vndata_plan_delete",
]


def vndata_plan_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Create an open-data plan (as a draft) for an agency.

    Editors and admins of the agency may call it.

    :param organization_id: the agency (organization id or name)
    :type organization_id: string
    :param title: the plan's title
    :type title: string
    :param period_start: first year of the plan's period (optional)
    :type period_start: int
    :param period_end: last year of the plan's period (optional)
    :type period_end: int
    :param decision_number: number of the issuing decision, e.g. 1726/QĐ-UBND
    :param decision_date: date of the decision (dd/mm/yyyy or ISO)
    :param decision_signer: who signed the decision
    :param submission_ref: the submission (tờ trình) it was issued on
    :param legal_basis: legal basis (text)
    :param objectives: objectives (text)
    :param contact_name: feedback contact point
    :param contact_email: feedback contact e-mail
    :param contact_phone: feedback contact phone
    :param safety_measures: safety and personal-data measures
    :param promotion_measures: measures to encourage use
    :param review_interval_months: how often the list is reviewed, 1-6 (default 6)
    :type review_interval_months: int
    :param last_review_date: date of the last review; the next one is computed
    :returns: the plan, with its phases, items and history
    :rtype: dictionary
    :raises: ValidationError on invalid fields
    """
    tk.check_access("vndata_plan_create", context, data_dict)
    data = validate(context, data_dict, schema.vndata_plan_create())
    plan = Plan(status=PlanStatus.DRAFT, version=1, creator_user_id=user_id(context))
    assign(plan, data)
    plan.id = new_id()
    plan.series_id = plan.id
    plan.schedule_next_review()
    meta.Session.add(plan)
    record(context, plan, "create", None)
    commit(context)
    return plan_dictize(plan, Reader.of(context, plan.id))


@tk.side_effect_free
def vndata_plan_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """A plan with its phases, items (with their status today) and history.

    Anyone may read a published plan; drafts only members of the agency and reviewers.

    :param id: the plan's id
    :type id: string
    :param as_of: the date item statuses are computed on (default today)
    :type as_of: string
    :returns: the plan; ``harvest_source`` is None for a plan made here, and for a
        plan harvested from another portal its source (``id``, ``title``, ``url``),
        ``remote_url`` (the plan at its source) and ``harvested_at``
    :rtype: dictionary
    """
    tk.check_access("vndata_plan_show", context, data_dict)
    data = validate(context, data_dict, schema.vndata_plan_as_of())
    plan = get_plan(data.get("id"))
    return plan_dictize(plan, Reader.of(context, plan.id), as_of=data.get("as_of"))


@tk.side_effect_free
def vndata_plan_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """The plans the user may read, newest version first.

    :param organization_id: only this agency's plans (optional)
    :type organization_id: string
    :param status: only plans in this status (optional)
    :type status: string
    :param all_versions: include superseded and withdrawn versions (default false)
    :type all_versions: bool
    :rtype: list of dictionaries (without phases and items; with ``harvest_source``
        as in vndata_plan_show)
    """
    tk.check_access("vndata_plan_list", context, data_dict)
    data = validate(context, data_dict, schema.vndata_plan_list())
    query = meta.Session.query(Plan)
    organization = data.get("organization_id")
    if organization:
        group = context["model"].Group.get(organization)
        query = query.filter(
            Plan.organization_id == (group.id if group else organization)
        )
    if data.get("status"):
        query = query.filter(Plan.status == data["status"])
    if not data["all_versions"]:
        query = query.filter(Plan.status.notin_(RETIRED))
    user = context.get("user")
    readable = [
        plan
        for plan in query.order_by(Plan.organization_id, Plan.version.desc())
        if plan.status in PUBLIC
        or roles.user_roles(user, plan.organization_id) & {roles.MEMBER, roles.REVIEWER}
    ]
    return [
        plan_dictize(plan, Reader.of(context, plan.id), with_parts=False)
        for plan in readable
    ]


def vndata_plan_update(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Change a draft or returned plan (fields as in vndata_plan_create).

    Editors of the agency may call it. Fields left out keep their value; an optional
    field sent empty ("" or null) is cleared. A returned plan goes back to draft once
    edited.

    :param id: the plan's id
    :type id: string
    :rtype: dictionary
    """
    tk.check_access("vndata_plan_update", context, data_dict)
    plan = get_plan(data_dict.get("id"))
    ensure_editable(plan)
    update_schema = schema.vndata_plan_update()
    data = validate_update(context, plan, data_dict, update_schema)
    assign(plan, data)
    plan.schedule_next_review()
    if plan.status == PlanStatus.RETURNED:
        plan.status = PlanStatus.DRAFT
        record(context, plan, "reopen", PlanStatus.RETURNED)
    plan.modified = utc_now()
    commit(context)
    return plan_dictize(plan, Reader.of(context, plan.id))


def vndata_plan_delete(context: Context, data_dict: DataDict) -> None:
    """Delete a draft or returned plan with its phases and items.

    Editors of the agency may call it; submitted and published plans are kept.

    :param id: the plan's id
    :type id: string
    """
    tk.check_access("vndata_plan_delete", context, data_dict)
    plan = get_plan(validate(context, data_dict, schema.vndata_plan_id())["id"])
    ensure_editable(plan)
    keys = {
        key for (key,) in meta.Session.query(Item.key).filter(Item.plan_id == plan.id)
    }
    meta.Session.delete(plan)
    meta.Session.flush()
    still_used = (
        {key for (key,) in meta.Session.query(Item.key).filter(Item.key.in_(keys))}
        if keys
        else set()
    )
    orphaned = keys - still_used
    if orphaned:
        meta.Session.query(DatasetLink).filter(
            DatasetLink.item_key.in_(orphaned)
        ).delete(synchronize_session=False)
    commit(context)
