"""The plan items a dataset may be linked to, as the dataset form offers them.

An officer picks "<number>. <title> (<plan title>)" and never meets an item's key.
The offer is what the schema accepts (logic/link_validators.py): items its agency
may deliver (sync.may_deliver) on a plan in force and still on its list, less those a
public dataset delivers already; the item the dataset names now stays on offer.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from ckan.model import meta

from ckanext.vndata.lib.text import can_store
from ckanext.vndata.plan import sync
from ckanext.vndata.plan.model import DatasetLink, Item, Plan
from ckanext.vndata.plan.states import RETIRED


def label(item: Item, plan: Plan) -> str:
    return f"{item.number}. {item.title} ({plan.title})"


def _candidates(organization_ids: list[str]) -> list[tuple[Item, Plan]]:
    """Items on local plans in force, still listed: the agencies' own, and any that
    name a cooperating agency (may_deliver decides which agency those are for)."""
    delivered = sa.exists().where(
        DatasetLink.item_key == Item.key, DatasetLink.is_public.is_(True)
    )
    rows = (
        meta.Session.query(Item, Plan)
        .join(Plan, Plan.id == Item.plan_id)
        .filter(Plan.status.notin_(RETIRED))
        .filter(Plan.harvest_source_id.is_(None))
        .filter(Item.removed_reason.is_(None))
        .filter(~delivered)
        .filter(
            sa.or_(
                Plan.organization_id.in_(organization_ids),
                Item.cooperating_agencies.isnot(None),
            )
        )
        .order_by(Plan.title, Plan.version.desc(), Item.number)
    )
    return list(rows)


def choices(
    organization_ids: Iterable[str], current: Any = None
) -> list[dict[str, str]]:
    """Each item a dataset of one of ``organization_ids`` may deliver, once per
    agency: {"organization_id", "value" (the item's key), "label"}. ``current`` (the
    dataset's plan_item now, a key or an id) is kept first on offer, with its agency's
    id, whatever it names."""
    wanted = [org for org in organization_ids if can_store(org)]
    offered: list[dict[str, str]] = []
    seen: set[tuple[str, str]] = set()
    for item, plan in _candidates(wanted) if wanted else []:
        for organization_id in wanted:
            if (organization_id, item.key) in seen:
                continue  # an older version of the same item
            if sync.may_deliver(item, organization_id):
                seen.add((organization_id, item.key))
                offered.append(
                    {
                        "organization_id": organization_id,
                        "value": item.key,
                        "label": label(item, plan),
                    }
                )
    return _with_current(offered, current)


def _with_current(offered: list[dict[str, str]], current: Any) -> list[dict[str, str]]:
    items = sync.items_named(current)
    if not items:
        return offered
    item = items[0]
    plan = Plan.get(item.plan_id)
    kept = [choice for choice in offered if choice["value"] != item.key]
    return [
        {
            "organization_id": "",  # on offer whichever organization is chosen
            "value": current,
            "label": label(item, plan) if plan else current,
        },
        *kept,
    ]


def delivered_now(reference: Any) -> dict[str, str] | None:
    """The item a dataset's plan_item names now (its newest version): {"key",
    "label"}, for a person about to link the dataset elsewhere; None for none."""
    newest = None
    for item in sync.items_named(reference):
        plan = Plan.get(item.plan_id)
        if plan is not None and (newest is None or plan.version > newest[1].version):
            newest = (item, plan)
    if newest is None:
        return None
    return {"key": newest[0].key, "label": label(*newest)}


def vndata_plan_item_choices(
    organizations: Iterable[dict[str, Any]], current: Any = None
) -> list[dict[str, str]]:
    """The dataset form's offer for the organizations it lists (template helper)."""
    return choices((org.get("id") for org in organizations), current)
