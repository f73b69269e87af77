"""Where a harvested plan comes from, and why it is read-only here.

A plan harvested from a provincial portal is that portal's: the national portal shows
it with its source (the harvest source, the plan's page at the source, when the
harvest last wrote it) and refuses every change to it, sysadmins included. Only
plan/harvested.py writes it, on the harvest's behalf.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.vndata.plan.model import Plan


def _source_page(name: str) -> str | None:
    # The page ckanext-harvest registers for its sources (dataset type "harvest");
    # None where that plugin is not loaded.
    try:
        return tk.url_for("harvest.read", id=name)
    except Exception:  # werkzeug's BuildError: no such endpoint on this site
        return None


def _web_address(value: str | None) -> str | None:
    # The address came from another portal: only an http(s) one becomes a link.
    if value and value.lower().startswith(("https://", "http://")):
        return value
    return None


def source_of(plan: Plan) -> dict[str, Any] | None:
    """A harvested plan's provenance (None for a plan made here): the harvest source
    (id, title, its page), the plan's address at the source, its publisher there
    (title, agency code), the last harvest."""
    if not plan.harvest_source_id:
        return None
    # A harvest source is a core package of type "harvest": read through the model,
    # as the plan layer does not import the harvester.
    source = model.Package.get(plan.harvest_source_id)
    return {
        "id": plan.harvest_source_id,
        "title": (source.title or source.name) if source else plan.harvest_source_id,
        "url": _source_page(source.name) if source else None,
        "remote_url": _web_address(plan.remote_url),
        # The publisher as the source named it: the plan is filed under the national
        # organization the harvester mapped it to, which may be another (the source's
        # own when no publisher rule names it).
        "publisher": plan.remote_publisher,
        "publisher_code": plan.remote_publisher_code,
        "harvested_at": (plan.harvested_at.isoformat() if plan.harvested_at else None),
    }


def last_harvest(source_id: str) -> str | None:
    """When the source's latest harvest job finished, whether or not it changed the
    plan (harvested_at is when one last did); None without one or without
    ckanext-harvest."""
    try:
        status = tk.get_action("harvest_source_show_status")(
            {"ignore_auth": True}, {"id": source_id}
        )
    except (KeyError, tk.ObjectNotFound):  # KeyError: no such action on this site
        return None
    return (status.get("last_job") or {}).get("finished")


def refusal_message(source_title: str) -> str:
    """Why a plan harvested from ``source_title`` cannot be changed here."""
    return tk._(
        "This plan is harvested from {source}: it can only be changed on that "
        "portal, and the next harvest brings the change here."
    ).format(source=source_title)


def refusal(plan: Plan) -> str:
    return refusal_message((source_of(plan) or {}).get("title") or "")


def ensure_local(plan: Plan) -> None:
    """Refuse any change to a harvested plan (its parts, links and workflow too)."""
    if plan.harvest_source_id:
        raise tk.ValidationError({"harvest_source_id": [refusal(plan)]})
