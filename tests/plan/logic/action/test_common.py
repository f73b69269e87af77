"""What every plan action shares: the input is an object of known fields, ids are
text, the history names who did what, and a plan leaves the workflow's editable
states only through a revision (plan/logic/action/_common.py)."""

from __future__ import annotations

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories

from tests.factories import Item, Phase, walk
from tests.plan.conftest import call, plan_in
from tests.plan.helpers import action_errors

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")


class TestInput:
    def test_a_key_navl_keeps_for_itself_is_an_unknown_field(self, agency):
        errors = action_errors(
            "vndata_plan_create",
            agency.editor,
            organization_id=agency.org["id"],
            title="X",
            __junk="x",
        )

        assert list(errors) == ["__junk"]

    def test_a_list_of_objects_is_refused_under_the_field_sent(self, agency):
        plan = plan_in(agency)

        errors = action_errors(
            "vndata_plan_item_create",
            agency.editor,
            plan_id=plan["id"],
            title="A",
            formats=[{"a": "CSV"}],
        )

        assert list(errors) == ["formats"]

    def test_input_that_is_no_object_is_refused(self, agency):
        show = tk.get_action("vndata_plan_show")
        with pytest.raises(tk.ValidationError) as raised:
            show({"ignore_auth": True, "user": ""}, ["x"])

        assert "__type" in raised.value.error_dict

    @pytest.mark.parametrize("value", [["a"], {"a": 1}, "a\x00b", True])
    def test_an_id_that_is_not_text_names_its_field(self, agency, value):
        errors = action_errors(
            "vndata_plan_phase_create", agency.editor, plan_id=value, label="P",
            start_date="2025-01-01", end_date="2025-12-31",
        )  # fmt: skip

        assert "plan_id" in errors

    def test_an_unknown_id_is_not_found(self, agency):
        for action in ("vndata_plan_show", "vndata_plan_phase_show",
                       "vndata_plan_item_show"):  # fmt: skip
            with pytest.raises(tk.ObjectNotFound):
                call(action, agency.editor, id="khong-co")


class TestHistory:
    def test_each_event_names_the_user_who_took_the_step(self, agency):
        plan = plan_in(agency, "submitted")

        shown = call("vndata_plan_show", agency.editor, id=plan["id"])

        assert [e["user_id"] for e in shown["history"]] == [
            agency.editor["id"],
            agency.admin["id"],
        ]


class TestOnlyDraftsChange:
    @pytest.mark.parametrize("status", ["submitted", "approved", "published"])
    def test_parts_of_a_plan_in_the_workflow_are_not_changed(self, agency, status):
        plan = plan_in(agency)
        phase = Phase(plan_id=plan["id"])
        item = Item(plan_id=plan["id"])
        walk(plan, status, agency)

        for action, data in (
            ("vndata_plan_update", {"id": plan["id"], "title": "Mới"}),
            ("vndata_plan_phase_update", {"id": phase["id"], "label": "Mới"}),
            ("vndata_plan_item_update", {"id": item["id"], "title": "Mới"}),
            ("vndata_plan_item_create", {"plan_id": plan["id"], "title": "Mới"}),
            ("vndata_plan_item_delete", {"id": item["id"]}),
        ):
            errors = action_errors(action, factories.Sysadmin(), **data)
            assert list(errors) == ["status"], action
