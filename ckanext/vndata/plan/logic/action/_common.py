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


def validate_update(
    context: Context, row: Any, data_dict: DataDict, update_schema: Schema
) -> dict[str, Any]:
    """The update's input over the stored values, validated: fields left out keep
    their value, and an optional field sent empty ("" or null) is cleared (or keeps its
    value if the table needs one)."""
    optional, columns = tk.get_validator("ignore_missing"), row.__table__.columns
    emptied = {
        key
        for key, value in data_dict.items()
        if value in ("", None) and (update_schema.get(key) or [None])[0] is optional
    }
    cleared = {key for key in emptied if key in columns and columns[key].nullable}
    stored = {
        key: getattr(row, key)
        for key in update_schema
        if not key.startswith("__") and getattr(row, key, None) is not None
    }
    given = {k: v for k, v in data_dict.items() if k not in emptied}
    data = validate(context, {**stored, **given}, update_schema)
    return {**data, **dict.fromkeys(cleared)}


def ensure_editable(plan: Plan) -> None:
    """Submitted and later plans are changed only by a revision (sysadmins included)."""
    if plan.status not in EDITABLE:
        message = tk._(
            "Only a draft or returned plan can be changed; revise it instead."
        )
        raise tk.ValidationError({"status": [message]})
