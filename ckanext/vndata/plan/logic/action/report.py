"""Plan versus actual: one plan's compliance, and the national report."""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

import sqlalchemy as sa

import ckan.plugins.toolkit as tk
from ckan.model import Group, GroupExtra, meta
from ckan.types import Context, DataDict

from ckanext.vndata.plan import (
    compliance,
    metadata_quality,
    national,
    report_cache,
    roles,
    roster,
)
from ckanext.vndata.plan.dictization import due_soon_days, load_facts, plain_rows
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
    """The plans in force: per agency and plan series, its newest published version;
    an agency with no published plan, the newest version of each of its series.

    A series is one plan and its revisions (a revision supersedes the version before
    it); while an agency has a published plan, its plans still in the workflow do not
    count. Two published series of one agency are two plans, both counted: an
    organization may hold the plans of two publishers (a province's source harvested
    with no publisher rule files its Sở Xây dựng's plan under the source's
    organization), and keeping one plan per organization dropped the other from the
    rows, the dashboard and the headline."""
    by_agency: dict[str, dict[str, list[Plan]]] = defaultdict(lambda: defaultdict(list))
    for plan in meta.Session.query(Plan).filter(Plan.status.notin_(RETIRED)):
        if plan.status in PUBLIC or include_unpublished:
            by_agency[plan.organization_id][plan.series_id].append(plan)
    current = []
    for series in by_agency.values():
        published = [
            [p for p in plans if p.status == PlanStatus.PUBLISHED]
            for plans in series.values()
        ]
        pools = [pool for pool in published if pool] or list(series.values())
        current.extend(
            max(pool, key=lambda p: (p.period_end or 0, p.version, p.created))
            for pool in pools
        )
    return current


AGENCY_EXTRAS = ("province_code", "agency_level", "agency_code")


def _agencies(organization_ids: list[str]) -> dict[str, dict[str, Any]]:
    """Name, title and the extras the report groups by, in two queries (reading
    ``Group.extras`` would load each organization's extras in a query of its own)."""
    agencies: dict[str, dict[str, Any]] = {}
    if not organization_ids:
        return agencies
    groups = Group.__table__
    for group_id, name, title in plain_rows(
        sa.select(groups.c.id, groups.c.name, groups.c.title).where(
            groups.c.id.in_(organization_ids)
        )
    ):
        agencies[group_id] = {"name": name, "title": title}
        agencies[group_id].update(dict.fromkeys(AGENCY_EXTRAS))
    extras = GroupExtra.__table__
    for group_id, key, value in plain_rows(
        sa.select(extras.c.group_id, extras.c.key, extras.c.value).where(
            extras.c.group_id.in_(organization_ids), extras.c.key.in_(AGENCY_EXTRAS)
        )
    ):
        agencies[group_id][key] = value
    return agencies


@tk.side_effect_free
def vndata_compliance_report(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The national report: every obliged body and every agency's plan against what it
    delivered, on a date.

    Anyone may call it; it covers the plans in force (current_plans: one per agency
    and plan series), published ones, and reviewers also see plans still in the
    workflow. ``bodies`` has one row per body of the roster (roster.py), a
    province's People's Committee and departments rolled up into the province, with
    its status (national.body_status: ``no_plan``, ``in_workflow``, ``issued``,
    ``behind``) and the counts of its published plans (or, while it has none, of its
    plans in the workflow). ``headline`` holds the national goal's figures over the
    bodies the ``kind`` and ``body`` filters select (national.headline); ``status``
    only narrows ``bodies``. ``by_province`` and ``by_ministry`` cover every body of the
    roster, whatever the filters.

    :param as_of: the date to evaluate on (default today)
    :param kind: only bodies of this kind: ``province``, ``ministry``,
        ``ministerial_agency``, ``government_agency`` or ``central`` (all but provinces)
    :param body: only the body with this code
    :param status: only bodies with this status
    :param timeline: also ``timeline``: the items scheduled and delivered, cumulated by
        month, over the plans of the report (default false)
    :rtype: dictionary with ``headline``, ``bodies`` (one per body), ``rows`` (one per
        agency with a plan in force (current_plans): ``levels``, each level of the
        current phase passed (true), failed (false) or neither (null: its phase has not
        ended, or nothing measured), and ``verdicts``, the same as ``pass``, ``fail``,
        ``not_due``, ``not_judged``), ``by_province``, ``by_ministry``; each agency
        row, body, province, ministry and the headline with ``quality``: the
        metadata quality (MQA) of its organizations' public datasets (``points`` of
        405, ``rating``,
        ``datasets`` scored, ``dimensions``; points and rating null with no dataset
        scored); with ``timeline``, also ``quality_trend``: the nation's daily points
        (``days``, ``points``), and the ``body`` filter's (else null)
    """
    tk.check_access("vndata_compliance_report", context, data_dict)
    data = validate(context, data_dict, schema.vndata_compliance_report())
    as_of = data.get("as_of") or datetime.date.today()
    reviewer = roles.is_reviewer(context.get("user"))
    timeline = bool(data.get("timeline"))
    days = due_soon_days()
    # A visitor who is not signed in may read an answer a few seconds old (a
    # citizen, a crowd of them); an officer checking what they just did never does.
    reuse = 0 if context.get("user") else report_cache.reuse_seconds()
    rows, body_rows, report_timeline, quality = report_cache.evaluated(
        (as_of, reviewer, days, timeline),
        lambda: _evaluate_all(as_of, reviewer, days, timeline),
        reuse,
    )
    scope = [
        row
        for row in body_rows
        if national.in_scope(row, data.get("kind"), data.get("body"))
    ]
    report = {
        "as_of": as_of.isoformat(),
        "headline": {
            **national.headline(scope),
            "quality": _scope_quality(quality, scope, data),
        },
        "bodies": [
            row
            for row in scope
            if not data.get("status") or row["status"] == data["status"]
        ],
        "rows": rows,
        "by_province": national.by_province(body_rows),
        "by_ministry": national.by_ministry(body_rows),
    }
    if timeline:
        report["timeline"] = report_timeline
        report["quality_trend"] = {"nation": quality["trend"], "body": None}
        if data.get("body"):
            chosen = [b for b in roster.obliged_bodies() if b.code == data["body"]]
            if chosen:
                report["quality_trend"]["body"] = metadata_quality.trend(
                    chosen[0].organization_ids, as_of
                )
    return report


def _scope_quality(quality: dict, scope: list[dict], data: DataDict) -> dict:
    """The metadata quality of the bodies the filters select: the nation's (every
    organization's, a body's or not) when nothing is filtered."""
    if not data.get("kind") and not data.get("body"):
        return metadata_quality.summary(quality["nation"])
    tallies = quality["by_body"]
    return metadata_quality.summary(
        metadata_quality.summed(tallies[row["code"]] for row in scope)
    )


def _evaluate_all(
    as_of: datetime.date, reviewer: bool, days: int, timeline: bool
) -> tuple[list[dict], list[dict], Any]:
    """Every agency row and every body row (and the timeline if asked), before the
    report's filters: what report_cache keeps."""
    plans = current_plans(reviewer)
    facts = load_facts([p.id for p in plans])
    agencies = _agencies([p.organization_id for p in plans])
    bodies = roster.obliged_bodies()
    body_of = {org: body.code for body in bodies for org in body.organization_ids}
    rows = []
    for plan in plans:
        phases, items = facts[plan.id]
        current = compliance.current_phase(phases, as_of)
        levels = _levels(current, phases, items, as_of) if current else []
        rows.append(
            {
                "agency": agencies.get(plan.organization_id, {}),
                "organization_id": plan.organization_id,
                "body": body_of.get(plan.organization_id),
                "plan": row_dict(plan),
                **compliance.summarise_items(items, as_of, days),
                "current_phase": current.label if current else None,
                # passed: True, False (failed) or None (not due, not measured);
                # verdicts: the same as compliance.PASS, FAIL, NOT_DUE, NOT_JUDGED.
                "levels": {
                    level["level"]: level["passed"]
                    for level in levels
                    if level["target"] is not None
                },
                "verdicts": {
                    level["level"]: level["verdict"]
                    for level in levels
                    if level["target"] is not None
                },
            }
        )
    rows.sort(key=lambda r: (r["agency"].get("title") or ""))
    of_body: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        if row["body"]:
            of_body[row["body"]].append(row)
    # Metadata quality per body: every organization's stored scores in one read.
    tallies, nation, per_org = metadata_quality.by_body(bodies)
    for row in rows:
        row["quality"] = metadata_quality.summary(
            per_org.get(row["organization_id"]) or metadata_quality.summed(())
        )
    body_rows = [
        {
            **national.body_row(body, of_body[body.code]),
            "quality": metadata_quality.summary(tallies[body.code]),
        }
        for body in bodies
    ]
    return (
        rows,
        body_rows,
        national.timeline((items for _, items in facts.values()), as_of)
        if timeline
        else None,
        {
            "by_body": tallies,
            "nation": nation,
            "trend": metadata_quality.trend(None, as_of) if timeline else None,
        },
    )
