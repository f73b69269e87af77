"""Keep the plan-item links and their snapshots in step with the datasets.

Called after every dataset write (IPackageController), so an item's status follows a
dataset that is created, updated, made public or private, harvested or deleted, with no
manual step. The snapshot holds only what compliance needs.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import sqlalchemy as sa

from ckan import model
from ckan.model import meta

from ckanext.vndata.lib.dates import utc_now
from ckanext.vndata.lib.text import fold
from ckanext.vndata.plan import fields
from ckanext.vndata.plan.model import DatasetLink, Item, Plan
from ckanext.vndata.plan.states import RETIRED

log = logging.getLogger(__name__)


def snapshot(package: dict[str, Any]) -> dict[str, Any]:
    """The facts about a dataset that the plan's minimum levels measure."""
    return {fact.key: fact.of_dataset(package) for fact in fields.LINK_FACTS}


def items_named(reference: Any) -> list[Item]:
    """The items (one per plan version) a dataset's plan_item names, by key or id."""
    if not isinstance(reference, str) or not reference or "\x00" in reference:
        return []
    by_key = meta.Session.query(Item).filter(Item.key == reference).all()
    return by_key or [item for item in [Item.get(reference)] if item]


def field_names(package_id: str, item_key: str) -> bool:
    """Whether the dataset's own plan_item field names the item (then only a
    change of the dataset takes the link away: a sync would bring it back)."""
    package = model.Package.get(package_id)
    if package is None:
        return False
    named = items_named(package.extras.get("plan_item"))
    return item_key in {item.key for item in named}


def on_harvested_plan(item: Item) -> bool:
    """Whether the item is on a plan that came from another portal (read-only here)."""
    plan = Plan.get(item.plan_id)
    return plan is not None and plan.harvest_source_id is not None


def may_deliver(item: Item, organization_id: str | None) -> bool:
    """Whether a dataset of ``organization_id`` may deliver ``item`` through its
    plan_item field: the item must be on its own agency's plan, or name the agency
    among its cooperating agencies (by id, URL name or title).

    An item of a harvested plan never: its source portal's record lists every dataset
    that delivers it (the province's field and action links alike), and the harvest
    alone writes those links (harvested_links). Anyone else's field, whoever writes
    the dataset (a national editor, a record of another source naming a cooperating
    agency by title), would make the read-only plan say what its portal did not."""
    if not organization_id:
        return False
    plan = Plan.get(item.plan_id)
    if plan is None or plan.harvest_source_id is not None:
        return False
    if plan.organization_id == organization_id:
        return True
    group = model.Group.get(organization_id)
    if group is None or not item.cooperating_agencies:
        return False
    try:
        named = {fold(str(name)) for name in json.loads(item.cooperating_agencies)}
    except ValueError:
        return False
    return bool(named & {fold(group.id), fold(group.name), fold(group.title or "")})


def resolve_item_key(reference: str | None, organization_id: str | None) -> str | None:
    """The key of the item a dataset of ``organization_id`` names in its plan_item
    (by key or id), if the dataset may deliver it; None otherwise."""
    for item in items_named(reference):
        if may_deliver(item, organization_id):
            return item.key
    return None


def link(item_key: str, package: dict[str, Any], source: str, user: str | None) -> None:
    row = meta.Session.get(DatasetLink, (item_key, package["id"]))
    if row is None:
        row = DatasetLink(
            item_key=item_key, package_id=package["id"], source=source, linked_by=user
        )
        meta.Session.add(row)
    _apply(row, package)


def _apply(row: DatasetLink, package: dict[str, Any]) -> None:
    for key, value in snapshot(package).items():
        setattr(row, key, value)
    row.synced_at = utc_now()


def _same_title(title: str) -> str:
    # Case and spacing may differ; Vietnamese tone marks may not (they change words).
    return " ".join(title.casefold().split())


def matching_item(organization_id: str | None, title: str | None) -> str | None:
    """The key of the agency's one plan item titled as the dataset and not delivered
    yet; None when there is none or more than one."""
    if not organization_id or not title:
        return None
    delivered = sa.exists().where(DatasetLink.item_key == Item.key)
    rows = (
        meta.Session.query(Item.key, Item.title)
        .join(Plan, Plan.id == Item.plan_id)
        .filter(Plan.organization_id == organization_id)
        .filter(Plan.status.notin_(RETIRED))
        .filter(Item.removed_reason.is_(None))
        .filter(~delivered)
    )
    wanted = _same_title(title)
    keys = {key for key, item_title in rows if _same_title(item_title) == wanted}
    return keys.pop() if len(keys) == 1 else None


def has_links(package_id: str) -> bool:
    query = meta.Session.query(DatasetLink.item_key).filter(
        DatasetLink.package_id == package_id
    )
    return query.first() is not None


def sync_dataset(package: dict[str, Any], user: str | None = None) -> None:
    """Follow the dataset's plan_item field and refresh every link's snapshot."""
    rows = meta.Session.query(DatasetLink).filter(
        DatasetLink.package_id == package["id"]
    )
    # Only an item the dataset's agency may deliver: a harvested record (or one
    # written before the field was checked) naming another agency's item is kept
    # as it is but delivers nothing.
    wanted = resolve_item_key(package.get("plan_item"), package.get("owner_org"))
    for row in rows:
        if row.source == "field" and row.item_key != wanted:
            meta.Session.delete(row)  # the field now names another item, or none
        else:
            _apply(row, package)
    if wanted:
        link(wanted, package, "field", user)


def dataset_deleted(package_id: str) -> None:
    for row in meta.Session.query(DatasetLink).filter(
        DatasetLink.package_id == package_id
    ):
        row.is_public = False
        row.synced_at = utc_now()
