"""Workflow transitions: one action per transition, each recorded in the history."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.model import meta
from ckan.types import Context, DataDict

from ckanext.vndata.lib.ids import new_id
from ckanext.vndata.plan.dictization import Reader, plan_dictize
from ckanext.vndata.plan.logic import schema
from ckanext.vndata.plan.logic.action._common import (
    commit,
    get_plan,
    record,
    user_id,
    validate,
)
from ckanext.vndata.plan.model import Item, Phase, Plan
from ckanext.vndata.plan.provenance import ensure_local
from ckanext.vndata.plan.states import (
    TRANSITIONS,
    PlanStatus,
    Transition,
    next_status,
    status_label,
)

__all__ = [
    "vndata_plan_submit",
    "vndata_plan_approve",
    "vndata_plan_return",
    "vndata_plan_publish",
    "vndata_plan_revise",
]


def _move(
    context: Context,
    plan: Plan,
    transition: Transition,
    comment: str | None,
) -> None:
    target = next_status(plan.status, transition)
    if target is None:
        raise tk.ValidationError(
            {
                "status": [
                    tk._("A {status} plan cannot be {action}.").format(
                        status=status_label(plan.status),
                        action=status_label(TRANSITIONS[transition][1]),
                    )
                ]
            }
        )
    previous = plan.status
    plan.status = target
    record(context, plan, transition, previous, comment)


def _transition(
    context: Context, data_dict: DataDict, transition: Transition, action: str
) -> dict[str, Any]:
    tk.check_access(action, context, data_dict)
    data = validate(context, data_dict, schema.vndata_plan_transition())
    plan = get_plan(data["id"])
    ensure_local(plan)
    if transition == Transition.RETURN and not data.get("comment"):
        raise tk.ValidationError(
            {"comment": [tk._("Say why the plan is returned, for the agency.")]}
        )
    _move(context, plan, transition, data.get("comment"))
    if transition == Transition.PUBLISH:
        for older in meta.Session.query(Plan).filter(
            Plan.series_id == plan.series_id,
            Plan.id != plan.id,
            Plan.status == PlanStatus.PUBLISHED,
        ):
            _move(context, older, Transition.SUPERSEDE, None)
    commit(context)
    return plan_dictize(plan, Reader.of(context, plan.id))


def vndata_plan_submit(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Submit a draft or returned plan for review.

    Admins of the agency may call it.

    :param id: the plan's id
    :param comment: a note for the reviewers (optional)
    :rtype: dictionary
    """
    return _transition(context, data_dict, Transition.SUBMIT, "vndata_plan_submit")


def vndata_plan_approve(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Approve a submitted plan.

    National reviewers (sysadmins and ckanext.vndata.plan.reviewers) may call it.

    :param id: the plan's id
    :param comment: the reviewer's comment (optional)
    :rtype: dictionary
    """
    return _transition(context, data_dict, Transition.APPROVE, "vndata_plan_approve")


def vndata_plan_return(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Return a submitted plan to the agency, saying why.

    National reviewers may call it. The agency edits the plan and submits it again.

    :param id: the plan's id
    :param comment: what the agency must change (required)
    :rtype: dictionary
    """
    return _transition(context, data_dict, Transition.RETURN, "vndata_plan_return")


def vndata_plan_publish(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Publish an approved plan; an older published version becomes superseded.

    Admins of the agency and national reviewers may call it.

    :param id: the plan's id
    :param comment: optional
    :rtype: dictionary
    """
    return _transition(context, data_dict, Transition.PUBLISH, "vndata_plan_publish")


def _copy(row: Any, **changes: Any) -> Any:
    values = {
        column.key: getattr(row, column.key)
        for column in row.__table__.columns
        if column.key not in ("created", "modified")
    }
    values.update(changes)
    return type(row)(**values)


def vndata_plan_revise(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Start a new version (a draft copy) of a published plan.

    Editors of the agency may call it. The published version stays in force until the
    new one is published. Items keep their keys, so linked datasets carry over.

    :param id: the published plan's id
    :param comment: why it is revised (optional)
    :rtype: dictionary (the new version)
    """
    tk.check_access("vndata_plan_revise", context, data_dict)
    data = validate(context, data_dict, schema.vndata_plan_transition())
    plan = get_plan(data["id"])
    ensure_local(plan)
    if plan.status != PlanStatus.PUBLISHED:
        raise tk.ValidationError(
            {"status": [tk._("Only a published plan can be revised.")]}
        )
    if (
        meta.Session.query(Plan)
        .filter(Plan.series_id == plan.series_id, Plan.version > plan.version)
        .count()
    ):
        raise tk.ValidationError(
            {"status": [tk._("A newer version of this plan already exists.")]}
        )
    latest = plan.version
    revision = _copy(
        plan,
        id=new_id(),
        version=latest + 1,
        status=PlanStatus.DRAFT,
        creator_user_id=user_id(context),
    )
    meta.Session.add(revision)
    meta.Session.flush()
    phase_ids = {}
    for phase in meta.Session.query(Phase).filter(Phase.plan_id == plan.id):
        phase_ids[phase.id] = new_id()
        meta.Session.add(_copy(phase, id=phase_ids[phase.id], plan_id=revision.id))
    meta.Session.flush()
    for item in meta.Session.query(Item).filter(Item.plan_id == plan.id):
        meta.Session.add(
            _copy(
                item,
                id=new_id(),
                plan_id=revision.id,
                phase_id=phase_ids.get(item.phase_id),
            )
        )
    record(context, revision, "revise", None, data.get("comment"))
    commit(context)
    return plan_dictize(revision, Reader.of(context, revision.id))
