"""Validation schemas of the plan actions, one per action."""

from __future__ import annotations

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


@validator_args
def vndata_plan_create(
    not_empty,
    ignore_missing,
    unicode_safe,
    int_validator,
    default,
    email_validator,
    empty,
) -> Schema:
    schema: Schema = {
        "organization_id": [not_empty, unicode_safe, v.vndata_plan_organization],
        "title": [not_empty, unicode_safe, v.vndata_plan_text],
        "period_start": [ignore_missing, int_validator, v.vndata_plan_year],
        "period_end": [ignore_missing, int_validator, v.vndata_plan_year],
        "decision_date": [ignore_missing, v.vndata_plan_date],
        "contact_email": [ignore_missing, unicode_safe, email_validator],
        "review_interval_months": [
            default(6),
            int_validator,
            v.vndata_plan_review_interval,
        ],
        "last_review_date": [ignore_missing, v.vndata_plan_date],
        "__junk": [empty],
        "__extras": [v.vndata_plan_no_unknown_fields],
        "__after": [v.vndata_plan_date_order("period_start", "period_end")],
    }
    for key in _PLAN_TEXT:
        schema[key] = [ignore_missing, unicode_safe, v.vndata_plan_text]
    return schema


@validator_args
def vndata_plan_update(not_empty, unicode_safe, ignore) -> Schema:
    schema = vndata_plan_create()
    schema["id"] = [not_empty, unicode_safe]
    schema["organization_id"] = [ignore]  # a plan belongs to its agency for good
    return schema


@validator_args
def vndata_plan_phase_create(
    not_empty, ignore_missing, unicode_safe, int_validator, default, empty
) -> Schema:
    schema: Schema = {
        "plan_id": [not_empty, unicode_safe],
        "label": [not_empty, unicode_safe, v.vndata_plan_text],
        "position": [ignore_missing, int_validator],
        "start_date": [not_empty, v.vndata_plan_date],
        "end_date": [not_empty, v.vndata_plan_date],
        "__junk": [empty],
        "__extras": [v.vndata_plan_no_unknown_fields],
        "__after": [v.vndata_plan_date_order("start_date", "end_date")],
    }
    for key, validator in _PHASE_LEVELS.items():
        schema[key] = [ignore_missing, validator]
    return schema


@validator_args
def vndata_plan_phase_update(not_empty, unicode_safe, ignore) -> Schema:
    schema = vndata_plan_phase_create()
    schema["id"] = [not_empty, unicode_safe]
    schema["plan_id"] = [ignore]
    return schema


@validator_args
def vndata_plan_item_create(
    not_empty, ignore_missing, unicode_safe, int_validator, empty
) -> Schema:
    schema: Schema = {
        "plan_id": [not_empty, unicode_safe],
        "number": [ignore_missing, int_validator],
        "title": [not_empty, unicode_safe, v.vndata_plan_text],
        "sector": [ignore_missing, v.vndata_plan_sector],
        "cooperating_agencies": [ignore_missing, v.vndata_plan_text_list],
        "source_database_type": [ignore_missing, v.vndata_plan_source_database_type],
        "formats": [ignore_missing, v.vndata_plan_text_list],
        "update_frequency": [ignore_missing, v.vndata_plan_frequency],
        "priority": [ignore_missing, v.vndata_plan_priority],
        "target_date": [ignore_missing, v.vndata_plan_date],
        "phase_id": [ignore_missing, unicode_safe],
        "importance_class": [v.vndata_plan_importance_class],
        "__junk": [empty],
        "__extras": [v.vndata_plan_no_unknown_fields],
    }
    for key in _ITEM_TEXT:
        schema[key] = [ignore_missing, unicode_safe, v.vndata_plan_text]
    return schema


@validator_args
def vndata_plan_item_update(not_empty, unicode_safe, ignore) -> Schema:
    schema = vndata_plan_item_create()
    schema["id"] = [not_empty, unicode_safe]
    schema["plan_id"] = [ignore]
    return schema


@validator_args
def vndata_plan_transition(not_empty, ignore_missing, unicode_safe, empty) -> Schema:
    return {
        "id": [not_empty, unicode_safe],
        "comment": [ignore_missing, unicode_safe, v.vndata_plan_text],
        "__junk": [empty],
        "__extras": [v.vndata_plan_no_unknown_fields],
    }


@validator_args
def vndata_plan_item_link(not_empty, unicode_safe, empty) -> Schema:
    return {
        "id": [not_empty, unicode_safe],
        "package_id": [not_empty, unicode_safe],
        "__junk": [empty],
        "__extras": [v.vndata_plan_no_unknown_fields],
    }


@validator_args
def vndata_plan_as_of(ignore_missing, unicode_safe) -> Schema:
    return {
        "id": [ignore_missing, unicode_safe],
        "as_of": [ignore_missing, v.vndata_plan_date],
    }
