"""Every transition, legal and illegal, and the history it leaves."""

from __future__ import annotations

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories

from tests.factories import Item, Phase
from tests.plan.conftest import call, plan_in

pytestmark = [
    pytest.mark.ckan_config("ckanext.vndata.plan.reviewers", "reviewer_bkhcn"),
    pytest.mark.usefixtures("with_plugins", "clean_db"),
]

LEGAL = [
    ("draft", "submit", "submitted"),
    ("returned", "submit", "submitted"),
    ("submitted", "approve", "approved"),
    ("submitted", "return", "returned"),
    ("approved", "publish", "published"),
]
ALL_STATES = ["draft", "submitted", "returned", "approved", "published"]
TRANSITIONS = ["submit", "approve", "return", "publish"]
ILLEGAL = [
    (state, step)
    for state in ALL_STATES
    for step in TRANSITIONS
    if (state, step) not in {(s, t) for s, t, _ in LEGAL}
]


def _actor(agency, reviewer, step):
    return agency.admin if step in ("submit", "publish") else reviewer


@pytest.mark.parametrize(("start", "step", "end"), LEGAL)
def test_legal_transition_moves_the_plan_and_is_recorded(
    agency, reviewer, start, step, end
):
    plan = plan_in(agency, start)

    moved = call(
        f"vndata_plan_{step}",
        _actor(agency, reviewer, step),
        id=plan["id"],
        comment="Ý kiến thẩm định",
    )

    assert moved["status"] == end
    last = moved["history"][-1]
    assert (last["transition"], last["from_status"], last["to_status"]) == (
        step,
        start,
        end,
    )
    assert last["comment"] == "Ý kiến thẩm định"
    assert last["user_id"] == _actor(agency, reviewer, step)["id"]


@pytest.mark.parametrize(("start", "step"), ILLEGAL)
def test_illegal_transition_is_refused_with_a_clear_message(
    agency, reviewer, start, step
):
    plan = plan_in(agency, start)

    with pytest.raises(tk.ValidationError) as raised:
        call(
            f"vndata_plan_{step}",
            factories.Sysadmin(),
            id=plan["id"],
            comment="x",
        )

    assert "cannot be" in raised.value.error_dict["status"][0]
    assert call("vndata_plan_show", agency.admin, id=plan["id"])["status"] == start


def test_return_without_a_comment_is_refused(agency, reviewer):
    plan = plan_in(agency, "submitted")

    with pytest.raises(tk.ValidationError) as raised:
        call("vndata_plan_return", reviewer, id=plan["id"])

    assert "comment" in raised.value.error_dict


def test_revision_is_a_new_draft_version_and_supersedes_on_publication(
    agency, reviewer
):
    published = plan_in(agency, "published")
    phase = Phase(plan_id=plan_in(agency)["id"], label="unused", end_date="2025-06-30")
    assert phase

    revision = call("vndata_plan_revise", agency.editor, id=published["id"])

    assert (revision["version"], revision["status"]) == (2, "draft")
    assert revision["series_id"] == published["series_id"]
    assert call("vndata_plan_show", None, id=published["id"])["status"] == "published"

    call("vndata_plan_submit", agency.admin, id=revision["id"])
    call("vndata_plan_approve", reviewer, id=revision["id"])
    call("vndata_plan_publish", agency.admin, id=revision["id"])

    old = call("vndata_plan_show", None, id=published["id"])
    assert old["status"] == "superseded"
    assert old["history"][-1]["transition"] == "supersede"
    assert [v["version"] for v in old["versions"]] == [1, 2]


def test_only_a_published_plan_can_be_revised(agency):
    plan = plan_in(agency, "approved")

    with pytest.raises(tk.ValidationError):
        call("vndata_plan_revise", agency.editor, id=plan["id"])


def test_revision_copies_phases_and_items_with_their_keys(agency, reviewer):
    plan = plan_in(agency)
    phase = Phase(plan_id=plan["id"], min_datasets=5)
    item = Item(plan_id=plan["id"], phase_id=phase["id"], target_date="30/06/2025")
    for step, user in (
        ("submit", agency.admin),
        ("approve", reviewer),
        ("publish", agency.admin),
    ):
        call(f"vndata_plan_{step}", user, id=plan["id"])

    revision = call("vndata_plan_revise", agency.editor, id=plan["id"])

    (copied_item,) = revision["items"]
    (copied_phase,) = revision["phases"]
    assert copied_item["key"] == item["key"]
    assert copied_item["id"] != item["id"]
    assert copied_item["phase_id"] == copied_phase["id"]
    assert copied_phase["min_datasets"] == 5
