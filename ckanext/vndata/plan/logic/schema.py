"""Validation schemas of the plan actions, one per action."""

from __future__ import annotations

from typing import Any

import ckan.lib.navl.dictization_functions as df
import ckan.plugins.toolkit as tk
from ckan.logic.schema import validator_args
from ckan.types import Context, FlattenDataDict, FlattenErrorDict, FlattenKey, Schema

from ckanext.vndata.plan import fields
from ckanext.vndata.plan.logic import validators as v

_ID = (v.vndata_plan_string,)
_TEXT = (v.vndata_plan_text,)
# A required text must still be there once trimmed: a title of spaces is no title.
_REQUIRED_TEXT = (v.vndata_plan_text, "not_empty")


def _chain(*validators) -> list:
    named = [tk.get_validator(x) if isinstance(x, str) else x for x in validators]
    return chain(*named)


def chain(*validators: Any) -> list[Any]:
    """The validators, each stopping the chain when it fails.

    navl goes on to the next validator after one raises Invalid, so a check after a
    failed type conversion would run on the raw value (int("abc"): a 500). Every plan
    schema is built with this.
    """
    return [_stopping(validator) for validator in validators]


def _stopping(validator: Any) -> Any:
    def stop_on_error(
        key: FlattenKey,
        data: FlattenDataDict,
        errors: FlattenErrorDict,
        context: Context,
    ) -> None:
        before = len(errors.setdefault(key, []))
        df.convert(validator, key, data, errors, context)
        if len(errors[key]) > before:
            raise df.StopOnError

    stop_on_error.__name__ = getattr(validator, "__name__", "validator")
    stop_on_error.wrapped = validator  # type: ignore[attr-defined]
    return stop_on_error


def _rules() -> dict[str, tuple]:
    """The validators of each kind of field (fields.Field.kind)."""
    ignore_missing, not_empty = "ignore_missing", "not_empty"
    return {
        "text": (ignore_missing, *_TEXT),
        "required_text": (not_empty, *_REQUIRED_TEXT),
        "date": (ignore_missing, v.vndata_plan_date),
        "required_date": (not_empty, v.vndata_plan_date),
        "year": (ignore_missing, v.vndata_plan_year),
        "email": (ignore_missing, *_TEXT, "email_validator"),
        "review_interval": (
            tk.get_validator("default")(6),
            v.vndata_plan_review_interval,
        ),
        "position": (ignore_missing, v.vndata_plan_int(0, v.MAX_NUMBER)),
        "number": (ignore_missing, v.vndata_plan_int(1, v.MAX_NUMBER)),
        "count": (ignore_missing, v.vndata_plan_count),
        "percent": (ignore_missing, v.vndata_plan_percent),
        "stars": (ignore_missing, v.vndata_plan_stars),
        "id": (ignore_missing, *_ID),
        "sector": (ignore_missing, v.vndata_plan_sector),
        "frequency": (ignore_missing, v.vndata_plan_frequency),
        "priority": (ignore_missing, v.vndata_plan_priority),
        "text_list": (ignore_missing, v.vndata_plan_text_list),
        "source_database_type": (ignore_missing, v.vndata_plan_source_database_type),
        "importance_class": (v.vndata_plan_importance_class,),
    }


def _fields(part: tuple[fields.Field, ...]) -> Schema:
    rules = _rules()
    return {field.key: _chain(*rules[field.kind]) for field in part}


def vndata_plan_part_fields(part: tuple[fields.Field, ...]) -> Schema:
    """The rules of a part's fields (fields.PLAN, PHASE or ITEM) alone, with no rule
    on unknown keys: a plan record from another portal (plan/exchange.py) is checked
    field by field by the same rules as a plan entered here."""
    return _fields(part)


@validator_args
def vndata_plan_create(not_empty, empty) -> Schema:
    return {
        "organization_id": _chain(not_empty, *_ID, v.vndata_plan_organization),
        **_fields(fields.PLAN),
        "__junk": [empty],
        "__extras": [v.vndata_plan_no_unknown_fields],
        "__after": [v.vndata_plan_date_order("period_start", "period_end")],
    }


@validator_args
def vndata_plan_update(not_empty, ignore) -> Schema:
    schema = vndata_plan_create()
    schema["id"] = _chain(not_empty, *_ID)
    schema["organization_id"] = [ignore]  # a plan belongs to its agency for good
    return schema


@validator_args
def vndata_plan_phase_create(not_empty, empty) -> Schema:
    return {
        "plan_id": _chain(not_empty, *_ID),
        **_fields(fields.PHASE),
        "__junk": [empty],
        "__extras": [v.vndata_plan_no_unknown_fields],
        "__after": [v.vndata_plan_date_order("start_date", "end_date")],
    }


@validator_args
def vndata_plan_phase_update(not_empty, ignore) -> Schema:
    schema = vndata_plan_phase_create()
    schema["id"] = _chain(not_empty, *_ID)
    schema["plan_id"] = [ignore]
    return schema


@validator_args
def vndata_plan_item_create(not_empty, empty) -> Schema:
    return {
        "plan_id": _chain(not_empty, *_ID),
        **_fields(fields.ITEM),
        "__junk": [empty],
        "__extras": [v.vndata_plan_no_unknown_fields],
    }


@validator_args
def vndata_plan_item_update(not_empty, ignore) -> Schema:
    schema = vndata_plan_item_create()
    schema["id"] = _chain(not_empty, *_ID)
    schema["plan_id"] = [ignore]
    return schema


@validator_args
def vndata_plan_transition(not_empty, ignore_missing, empty) -> Schema:
    return {
        "id": _chain(not_empty, *_ID),
        "comment": _chain(ignore_missing, *_TEXT),
        "__junk": [empty],
        "__extras": [v.vndata_plan_no_unknown_fields],
    }


@validator_args
def vndata_plan_item_link(not_empty, empty) -> Schema:
    return {
        "id": _chain(not_empty, *_ID),
        "package_id": _chain(not_empty, *_ID),
        "__junk": [empty],
        "__extras": [v.vndata_plan_no_unknown_fields],
    }


@validator_args
def vndata_plan_as_of(ignore_missing) -> Schema:
    return {
        "id": _chain(ignore_missing, *_ID),
        "as_of": _chain(ignore_missing, v.vndata_plan_date),
    }


@validator_args
def vndata_plan_id(not_empty) -> Schema:
    """Actions on one plan, phase or item by its id."""
    return {"id": _chain(not_empty, *_ID)}


@validator_args
def vndata_plan_parts(not_empty) -> Schema:
    """Actions listing the phases or items of a plan."""
    return {"plan_id": _chain(not_empty, *_ID)}


@validator_args
def vndata_plan_list(ignore_missing, default) -> Schema:
    return {
        "organization_id": _chain(ignore_missing, *_ID),
        "status": _chain(ignore_missing, *_ID),
        "all_versions": _chain(default(False), v.vndata_plan_bool),
    }


@validator_args
def vndata_plan_item_suggest(not_empty, default) -> Schema:
    return {
        "id": _chain(not_empty, *_ID),
        "limit": _chain(default(5), v.vndata_plan_int(1, 50)),
    }
