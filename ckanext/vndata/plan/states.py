"""States of an open-data plan and the transitions between them, declared once.

draft -> submitted -> approved -> published; a reviewer may return a submitted plan
(returned, editable, submitted again); a published plan is revised as a new version
(draft), and becomes superseded when that version is published. A plan harvested from a
provincial portal arrives published; it becomes withdrawn when its source stops
publishing it (only the harvest takes it there: no action offers that transition).
"""

from __future__ import annotations

import enum

import ckan.plugins.toolkit as tk

from ckanext.vndata.lib.i18n import N_


class PlanStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    APPROVED = "approved"
    PUBLISHED = "published"
    SUPERSEDED = "superseded"
    WITHDRAWN = "withdrawn"


class Transition(enum.StrEnum):
    SUBMIT = "submit"
    RETURN = "return"
    APPROVE = "approve"
    PUBLISH = "publish"
    SUPERSEDE = "supersede"
    WITHDRAW = "withdraw"


# transition -> (states it may start from, state it leads to)
TRANSITIONS: dict[Transition, tuple[frozenset[PlanStatus], PlanStatus]] = {
    Transition.SUBMIT: (
        frozenset({PlanStatus.DRAFT, PlanStatus.RETURNED}),
        PlanStatus.SUBMITTED,
    ),
    Transition.RETURN: (frozenset({PlanStatus.SUBMITTED}), PlanStatus.RETURNED),
    Transition.APPROVE: (frozenset({PlanStatus.SUBMITTED}), PlanStatus.APPROVED),
    Transition.PUBLISH: (frozenset({PlanStatus.APPROVED}), PlanStatus.PUBLISHED),
    Transition.SUPERSEDE: (frozenset({PlanStatus.PUBLISHED}), PlanStatus.SUPERSEDED),
    Transition.WITHDRAW: (frozenset({PlanStatus.PUBLISHED}), PlanStatus.WITHDRAWN),
}

# The steps a person takes, from the states each starts from: the transitions a user
# calls, and "revise" (a published plan's new version, a draft of its own). The
# workflow buttons and the plan page's "next step" read them.
STEPS: dict[str, frozenset[PlanStatus]] = {
    **{
        str(transition): sources
        for transition, (sources, _target) in TRANSITIONS.items()
        if transition not in (Transition.SUPERSEDE, Transition.WITHDRAW)
    },
    "revise": frozenset({PlanStatus.PUBLISHED}),
}

# Only these may be edited (plan, phases, items) by the agency's editors.
EDITABLE = frozenset({PlanStatus.DRAFT, PlanStatus.RETURNED})
# Everyone may read these; the others only the agency's members and the reviewers.
PUBLIC = frozenset({PlanStatus.PUBLISHED, PlanStatus.SUPERSEDED, PlanStatus.WITHDRAWN})
# No longer in force: kept for the history, left out of current lists and the report.
RETIRED = frozenset({PlanStatus.SUPERSEDED, PlanStatus.WITHDRAWN})


class ItemStatus(enum.StrEnum):
    """Computed status of a list item on a given date."""

    NOT_DUE = "not_due"
    DUE_SOON = "due_soon"
    PUBLISHED_ON_TIME = "published_on_time"
    PUBLISHED_LATE = "published_late"
    OVERDUE = "overdue"
    UPDATE_OVERDUE = "update_overdue"
    REMOVED = "removed"


class BodyStatus(enum.StrEnum):
    """Where an obliged body stands in the national report (report.py says when)."""

    NO_PLAN = "no_plan"
    IN_WORKFLOW = "in_workflow"
    ISSUED = "issued"
    BEHIND = "behind"


# Bodies that have issued a plan (the national goal: every body on the roster).
ISSUED_BODY_STATUSES = frozenset({BodyStatus.ISSUED, BodyStatus.BEHIND})


PUBLISHED_ITEM_STATUSES = frozenset(
    {ItemStatus.PUBLISHED_ON_TIME, ItemStatus.PUBLISHED_LATE, ItemStatus.UPDATE_OVERDUE}
)


# What each state (of a plan or of an item) is called, in the user's language.
STATUS_LABELS: dict[str, str] = {
    PlanStatus.DRAFT: N_("draft"),
    PlanStatus.SUBMITTED: N_("submitted"),
    PlanStatus.RETURNED: N_("returned"),
    PlanStatus.APPROVED: N_("approved"),
    PlanStatus.PUBLISHED: N_("published"),
    PlanStatus.SUPERSEDED: N_("superseded"),
    PlanStatus.WITHDRAWN: N_("withdrawn at source"),
    ItemStatus.NOT_DUE: N_("not due"),
    ItemStatus.DUE_SOON: N_("due soon"),
    ItemStatus.PUBLISHED_ON_TIME: N_("published on time"),
    ItemStatus.PUBLISHED_LATE: N_("published late"),
    ItemStatus.OVERDUE: N_("overdue"),
    ItemStatus.UPDATE_OVERDUE: N_("update overdue"),
    ItemStatus.REMOVED: N_("removed"),
    BodyStatus.NO_PLAN: N_("not issued"),
    BodyStatus.IN_WORKFLOW: N_("plan in the workflow"),
    BodyStatus.ISSUED: N_("plan issued, on schedule"),
    BodyStatus.BEHIND: N_("behind schedule"),
}


def status_label(status: str) -> str:
    """The state's name in the user's language (an unknown state as it is)."""
    label = STATUS_LABELS.get(status)
    return tk._(label) if label else status


# The workflow button of each transition, and how the history names each event (a
# transition, or the plan's creation, revision, reopening).
TRANSITION_LABELS: dict[str, str] = {
    Transition.SUBMIT: N_("Submit for review"),
    Transition.RETURN: N_("Return for changes"),
    Transition.APPROVE: N_("Approve"),
    Transition.PUBLISH: N_("Publish"),
    "revise": N_("Start a revision"),
}
EVENT_LABELS: dict[str, str] = {
    "create": N_("created"),
    Transition.SUBMIT: N_("submitted"),
    Transition.RETURN: N_("returned"),
    Transition.APPROVE: N_("approved"),
    Transition.PUBLISH: N_("published"),
    "revise": N_("revised"),
    "reopen": N_("reopened for editing"),
    Transition.SUPERSEDE: N_("superseded"),
    "harvest": N_("harvested from its source portal"),
    Transition.WITHDRAW: N_("withdrawn at its source portal"),
}


def transition_label(transition: str) -> str:
    """The button of a transition in the user's language (unknown: as it is)."""
    label = TRANSITION_LABELS.get(transition)
    return tk._(label) if label else transition


def event_label(event: str) -> str:
    """An event of the plan's history in the user's language (unknown: as it is)."""
    label = EVENT_LABELS.get(event)
    return tk._(label) if label else event


def next_status(current: str, transition: Transition) -> PlanStatus | None:
    """The state ``transition`` leads to from ``current``, or None if it is illegal."""
    sources, target = TRANSITIONS[transition]
    return target if current in sources else None
