"""Plans as dicts, and the facts compliance works on, loaded in bulk."""

from __future__ import annotations

import datetime
import json
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.model import meta

from ckanext.vndata.plan import compliance
from ckanext.vndata.plan.model import DatasetLink, Event, Item, Phase, Plan, row_dict

LEVEL_COLUMNS = compliance.LEVELS


def due_soon_days() -> int:
    return tk.config.get("ckanext.vndata.plan.reminder_days")


def phase_facts(phase: Phase) -> compliance.PhaseFacts:
    return compliance.PhaseFacts(
        id=phase.id,
        label=phase.label,
        position=phase.position,
        start_date=phase.start_date,
        end_date=phase.end_date,
        minimums={level: getattr(phase, level) for level in LEVEL_COLUMNS},
    )


def _delivery(link: DatasetLink) -> compliance.Delivery:
    return compliance.Delivery(
        is_public=link.is_public,
        published_date=link.published_date,
        next_update_due=link.next_update_due,
        openness_stars=link.openness_stars,
        machine_readable=link.machine_readable,
        has_api=link.has_api,
        metadata_complete=link.metadata_complete,
    )


def links_by_key(keys: Iterable[str]) -> dict[str, list[DatasetLink]]:
    keys = list(set(keys))
    grouped: dict[str, list[DatasetLink]] = defaultdict(list)
    if keys:
        query = meta.Session.query(DatasetLink).filter(DatasetLink.item_key.in_(keys))
        for link in query:
            grouped[link.item_key].append(link)
    return grouped


def item_facts(item: Item, links: list[DatasetLink]) -> compliance.ItemFacts:
    return compliance.ItemFacts(
        id=item.id,
        number=item.number,
        title=item.title,
        phase_id=item.phase_id,
        target_date=item.target_date,
        removed=bool(item.removed_reason),
        deliveries=tuple(_delivery(link) for link in links),
    )


def plan_parts(plan_ids: list[str]) -> tuple[dict, dict]:
    """Phases and items of several plans in two queries: {plan_id: [rows]} each."""
    phases: dict[str, list[Phase]] = defaultdict(list)
    items: dict[str, list[Item]] = defaultdict(list)
    if plan_ids:
        for phase in meta.Session.query(Phase).filter(Phase.plan_id.in_(plan_ids)):
            phases[phase.plan_id].append(phase)
        for item in meta.Session.query(Item).filter(Item.plan_id.in_(plan_ids)):
            items[item.plan_id].append(item)
    for rows in phases.values():
        rows.sort(key=lambda p: (p.position, p.start_date))
    for rows in items.values():
        rows.sort(key=lambda i: i.number)
    return phases, items


def phase_dictize(phase: Phase) -> dict[str, Any]:
    return row_dict(phase)


def item_dictize(
    item: Item, links: list[DatasetLink], as_of: datetime.date
) -> dict[str, Any]:
    result = row_dict(item)
    for key in ("cooperating_agencies", "formats"):
        result[key] = json.loads(result[key]) if result[key] else []
    facts = item_facts(item, links)
    result["status"] = str(compliance.item_status(facts, as_of, due_soon_days()))
    published = compliance.published_on(facts, as_of)
    result["published_date"] = published.isoformat() if published else None
    result["datasets"] = [row_dict(link) for link in links]
    return result


def plan_dictize(
    plan: Plan, as_of: datetime.date | None = None, with_parts: bool = True
) -> dict[str, Any]:
    result = row_dict(plan)
    if not with_parts:
        return result
    as_of = as_of or datetime.date.today()
    phases, items = plan_parts([plan.id])
    links = links_by_key(i.key for i in items[plan.id])
    result["phases"] = [phase_dictize(p) for p in phases[plan.id]]
    result["items"] = [item_dictize(i, links[i.key], as_of) for i in items[plan.id]]
    result["history"] = [
        row_dict(event)
        for event in meta.Session.query(Event)
        .filter(Event.plan_id == plan.id)
        .order_by(Event.created)
    ]
    result["versions"] = [
        {"id": v.id, "version": v.version, "status": v.status}
        for v in meta.Session.query(Plan)
        .filter(Plan.series_id == plan.series_id)
        .order_by(Plan.version)
    ]
    return result
