"""Steps every plan action shares (validate, load, record, commit)."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.model import meta
from ckan.types import Context, DataDict, Schema

from ckanext.vndata.plan.model import Event, Item, Phase, Plan
from ckanext.vndata.plan.states import EDITABLE


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
    # No ORM relationships between the tables: the plan must be written first.
    meta.Session.flush()
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


def with_stored(row: Any, data_dict: DataDict, update_schema: Schema) -> DataDict:
    """The update's input over the stored values: fields left out keep their value."""
    stored = {
        key: getattr(row, key)
        for key in update_schema
        if not key.startswith("__") and getattr(row, key, None) is not None
    }
    return {**stored, **data_dict}


def ensure_editable(plan: Plan) -> None:
    """Submitted and later plans are changed only by a revision (sysadmins included)."""
    if plan.status not in EDITABLE:
        message = tk._(
            "Only a draft or returned plan can be changed; revise it instead."
        )
        raise tk.ValidationError({"status": [message]})
