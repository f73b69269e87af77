"""The plan page states the workflow's next step and who takes it."""

from __future__ import annotations

import pytest

from ckanext.vndata.plan import next_step, roles, states
from tests.helpers import token_headers
from tests.plan.conftest import plan_in


def test_a_draft_is_submitted_by_the_agencys_admins():
    text = next_step.describe("draft")

    assert "Submit for review" in text
    assert "the agency's administrators" in text


def test_a_submitted_plan_is_approved_or_returned_by_the_reviewers():
    text = next_step.describe("submitted")

    assert "Approve" in text and "Return for changes" in text
    assert text.count("taken by the national reviewers") == 1


def test_an_approved_plan_is_published_by_admins_or_reviewers():
    text = next_step.describe("approved")

    assert "the agency's administrators" in text and "national reviewers" in text


@pytest.mark.parametrize("status", ["superseded", "withdrawn", "", "\x00"])
def test_no_step_leaves_a_retired_or_unknown_state(status):
    assert next_step.describe(status) is None


def test_every_step_has_its_actors_and_every_actor_a_name():
    assert set(states.STEPS) == set(roles.STEP_ROLES)
    assert all(roles.step_actors(step) for step in states.STEPS)


@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_an_editor_who_may_not_submit_sees_who_does(app, agency):
    plan = plan_in(agency)

    page = app.get(f"/ke-hoach/{plan['id']}", headers=token_headers(agency.editor))

    assert 'value="submit"' not in page.body
    assert (
        "Bước tiếp theo: Gửi thẩm định, do quản trị viên của cơ quan thực hiện."
        in page.body
    )
