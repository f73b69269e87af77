"""The national view per obliged body: every body on the roster with its plans rolled
up, where it stands, and the headline figures of the national goal (every body issues
a plan, and delivers it).

Pure functions over the national report's per-agency rows (logic/action/report.py) and
the roster (roster.py); the rules of plan versus actual stay in compliance.py.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable
from typing import Any

from ckanext.vndata.plan import compliance
from ckanext.vndata.plan.body_kinds import CENTRAL, BodyKind
from ckanext.vndata.plan.roster import ObligedBody
from ckanext.vndata.plan.states import ISSUED_BODY_STATUSES, BodyStatus, PlanStatus

# The item counts of compliance.summarise_items that add up over a body's plans.
COUNTS = (
    "planned",
    "published",
    "overdue",
    "due_soon",
    "update_overdue",
    "removed",
    "on_time",
    "due",
    "due_on_time",
)
# The kind filter also takes this: every central body (ministries, ministerial-level
# and Government agencies).
CENTRAL_KINDS = "central"


def body_status(issued: list[dict], in_workflow: list[dict]) -> BodyStatus:
    """Where a body stands, from the report rows of its published plans and of its
    plans still in the workflow.

    - ``no_plan``: none of its organizations has a plan the reader may see;
    - ``in_workflow``: it has plans, none of them published (only reviewers see them;
      to others such a body has issued nothing: ``no_plan``);
    - ``behind``: a plan is published, and in a published plan an item is overdue (its
      deadline passed unpublished) or a minimum level of the current phase fails (a
      level of a phase that has not ended is not due: compliance.verdict);
    - ``issued``: a plan is published and none of that holds.
    """
    if not issued:
        return BodyStatus.IN_WORKFLOW if in_workflow else BodyStatus.NO_PLAN
    failing = any(
        row["overdue"] or any(passed is False for passed in row["levels"].values())
        for row in issued
    )
    return BodyStatus.BEHIND if failing else BodyStatus.ISSUED


def body_row(body: ObligedBody, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """One body with the agency rows of its organizations rolled up.

    A province's People's Committee and departments count together. The figures add up
    the body's published plans, or, while it has none, its plans in the workflow.
    """
    issued = [r for r in rows if r["plan"]["status"] == PlanStatus.PUBLISHED]
    status = body_status(issued, rows)
    counted = issued or rows
    totals = {key: sum(row[key] for row in counted) for key in COUNTS}
    levels = [passed for row in issued for passed in row["levels"].values()]
    judged = [passed for passed in levels if passed is not None]
    return {
        "code": body.code,
        "kind": body.kind,
        "title": body.title,
        "province_code": body.province_code,
        "agency_code": body.agency_code,
        "organizations": len(body.organization_ids),
        "status": str(status),
        "plans": [
            {
                "plan_id": row["plan"]["id"],
                "organization_id": row["organization_id"],
                "agency": row["agency"].get("title"),
                # a harvested plan's publisher as its source named it (None here)
                "publisher": row["plan"].get("remote_publisher"),
                "status": row["plan"]["status"],
                "current_phase": row["current_phase"],
            }
            for row in sorted(rows, key=lambda r: r["agency"].get("title") or "")
        ],
        **totals,
        # Over the items due, as the headline's share (not over the items published).
        "due_on_time_percent": compliance.percent(totals["due_on_time"], totals["due"]),
        "levels_passed": sum(1 for passed in judged if passed),
        "levels_failed": sum(1 for passed in judged if not passed),
        # Passing the current phases' minimum levels: every level judged in its
        # published plans passes (and at least one is judged).
        "passes_levels": bool(judged) and all(judged),
    }


def in_scope(row: dict[str, Any], kind: str | None, code: str | None) -> bool:
    """Whether a body row is one the kind and body filters select."""
    if code and row["code"] != code:
        return False
    if kind == CENTRAL_KINDS:
        return row["kind"] in CENTRAL
    return not kind or row["kind"] == kind


def headline(rows: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """The national goal over ``rows`` (the bodies in scope): how many issued a plan,
    items due against those published on time, and bodies passing their levels."""
    rows = list(rows)
    issued = [r for r in rows if r["status"] in ISSUED_BODY_STATUSES]
    due = sum(r["due"] for r in issued)
    due_on_time = sum(r["due_on_time"] for r in issued)
    passing = sum(1 for r in rows if r["passes_levels"])
    return {
        "bodies": len(rows),
        "statuses": {
            str(status): sum(1 for r in rows if r["status"] == status)
            for status in BodyStatus
        },
        # Issued counts both issued statuses (a body behind schedule issued its plan);
        # the legend shows it with its two parts.
        "issued": len(issued),
        "issued_statuses": [str(s) for s in BodyStatus if s in ISSUED_BODY_STATUSES],
        "issued_percent": compliance.percent(len(issued), len(rows)),
        "goal_percent": 100,
        "items_due": due,
        "items_due_on_time": due_on_time,
        "due_on_time_percent": compliance.percent(due_on_time, due),
        "passing_levels": passing,
        "passing_levels_percent": compliance.percent(passing, len(rows)),
    }


def _group(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "body": row["code"],
        "title": row["title"],
        "status": row["status"],
        "agencies": len(row["plans"]),
        "planned": row["planned"],
        "published": row["published"],
        "overdue": row["overdue"],
        "published_percent": compliance.percent(row["published"], row["planned"]),
        "quality": row.get("quality"),
    }


def by_province(rows: Iterable[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Every province of the roster, by its code, with its figures."""
    return {
        row["province_code"] or row["code"]: _group(row)
        for row in rows
        if row["kind"] == BodyKind.PROVINCE
    }


def by_ministry(rows: Iterable[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Every central body of the roster, by its code, with its figures."""
    return {row["code"]: _group(row) for row in rows if row["kind"] in CENTRAL}


def timeline(
    item_lists: Iterable[list[compliance.ItemFacts]], as_of: datetime.date
) -> dict[str, list]:
    """Items scheduled and delivered, cumulated by month (yyyy-mm), over the plans."""
    scheduled: Counter[str] = Counter()
    delivered: Counter[str] = Counter()
    for items in item_lists:
        for item in items:
            if item.target_date:
                scheduled[item.target_date.strftime("%Y-%m")] += 1
            published = compliance.published_on(item, as_of)
            if published:
                delivered[published.strftime("%Y-%m")] += 1
    months = sorted(set(scheduled) | set(delivered))
    series: dict[str, list] = {"labels": months, "scheduled": [], "delivered": []}
    total_scheduled = total_delivered = 0
    for month in months:
        total_scheduled += scheduled[month]
        total_delivered += delivered[month]
        series["scheduled"].append(total_scheduled)
        series["delivered"].append(total_delivered)
    return series
