"""Actions of vndata_plan, split by what they act on."""

from __future__ import annotations

from typing import Any

from ckanext.vndata.plan.logic.action import (
    bulk,
    parts,
    plan,
    report,
    roster,
    workflow,
)


def get_actions() -> dict[str, Any]:
    actions: dict[str, Any] = {}
    for module in (plan, parts, workflow, report, roster, bulk):
        actions.update({name: getattr(module, name) for name in module.__all__})
    return actions
