"""Validation schemas of the plan actions, one per action."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan.logic.schema import validator_args
from ckan.types import Schema

from ckanext.vndata.plan.logic import validators as v

_PLAN_TEXT = (
    "decision_number",
    "decision_signer",
    "submission_ref",
    "legal_basis",
    "objectives",
    "contact_name",
    "contact_phone",
    "safety_measures",
    "promotion_measures",
)
_PHASE_LEVELS = {
    "min_datasets": v.vndata_plan_count,
    "min_percent_published": v.vndata_plan_percent,
    "min_stars": v.vndata_plan_stars,
    "min_percent_machine_readable": v.vndata_plan_percent,
    "min_percent_api": v.vndata_plan_percent,
    "min_percent_complete_metadata": v.vndata_plan_percent,
    "min_percent_updated_on_schedule": v.vndata_plan_percent,
}
_ITEM_TEXT = (
    "description",
    "lead_agency",
    "source_database",
    "channel",
    "demand_evidence",
    "removed_reason",
)


_ID = (v.vndata_plan_string,)
_TEXT = (v.vndata_plan_text,)
# A required text must still be there once trimmed: a title of spaces is no title.
_REQUIRED_TEXT = (v.vndata_plan_text, "not_empty")


def _chain(*validators) -> list:
    named = [tk.get_validator(x) if isinstance(x, str) else x for x in validators]
    return v.chain(*named)


@validator_args
def vndata_plan_create(
    not_empty, ignore_missing, default, email_validator, empty
) -> Schema:
    schema: Schema = {
        "organization_id": _chain(not_empty, *_ID, v.vndata_plan_organization),
        "title": _chain(not_empty, *_REQUIRED_TEXT),
        "period_start": _chain(ignore_missing, v.vndata_plan_year),
        "period_end": _chain(ignore_missing, v.vndata_plan_year),
        "decision_date": _chain(ignore_missing, v.vndata_plan_date),
        "contact_email": _chain(ignore_missing, *_TEXT, email_validator),
        "review_interval_months": _chain(default(6), v.vndata_plan_review_interval),
        "last_review_date": _chain(ignore_missing, v.vndata_plan_date),
        "__junk": [empty],
        "__extras": [v.vndata_plan_no_unknown_fields],
        "__after": [v.vndata_plan_date_order("period_start", "period_end")],
    }
    for key in _PLAN_TEXT:
        schema[key] = _chain(ignore_missing, *_TEXT)
    return schema


@validator_args
def vndata_plan_update(not_empty, ignore) -> Schema:
    schema = vndata_plan_create()
    schema["id"] = _chain(not_empty, *_ID)
    schema["organization_id"] = [ignore]  # a plan belongs to its agency for good
    return schema


@validator_args
def vndata_plan_phase_create(not_empty, ignore_missing, empty) -> Schema:
    schema: Schema = {
        "plan_id": _chain(not_empty, *_ID),
        "label": _chain(not_empty, *_REQUIRED_TEXT),
        "position": _chain(ignore_missing, v.vndata_plan_int(0, v.MAX_NUMBER)),
        "start_date": _chain(not_empty, v.vndata_plan_date),
        "end_date": _chain(not_empty, v.vndata_plan_date),
        "__junk": [empty],
        "__extras": [v.vndata_plan_no_unknown_fields],
        "__after": [v.vndata_plan_date_order("start_date", "end_date")],
    }
    for key, validator in _PHASE_LEVELS.items():
        schema[key] = _chain(ignore_missing, validator)
    return schema


@validator_args
def vndata_plan_phase_update(not_empty, ignore) -> Schema:
    schema = vndata_plan_phase_create()
    schema["id"] = _chain(not_empty, *_ID)
    schema["plan_id"] = [ignore]
    return schema


@validator_args
def vndata_plan_item_create(not_empty, ignore_missing, empty) -> Schema:
    schema: Schema = {
        "plan_id": _chain(not_empty, *_ID),
        "number": _chain(ignore_missing, v.vndata_plan_int(1, v.MAX_NUMBER)),
        "title": _chain(not_empty, *_REQUIRED_TEXT),
        "sector": _chain(ignore_missing, v.vndata_plan_sector),
        "cooperating_agencies": _chain(ignore_missing, v.vndata_plan_text_list),
        "source_database_type": _chain(
            ignore_missing, v.vndata_plan_source_database_type
        ),
        "formats": _chain(ignore_missing, v.vndata_plan_text_list),
        "update_frequency": _chain(ignore_missing, v.vndata_plan_frequency),
        "priority": _chain(ignore_missing, v.vndata_plan_priority),
        "target_date": _chain(ignore_missing, v.vndata_plan_date),
        "phase_id": _chain(ignore_missing, *_ID),
        "importance_class": _chain(v.vndata_plan_importance_class),
        "__junk": [empty],
        "__extras": [v.vndata_plan_no_unknown_fields],
    }
    for key in _ITEM_TEXT:
        schema[key] = _chain(ignore_missing, *_TEXT)
    return schema


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
