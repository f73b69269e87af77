"""Which resources go into the DataStore (ckanext-xloader), and why the others do not.

xloader downloads a resource's URL itself, in its worker. That URL is typed by a
publisher or harvested from another portal, so it must not be a way into the portal's
own network: a link is loaded only when lib/url_safety accepts it and every redirect it
leads through (http or https to public addresses, or to
``ckanext.vndata.harvester.allowed_hosts``; url_safety.final_target). xloader then
downloads with requests, which follows the redirects and resolves the names again: a
server or a DNS answer that changes in between is out of reach here, and only an egress
proxy that refuses private ranges (``ckan.download_proxy``, which xloader honours)
closes that gap (SECURITY.md). A link whose host has no address, does not answer or
redirects too often is refused as "unresolved", and tried again when its dataset is
next saved (submit_new_resources). The portal's own
uploads are loaded whatever the address (xloader fetches them from the portal itself,
a loopback address on most sites). A file known to be larger than
``ckanext.xloader.max_content_length`` is not loaded either.

A refusal is kept as a task status of the resource (task type ``vndata_datastore``), so
the resource page says why in the reader's language; a load accepted later clears it.
All of it goes through xloader's own hook (IXloader.can_upload), never a patch.

The national portal loads harvested resources too (CSV, XLSX... under the same size
cap): citizens expect a preview and an API for every table, and one worker loading one
file at a time, each once until it changes (xloader compares the file's hash), is a
polite load on the provincial portals.
"""

from __future__ import annotations

import datetime
import json
import logging
from typing import Any

import ckan.model as model
import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.vndata.lib import url_safety
from ckanext.vndata.lib.i18n import N_

log = logging.getLogger(__name__)

TASK_TYPE = "vndata_datastore"
TASK_KEY = "refusal"

# Why a resource is not loaded, as shown on its page ({size}: the cap in MB).
REFUSALS = {
    "scheme": N_(
        "This resource's link is not an http or https address, so its data is not "
        "loaded into the DataStore: no preview table and no Data API."
    ),
    "unresolved": N_(
        "This resource's link could not be followed to its file (its host cannot be "
        "found, does not answer or redirects too many times), so its data is not "
        "loaded into the DataStore yet: the portal tries again when the dataset is "
        "next updated."
    ),
    "address": N_(
        "This resource's link points to a private or internal network address, "
        "which the portal never fetches: its data is not loaded into the DataStore "
        "(no preview table and no Data API)."
    ),
    "too_large": N_(
        "This file is larger than {size} MB, the most the DataStore loads: download "
        "it to read it (no preview table and no Data API)."
    ),
}
# Reasons that may not hold next time: such a resource is submitted again.
RETRIED = frozenset({"unresolved"})


def max_bytes() -> int:
    return tk.config.get("ckanext.xloader.max_content_length")


def refusal(resource: dict[str, Any]) -> str | None:
    """Why ``resource`` may not be loaded (a key of REFUSALS), or None if it may."""
    size = resource.get("size")
    if isinstance(size, int) and not isinstance(size, bool) and size > max_bytes():
        return "too_large"
    if resource.get("url_type") == "upload":
        return None  # the portal's own file, fetched from the portal itself
    url = resource.get("url") or ""
    if url_safety.origin(url) is None:
        return "scheme"
    try:
        url_safety.final_target(url)
    except url_safety.Unresolved:
        return "unresolved"
    except url_safety.UnsafeTarget:
        return "address"  # private, loopback, link-local, on the way or at the end
    return None


def can_upload(resource_id: str) -> bool:
    """IXloader.can_upload: load the resource unless refusal() says why not, and keep
    that reason for the resource page."""
    try:
        resource = tk.get_action("resource_show")(
            {"ignore_auth": True}, {"id": resource_id}
        )
    except tk.ObjectNotFound:
        return False
    reason = refusal(resource)
    _record(resource_id, reason)
    if reason:
        log.info("DataStore: resource %s not loaded (%s)", resource_id, reason)
    return reason is None


def _record(resource_id: str, reason: str | None) -> None:
    # A session of its own, committed now, as xloader keeps its own task status: the
    # action that saved the resource may still be open.
    session = model.meta.create_local_session()
    context = {"session": session, "ignore_auth": True}
    try:
        task = tk.get_action("task_status_show")(
            context, {"entity_id": resource_id, "task_type": TASK_TYPE, "key": TASK_KEY}
        )
    except tk.ObjectNotFound:
        task = None
    if reason is None:
        if task:
            tk.get_action("task_status_delete")(context, {"id": task["id"]})
        return
    tk.get_action("task_status_update")(
        context,
        {
            **({"id": task["id"]} if task else {}),
            "entity_id": resource_id,
            "entity_type": "resource",
            "task_type": TASK_TYPE,
            "key": TASK_KEY,
            "value": json.dumps({"reason": reason}),
            "state": "refused",
            "error": "",
            "last_updated": datetime.datetime.utcnow().isoformat(),
        },
    )


def refusal_message(resource_id: str) -> str | None:
    """The recorded reason why a resource is not in the DataStore, in the reader's
    language, or None."""
    row = (
        model.Session.query(model.TaskStatus.value)
        .filter_by(entity_id=resource_id, task_type=TASK_TYPE, key=TASK_KEY)
        .first()
    )
    reason = _reason(row.value) if row is not None else None
    if reason not in REFUSALS:
        return None
    return tk._(REFUSALS[reason]).format(size=max_bytes() // 1_000_000)


def after_upload(dataset: dict[str, Any]) -> None:
    """IXloader.after_upload: the dataset is saved again, so the values computed from
    its resources count the new DataStore table (openness stars; the plans' "with an
    API" fact, kept in step by plan/sync.py).

    A whole save, not a write of the two values: the stars are computed by the schema's
    validators and the API fact by plan/sync.py when a dataset is updated (a later
    layer, which this one may not call), so a direct write would copy both rules here
    and leave the search index and the plans behind. The cost is a new
    metadata_modified and an activity by the site user.
    """
    try:
        tk.get_action("package_patch")(
            {"ignore_auth": True, "user": _site_user()}, {"id": dataset["id"]}
        )
    except tk.ValidationError as error:
        # A dataset stored before a rule tightened may no longer pass its schema. Its
        # table is loaded all the same: raising here would stop xloader's hook before
        # it makes the resource's views and records the job as complete.
        log.warning(
            "DataStore: dataset %s not saved again after a load: %s",
            dataset["id"],
            sorted(error.error_dict),
        )


def submit_new_resources(dataset: dict[str, Any]) -> None:
    """Submit the dataset's resources that xloader has never seen.

    xloader submits a resource made by resource_create or whose URL changed, not the
    resources of package_create or those a package_update adds (the harvesters and the
    API make most of them that way); without this they would have no preview and no
    API. xloader skips a submission it already has queued.
    """
    if not p.plugin_loaded("xloader"):
        return
    from ckanext.xloader.utils import XLoaderFormats  # only when xloader is loaded

    package = model.Package.get(dataset.get("id") or "")
    if package is None:
        return
    for resource in package.resources:
        if not XLoaderFormats.is_it_an_xloader_format(resource.format):
            continue
        if resource.url_type in ("datapusher", "xloader", "datastore"):
            continue
        if _seen(resource.id):
            continue
        try:
            tk.get_action("xloader_submit")(
                {"ignore_auth": True, "user": _site_user()},
                {"resource_id": resource.id},
            )
        except tk.ValidationError as error:
            # No ckanext.xloader.api_token: xloader is not set up on this site.
            log.debug("DataStore: %s not submitted: %s", resource.id, error)


def _seen(resource_id: str) -> bool:
    """Whether xloader has had the resource (its own task) or we refused it for a
    reason that still holds (not one of RETRIED)."""
    tasks = (
        model.Session.query(model.TaskStatus.task_type, model.TaskStatus.value)
        .filter(model.TaskStatus.entity_id == resource_id)
        .filter(model.TaskStatus.task_type.in_(("xloader", TASK_TYPE)))
    )
    return any(
        kind == "xloader" or _reason(value) not in RETRIED for kind, value in tasks
    )


def _reason(value: str | None) -> str | None:
    """The reason recorded in a refusal's task value (None if unreadable)."""
    try:
        return json.loads(value or "{}").get("reason")
    except (ValueError, AttributeError):
        return None


def _site_user() -> str:
    return tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
