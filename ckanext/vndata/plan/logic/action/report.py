"""Plan versus actual: one plan's compliance, and the national report."""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.model import Group, meta
from ckan.types import Context, DataDict

from ckanext.vndata.plan import compliance, roles
from ckanext.vndata.plan.dictization import due_soon_days, load_facts
from ckanext.vndata.plan.logic import schema
from ckanext.vndata.plan.logic.action._common import get_plan, validate
from ckanext.vndata.plan.model import Plan, row_dict
from ckanext.vndata.plan.states import PUBLIC, RETIRED, PlanStatus

__all__ = ["vndata_plan_compliance", "vndata_compliance_report"]


def _levels(phase, phases: list, items: list, as_of: datetime.date) -> list[dict]:
    return [r.as_dict() for r in compliance.evaluate_phase(phase, phases, items, as_of)]


def _evaluate(plan: Plan, phases: list, items: list, as_of: datetime.date) -> dict:
    days = due_soon_days()
    current = compliance.current_phase(phases, as_of)
    return {
        "plan_id": plan.id,
        "as_of": as_of.isoformat(),
        "summary": compliance.summarise_items(items, as_of, days),
        "items": [
            {
                "id": i.id,
                "number": i.number,
                "title": i.title,
                "phase_id": i.phase_id,
                "status": str(compliance.item_status(i, as_of, days)),
            }
            for i in items
        ],
        "current_phase_id": current.id if current else None,
        "phases": [
            {
                "id": phase.id,
                "label": phase.label,
                "start_date": phase.start_date.isoformat(),
                "end_date": phase.end_date.isoformat(),
                "levels": _levels(phase, phases, items, as_of),
            }
            for phase in phases
        ],
    }


@tk.side_effect_free
def vndata_plan_compliance(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """How far a plan is delivered on a date: item statuses and each phase's levels.

    Each minimum level comes with its target, the measured value, pass/fail and the
    numbers of the items behind the figure. Levels are cumulative over the phases.

    :param id: the plan's id
    :param as_of: the date to evaluate on (default today)
    :rtype: dictionary
    """
    tk.check_access("vndata_plan_compliance", context, data_dict)
    data = validate(context, data_dict, schema.vndata_plan_as_of())
    plan = get_plan(data.get("id"))
    as_of = data.get("as_of") or datetime.date.today()
    phases, items = load_facts([plan.id])[plan.id]
    return _evaluate(plan, phases, items, as_of)


def current_plans(include_unpublished: bool) -> list[Plan]:
    """Per agency, the plan in force: its newest published plan, else its newest one."""
    by_agency: dict[str, list[Plan]] = defaultdict(list)
    for plan in meta.Session.query(Plan).filter(Plan.status.notin_(RETIRED)):
        if plan.status in PUBLIC or include_unpublished:
            by_agency[plan.organization_id].append(plan)
    current = []
    for plans in by_agency.values():
        pool = [p for p in plans if p.status == PlanStatus.PUBLISHED] or plans
        current.append(
            max(pool, key=lambda p: (p.period_end or 0, p.version, p.created))
        )
    return current


def _agencies(organization_ids: list[str]) -> dict[str, dict[str, Any]]:
    agencies = {}
    groups = meta.Session.query(Group).filter(Group.id.in_(organization_ids))
    for group in groups:
        extras = dict(group.extras or {})
        agencies[group.id] = {
            "name": group.name,
            "title": group.title,
            "province_code": extras.get("province_code"),
            "agency_level": extras.get("agency_level"),
            "agency_code": extras.get("agency_code"),
        }
    return agencies


@tk.side_effect_free
def vndata_compliance_report(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The national report: per agency, its plan and what it delivered, on a date.

    Anyone may call it; it covers published plans, and reviewers also see plans still
    in the workflow. Agencies are grouped per province and per ministry.

    :param as_of: the date to evaluate on (default today)
    :rtype: dictionary with ``rows`` (one per agency), ``by_province``, ``by_ministry``
    """
    tk.check_access("vndata_compliance_report", context, data_dict)
    data = validate(context, data_dict, schema.vndata_plan_as_of())
    as_of = data.get("as_of") or datetime.date.today()
    plans = current_plans(roles.is_reviewer(context.get("user")))
    facts = load_facts([p.id for p in plans])
    agencies = _agencies([p.organization_id for p in plans])
    days = due_soon_days()
    rows = []
    for plan in plans:
        phases, items = facts[plan.id]
        current = compliance.current_phase(phases, as_of)
        levels = _levels(current, phases, items, as_of) if current else []
        rows.append(
            {
                "agency": agencies.get(plan.organization_id, {}),
                "organization_id": plan.organization_id,
                "plan": row_dict(plan),
                **compliance.summarise_items(items, as_of, days),
                "current_phase": current.label if current else None,
                "levels": {
                    level["level"]: level["passed"]
                    for level in levels
                    if level["target"] is not None
                },
            }
        )
    rows.sort(key=lambda r: (r["agency"].get("title") or ""))
    return {
        "as_of": as_of.isoformat(),
        "rows": rows,
        "by_province": _group(rows, lambda r: r["agency"].get("province_code")),
        "by_ministry": _group(
            rows,
            lambda r: r["agency"].get("name")
            if r["agency"].get("agency_level") == "trung_uong"
            else None,
        ),
    }


def _group(rows: list[dict], key) -> dict[str, dict[str, Any]]:
    groups: dict[str, dict[str, Any]] = {}
    for row in rows:
        name = key(row)
        if not name:
            continue
        group = groups.setdefault(
            name, {"agencies": 0, "planned": 0, "published": 0, "overdue": 0}
        )
        group["agencies"] += 1
        for figure in ("planned", "published", "overdue"):
            group[figure] += row[figure]
    for group in groups.values():
        group["published_percent"] = (
            round(100.0 * group["published"] / group["planned"], 1)
            if group["planned"]
            else None
        )
    return groups
