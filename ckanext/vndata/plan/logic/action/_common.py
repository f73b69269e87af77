"""Steps every plan action shares (validate, load, record, commit)."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.model import meta
from ckan.types import Context, DataDict, Schema

from ckanext.vndata.plan.model import Event, Item, Phase, Plan


def validate(context: Context, data_dict: DataDict, schema: Schema) -> dict[str, Any]:
    data, errors = tk.navl_validate(data_dict, context.get("schema") or schema, context)
    if errors:
        meta.Session.rollback()
        raise tk.ValidationError(errors)
    return data


def get_plan(plan_id: str | None) -> Plan:
    plan = Plan.get(plan_id)
    if plan is None:
        raise tk.ObjectNotFound(tk._("Plan not found"))
    return plan


def get_phase(phase_id: str | None) -> Phase:
    phase = Phase.get(phase_id)
    if phase is None:
        raise tk.ObjectNotFound(tk._("Phase not found"))
    return phase


def get_item(item_id: str | None) -> Item:
    item = Item.get(item_id)
    if item is None:
        raise tk.ObjectNotFound(tk._("Plan item not found"))
    return item


def user_id(context: Context) -> str | None:
    user = context.get("auth_user_obj")
    if user is None and context.get("user"):
        user = context["model"].User.get(context["user"])
    return getattr(user, "id", None)


def record(
    context: Context,
    plan: Plan,
    transition: str,
    from_status: str | None,
    comment: str | None = None,
) -> None:
    meta.Session.add(
        Event(
            plan_id=plan.id,
            transition=transition,
            from_status=from_status,
            to_status=plan.status,
            user_id=user_id(context),
            comment=comment,
        )
    )


def commit(context: Context) -> None:
    if not context.get("defer_commit"):
        meta.Session.commit()


def assign(row: Any, data: dict[str, Any]) -> None:
    for key, value in data.items():
        if key != "id" and hasattr(row, key):
            setattr(row, key, value)
