"""The workflow's next step, and who may take it, as the plan page states it.

Everyone reading a plan in the workflow sees what happens next and who does it, also
an editor who may not take the step (an agency's editors prepare the plan, its
admins submit it). The steps come from states.STEPS and their actors from
roles.STEP_ROLES, the homes the workflow buttons and the auth functions read.
"""

from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.vndata.plan import roles, states


def steps_from(status: str) -> list[str]:
    """The steps that start from ``status``, in the workflow's order."""
    return [step for step, sources in states.STEPS.items() if status in sources]


def describe(status: str) -> str | None:
    """ "Next step: <step> — taken by <whom>." for each group of steps with the same
    actors; None for a plan no step leaves (superseded, withdrawn)."""
    by_actors: dict[str, list[str]] = {}
    for step in steps_from(status):
        actors = roles.step_actors(step)
        by_actors.setdefault(actors, []).append(states.transition_label(step))
    if not by_actors:
        return None
    return " ".join(
        tk._("Next step: {steps}, taken by {actors}.").format(
            steps=tk._(" or ").join(labels), actors=actors
        )
        for actors, labels in by_actors.items()
    )
