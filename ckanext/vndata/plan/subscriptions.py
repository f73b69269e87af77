"""Reactions to dataset writes: refresh the plan links of the dataset."""

from __future__ import annotations

import logging
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context

from ckanext.vndata.plan import sync

log = logging.getLogger(__name__)


def dataset_written(
    context: Context, pkg_dict: dict[str, Any], created: bool = False
) -> None:
    if pkg_dict.get("type", "dataset") != "dataset" or not pkg_dict.get("id"):
        return
    matched = None
    linked = not created and sync.has_links(pkg_dict["id"])  # a new one has none
    if not pkg_dict.get("plan_item") and not linked:
        if not pkg_dict.get("source_catalog_uri"):
            return  # most datasets: no plan item, nothing to follow
        # A harvested dataset delivers the item its agency planned under its title.
        matched = sync.matching_item(pkg_dict.get("owner_org"), pkg_dict.get("title"))
        if matched is None:
            return
    # The hook's dict is what the caller sent; the stored dataset is what counts.
    package = tk.get_action("package_show")(
        {"ignore_auth": True, "user": context.get("user"), "use_cache": False},
        {"id": pkg_dict["id"]},
    )
    if matched:
        sync.link(matched, package, "match", context.get("user"))
    else:
        sync.sync_dataset(package, context.get("user"))


def dataset_deleted(context: Context, pkg_dict: dict[str, Any]) -> None:
    if pkg_dict.get("id"):
        sync.dataset_deleted(pkg_dict["id"])


def dataset_changed(context: Context, package: model.Package) -> None:
    """After a write that calls no hook (logic/action/bulk.py): as after a delete
    or an update, by the stored state."""
    if package.state == "deleted":
        sync.dataset_deleted(package.id)
    else:
        dataset_written(
            context,
            {
                "id": package.id,
                "type": package.type,
                "plan_item": package.extras.get("plan_item"),
            },
        )
