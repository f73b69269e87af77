"""Steps every plan action shares (validate, load, record, commit)."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.model import meta
from ckan.types import Context, DataDict, Schema

from ckanext.vndata.lib.navl import is_empty
from ckanext.vndata.lib.text import can_store
from ckanext.vndata.plan.model import Event, Item, Phase, Plan
from ckanext.vndata.plan.provenance import ensure_local
from ckanext.vndata.plan.states import EDITABLE


def validate(context: Context, data_dict: DataDict, schema: Schema) -> dict[str, Any]:
    if not isinstance(data_dict, dict):
        raise tk.ValidationError({"__type": [tk._("An object is expected.")]})
    # navl keeps keys such as __junk and __extras for itself: sent by a client, they
    # would reach its own validators as something they never expect.
    errors = {
        key: [tk._("Unknown field {name}.").format(name=key)]
        for key in data_dict
        if str(key).startswith("__")
    }
    # navl spreads a list of objects over keys of its own and then reports them as
    # __junk: no plan field takes one, so the error names the field sent.
    errors.update(
        {
            key: [tk._("A list of objects is not expected here.")]
            for key, value in data_dict.items()
            if isinstance(value, list) and any(isinstance(v, dict) for v in value)
        }
    )
    if errors:
        raise tk.ValidationError(errors)
    data, errors = tk.navl_validate(data_dict, context.get("schema") or schema, context)
    if errors:
        meta.Session.rollback()
        raise tk.ValidationError(errors)
    return data


def _get(model: Any, value: Any, field: str, not_found: str) -> Any:
    """The row with the id ``value`` (sent as ``field``): a 409 naming the field when
    the value is not an id at all (a list, NUL...), a 404 when no row has it."""
    if value is not None and not can_store(value):
        raise tk.ValidationError({field: [tk._("An id (text) is expected.")]})
    row = model.get(value)
    if row is None:
        raise tk.ObjectNotFound(not_found)
    return row


def get_plan(value: Any, field: str = "id") -> Plan:
    return _get(Plan, value, field, tk._("Plan not found"))


def get_phase(value: Any, field: str = "id") -> Phase:
    return _get(Phase, value, field, tk._("Phase not found"))


def get_item(value: Any, field: str = "id") -> Item:
    return _get(Item, value, field, tk._("Plan item not found"))


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
    Event.record(plan, transition, from_status, user_id(context), comment)


def commit(context: Context) -> None:
    """Commit, or under ``defer_commit`` (the caller commits later) flush, so that the
    dict the action returns carries the new row's id: an Excel upload adds a phase and
    then the items that name it in one transaction, and got no id to give them."""
    if context.get("defer_commit"):
        meta.Session.flush()
    else:
        meta.Session.commit()


def assign(row: Any, data: dict[str, Any]) -> None:
    for key, value in data.items():
        if key != "id" and hasattr(row, key):
            setattr(row, key, value)


def _optional(validators: list | None) -> bool:
    """Whether the field's chain starts with ignore_missing (seen through the
    stop-on-error wrapper of schema.chain)."""
    first = (validators or [None])[0]
    return getattr(first, "wrapped", first) is tk.get_validator("ignore_missing")


def validate_update(
    context: Context, row: Any, data_dict: DataDict, update_schema: Schema
) -> dict[str, Any]:
    """The update's input over the stored values, validated: fields left out keep
    their value, and an optional field sent empty ("" or null) is cleared (or keeps its
    value if the table needs one)."""
    columns = row.__table__.columns
    emptied = {
        key
        for key, value in data_dict.items()
        if is_empty(value) and _optional(update_schema.get(key))
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
    """Submitted and later plans are changed only by a revision, and harvested plans
    only at their source (sysadmins included)."""
    ensure_local(plan)
    if plan.status not in EDITABLE:
        message = tk._(
            "Only a draft or returned plan can be changed; revise it instead."
        )
        raise tk.ValidationError({"status": [message]})
