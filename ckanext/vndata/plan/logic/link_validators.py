"""The dataset schema's plan_item field: which plan item a dataset may deliver.

Every way a dataset is written (the dataset form, package_create/update/patch, the
plan page's "link a dataset", which calls package_patch) passes through the schema, so
this one validator is the rule for all of them.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Context, FlattenDataDict, FlattenErrorDict, FlattenKey

from ckanext.vndata.lib import harvesting
from ckanext.vndata.lib.navl import is_empty
from ckanext.vndata.lib.text import can_store
from ckanext.vndata.plan import sync
from ckanext.vndata.plan.model import Item, Plan
from ckanext.vndata.plan.states import RETIRED


def _stored_reference(context: Context) -> Any:
    """The plan_item the dataset being updated has now (None for a new one)."""
    package = context.get("package")
    extras = getattr(package, "extras", None)
    return extras.get("plan_item") if extras is not None else None


def _in_force(item: Item) -> bool:
    plan = Plan.get(item.plan_id)
    return plan is not None and plan.status not in RETIRED


def _refusal(reference: str, organization_id: str | None) -> str | None:
    """Why a dataset of ``organization_id`` may not name ``reference`` (None: it may,
    as far as the agency goes)."""
    items = sync.items_named(reference)
    shown = reference[:100]
    if not items:
        return tk._(
            "No item of an open-data plan has the key {key}: choose the item from the "
            "list."
        ).format(key=shown)
    if sync.resolve_item_key(reference, organization_id) is not None:
        return None
    if any(sync.on_harvested_plan(item) for item in items):
        return tk._(
            "The plan item {key} is on a plan harvested from another portal: "
            "only the harvest of that portal links datasets to it."
        ).format(key=shown)
    return tk._(
        "The plan item {key} is on another agency's plan: a dataset delivers "
        "only items of its own agency's plan or items its agency cooperates "
        "on."
    ).format(key=shown)


def _retired_refusal(reference: str) -> str | None:
    """Why a newly named item may not be delivered any more: removed from the list of
    every plan in force, or on no plan in force."""
    live = [item for item in sync.items_named(reference) if _in_force(item)]
    if not live:
        return tk._(
            "The plan item {key} is on a plan no longer in force: choose an item of "
            "the current plan."
        ).format(key=reference[:100])
    if all(item.removed_reason for item in live):
        return tk._(
            "The plan item {key} was removed from the open-data list: no dataset "
            "delivers it any more."
        ).format(key=reference[:100])
    return None


def vndata_plan_item_reference(
    key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
) -> None:
    """A dataset's plan_item names an item its own agency may deliver, on a plan in
    force and still on its list."""
    reference = data.get(key)
    if is_empty(reference) or harvesting.importing():
        # A harvested record is imported as its portal wrote it; sync links it only
        # to an item of its own agency (see sync.resolve_item_key). Only the import
        # itself says so: a source_catalog_uri sent through the API does not.
        return
    if not can_store(reference):
        errors[key].append(tk._("No item of an open-data plan has this key."))
        return
    organization = data.get(("owner_org",))
    group = (
        context["model"].Group.get(organization) if can_store(organization) else None
    )
    why = refusal(reference, group.id if group else None, _stored_reference(context))
    if why:
        errors[key].append(why)


def refusal(
    reference: str, organization_id: str | None, stored: Any = None
) -> str | None:
    """Why a dataset of ``organization_id`` may not deliver the item ``reference``
    names (a key or an id); None when it may. ``stored``: what the dataset names now,
    which it keeps when that item is later removed (its other fields stay editable);
    it may not newly name such an item. vndata_plan_item_link asks the same."""
    why = _refusal(reference, organization_id)
    if why is None and reference != stored:
        why = _retired_refusal(reference)
    return why
