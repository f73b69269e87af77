"""Reading pages: an agency's plans (its organization tab) and one plan."""

from __future__ import annotations

from typing import Any

from flask import Blueprint

import ckan.plugins.toolkit as tk

from ckanext.vndata.plan import next_step, provenance
from ckanext.vndata.plan.states import EDITABLE, STEPS
from ckanext.vndata.plan.views._common import (
    allowed,
    context,
    load_organization,
    load_plan,
)

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
# Workflow buttons: (transition, action, needs a comment box).
TRANSITIONS = (
    ("submit", "vndata_plan_submit", False),
    ("return", "vndata_plan_return", True),
    ("approve", "vndata_plan_approve", True),
    ("publish", "vndata_plan_publish", False),
    ("revise", "vndata_plan_revise", False),
)


def organization_plans(id: str):
    organization = load_organization(id)
    plans = tk.get_action("vndata_plan_list")(
        context(), {"organization_id": organization["id"], "all_versions": True}
    )
    return tk.render(
        "vndata_plan/organization_plans.html",
        {
            "group_dict": organization,
            "group_type": "organization",
            "plans": plans,
            "can_create": allowed(
                "vndata_plan_create", {"organization_id": organization["id"]}
            ),
        },
    )


def workflow_buttons(plan: dict[str, Any]) -> list[dict[str, Any]]:
    buttons: list[dict[str, Any]] = []
    if plan["harvest_source"]:  # it moves at its source (sysadmins pass auth)
        return buttons
    for transition, action, comment in TRANSITIONS:
        if plan["status"] in STEPS[transition] and allowed(action, {"id": plan["id"]}):
            buttons.append({"transition": transition, "comment": comment})
    return buttons


def read(plan_id: str):
    plan = load_plan(plan_id)
    compliance = tk.get_action("vndata_plan_compliance")(context(), {"id": plan_id})
    organization = load_organization(plan["organization_id"])
    source = plan["harvest_source"]
    editable = (
        not source
        and plan["status"] in EDITABLE
        and allowed("vndata_plan_update", {"id": plan_id})
    )
    return tk.render(
        "vndata_plan/read.html",
        {
            "plan": plan,
            "compliance": compliance,
            "organization": organization,
            "editable": editable,
            "read_only": provenance.refusal_message(source["title"])
            if source
            else None,
            "last_harvest": provenance.last_harvest(source["id"]) if source else None,
            "buttons": workflow_buttons(plan),
            "next_step": None if source else next_step.describe(plan["status"]),
            # Linking follows delivery: in any state, by those who may link.
            "can_link": not source
            and allowed("vndata_plan_item_link", {"plan_id": plan_id}),
            "timeline": timeline(plan, compliance),
        },
    )


def timeline(plan: dict[str, Any], compliance: dict[str, Any]) -> list[dict]:
    """The schedule by quarter: each quarter's items with their status."""
    status = {i["id"]: i["status"] for i in compliance["items"]}
    quarters: dict[str, list[dict]] = {}
    for item in sorted(plan["items"], key=lambda i: i.get("target_date") or "9999"):
        date = item.get("target_date")
        key = quarter_label(date) if date else tk._("No deadline")
        quarters.setdefault(key, []).append({**item, "status": status[item["id"]]})
    return [{"quarter": q, "items": items} for q, items in quarters.items()]


def quarter_label(date: str) -> str:
    """The quarter of a yyyy-mm-dd date as a reader names it: "Quý IV/2026" (the
    Roman numeral is how Vietnamese writes quarters), "Q4 2026" in English."""
    number = (int(date[5:7]) - 1) // 3 + 1
    return tk._("Q{number} {year}").format(
        number=number, roman=ROMAN[number], year=date[:4]
    )


def register(blueprint: Blueprint) -> None:
    blueprint.add_url_rule(
        "/organization/ke-hoach/<id>", view_func=organization_plans, endpoint="org"
    )
    blueprint.add_url_rule("/ke-hoach/<plan_id>", view_func=read, endpoint="read")
