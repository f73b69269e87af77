"""Core's bulk dataset writes chained so that the plan links follow them.

``bulk_update_private``, ``bulk_update_public``, ``bulk_update_delete`` (the
organization's bulk page) and ``package_owner_org_update`` write the package table
directly and call no IPackageController hook, so the links' snapshots kept a dataset
made private, deleted or moved to another agency as delivering its item. Chained, not
patched (CKAN is an installed package): once core has written, each dataset named is
synced as after any other write (subscriptions.py).
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Action, Context, DataDict

from ckanext.vndata.plan import subscriptions

__all__ = [
    "bulk_update_private",
    "bulk_update_public",
    "bulk_update_delete",
    "package_owner_org_update",
]


def _resync(context: Context, package_ids: Any) -> None:
    """Sync the links of each dataset named, in a commit of its own (core has
    committed its write already)."""
    if not isinstance(package_ids, list):
        return
    for package_id in package_ids:
        package = model.Package.get(package_id) if isinstance(package_id, str) else None
        if package is None:
            continue
        # Core wrote the table, not this object, and CKAN's session keeps objects
        # as they were after a commit (expire_on_commit off): read it again.
        model.Session.refresh(package)
        subscriptions.dataset_changed(context, package)
    model.repo.commit()


@tk.chained_action
def _bulk_update(up: Action, context: Context, data_dict: DataDict):
    result = up(context, data_dict)
    _resync(context, data_dict.get("datasets"))
    return result


# The three take the same ``datasets`` and write the same way.
bulk_update_private = bulk_update_public = bulk_update_delete = _bulk_update


@tk.chained_action
def package_owner_org_update(up: Action, context: Context, data_dict: DataDict):
    result = up(context, data_dict)
    if context.get("defer_commit"):
        # Inside package_create/package_update (core calls it so), whose own hook
        # syncs once the whole write is done; syncing here too added the link twice.
        return result
    _resync(context, [data_dict.get("id")])
    return result
