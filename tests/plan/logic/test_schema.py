"""The schemas of the plan actions: a failed check stops its field's chain, updates
keep what makes a row its own, and unknown fields are refused
(plan/logic/schema.py)."""

from __future__ import annotations

import pytest

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.vndata.plan.logic import schema

pytestmark = pytest.mark.usefixtures("with_plugins", "with_request_context")


def _validate(data: dict, action_schema) -> tuple[dict, dict]:
    return tk.navl_validate(data, action_schema, {"model": model})


def test_a_failed_check_stops_the_chain_of_its_field():
    seen = []

    def refuse(value, context):
        raise tk.Invalid("không hợp lệ")

    def record(value, context):
        seen.append(value)
        return value

    _data, errors = _validate({"x": "abc"}, {"x": schema.chain(refuse, record)})

    assert errors == {"x": ["không hợp lệ"]}
    assert seen == []


@pytest.mark.parametrize(("field", "value"), [("min_stars", "abc"),
                                              ("min_datasets", "1e999"),
                                              ("start_date", [])])  # fmt: skip
def test_a_value_of_the_wrong_type_is_one_error_of_its_field(field, value):
    data = {"plan_id": "p", "label": "G", "start_date": "2025-01-01",
            "end_date": "2025-12-31", field: value}  # fmt: skip

    _data, errors = _validate(data, schema.vndata_plan_phase_create())

    assert list(errors) == [field]
    assert len(errors[field]) == 1


@pytest.mark.parametrize(
    "action_schema",
    [
        schema.vndata_plan_create,
        schema.vndata_plan_phase_create,
        schema.vndata_plan_item_create,
        schema.vndata_plan_transition,
        schema.vndata_plan_item_link,
    ],
)
def test_every_create_and_step_schema_refuses_unknown_fields(action_schema):
    _data, errors = _validate({"id": "x", "khong_co": "1"}, action_schema())

    assert "khong_co" in errors


@pytest.mark.parametrize(
    ("action_schema", "owner"),
    [
        (schema.vndata_plan_update, "organization_id"),
        (schema.vndata_plan_phase_update, "plan_id"),
        (schema.vndata_plan_item_update, "plan_id"),
    ],
)
def test_an_update_needs_the_id_and_cannot_move_the_row(action_schema, owner):
    data, errors = _validate({owner: "khac"}, action_schema())

    assert "id" in errors
    assert owner not in data and owner not in errors


def test_list_and_suggest_defaults_and_bounds():
    listed, _ = _validate({}, schema.vndata_plan_list())
    suggest, _ = _validate({"id": "x"}, schema.vndata_plan_item_suggest())
    _data, errors = _validate(
        {"id": "x", "limit": 51}, schema.vndata_plan_item_suggest()
    )

    assert listed["all_versions"] is False
    assert suggest["limit"] == 5
    assert list(errors) == ["limit"]


def test_the_review_interval_defaults_to_six_months():
    data, errors = _validate({"title": "K", "organization_id": "-"},
                             schema.vndata_plan_update())  # fmt: skip

    assert data["review_interval_months"] == 6
    assert list(errors) == ["id"]
