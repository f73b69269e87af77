"""The metadata quality actions."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context, DataDict

from ckanext.vndata.lib.text import can_store
from ckanext.vndata.quality.breakdown import vndata_quality_breakdown
from ckanext.vndata.quality.dataset_score import (
    vndata_quality_facts,
    vndata_quality_scored_type,
    vndata_quality_stored,
    vndata_quality_unsaved,
)
from ckanext.vndata.quality.indicators import CONFORMANCE, LINKS
from ckanext.vndata.quality.summary import SCOPES, vndata_quality_group_summary

__all__ = ["vndata_quality_show", "vndata_quality_summary"]
# A dataset's, an organization's or a source's id or name is at most 100 characters.
ID_MAX = 200


def _dataset_id(data_dict: DataDict) -> str:
    """The ``id`` asked for, refused with a validation error when no dataset could
    have it: the lookups behind package_show would meet NUL or a non-string with a
    database error (a 500)."""
    value = data_dict.get("id") if isinstance(data_dict, dict) else None
    if isinstance(value, str):
        value = value.strip()
    if not value:
        raise tk.ValidationError({"id": [tk._("Missing value")]})
    if not isinstance(value, str) or len(value) > ID_MAX or not can_store(value):
        raise tk.ValidationError({"id": [tk._("No dataset has this id or name.")]})
    return value


@tk.side_effect_free
def vndata_quality_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """A dataset's metadata quality (MQA): its points, rating, each dimension and
    indicator, and the fixes that earn the most points.

    Whoever may read the dataset may read its score.

    :param id: the dataset's id or name
    :type id: string
    :returns: ``points``, ``rating`` (excellent, good, sufficient, bad),
        ``rating_label``, ``maximum`` (405), ``dimensions`` [{key, label, points,
        maximum}], ``indicators`` [{key, label, dimension, weight, points, passed,
        judged}], ``fixes`` [{text, points}] (most points first), ``conformant``
        (DCAT-AP; None until validated), ``computed`` (ISO time) and
        ``links_unchecked`` (how many of its resources' links the link checker has
        not checked yet: they do not pass until it has)
    :rtype: dictionary
    :raises: ObjectNotFound, NotAuthorized, ValidationError
    """
    # The id is checked before the permission: package_show's auth looks it up.
    package_id = _dataset_id(data_dict)
    tk.check_access("vndata_quality_show", context, {"id": package_id})
    dataset = tk.get_action("package_show")(
        {"ignore_auth": True, "user": context.get("user")}, {"id": package_id}
    )
    if not vndata_quality_scored_type(dataset):  # a harvest source has no score
        raise tk.ObjectNotFound(tk._("No dataset has this id or name."))
    # A dataset written before this plugin was enabled is scored now, not saved.
    row = vndata_quality_stored(dataset["id"]) or vndata_quality_unsaved(dataset)
    # Links not checked yet do not pass: the page says so rather than call them
    # broken, and offers no fix for them while none is known to be broken; the same
    # for a DCAT-AP conformance not judged yet.
    facts = vndata_quality_facts(dataset["id"], [r["id"] for r in dataset["resources"]])
    unchecked = sum(1 for ok in facts.reachable.values() if ok is None)
    pending = set()
    if unchecked and False not in facts.reachable.values():
        pending.add(LINKS)
    if row.conformant is None:
        pending.add(CONFORMANCE)
    shown = vndata_quality_breakdown(row, pending)
    shown["links_unchecked"] = unchecked
    return shown


def _group_id(data_dict: DataDict) -> tuple[str, str | None]:
    """(scope, the id of the organization or source asked for), refused with a
    validation error in the reader's language, never a database error."""
    if not isinstance(data_dict, dict):
        raise tk.ValidationError({"scope": [tk._("Missing value")]})
    scope = data_dict.get("scope") or "nation"
    if scope not in SCOPES:
        raise tk.ValidationError(
            {"scope": [tk._("Must be organization, source or nation.")]}
        )
    if scope == "nation":
        return scope, None
    value = data_dict.get("id")
    if isinstance(value, str):
        value = value.strip()
    if not value:
        raise tk.ValidationError({"id": [tk._("Missing value")]})
    if not isinstance(value, str) or len(value) > ID_MAX or not can_store(value):
        refused = tk._("Organization not found")
        if scope != "organization":
            refused = tk._("Harvest source not found")
        raise tk.ValidationError({"id": [refused]})
    if scope == "organization":
        group = model.Group.get(value)
        if group is None or not group.is_organization or group.state != "active":
            raise tk.ObjectNotFound(tk._("Organization not found"))
        return scope, group.id
    source = model.Package.get(value)
    if source is None or source.type != "harvest" or source.state != "active":
        raise tk.ObjectNotFound(tk._("Harvest source not found"))
    return scope, source.id


@tk.side_effect_free
def vndata_quality_summary(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The metadata quality (MQA) of an organization, a harvest source or the nation:
    the sum of its public datasets' scores, and its history (one entry per day with a
    snapshot, oldest first).

    Anyone may call it: only public datasets count.

    :param scope: ``organization``, ``source`` or ``nation`` (default)
    :type scope: string
    :param id: the organization's or the harvest source's id or name (not for
        ``nation``)
    :type id: string
    :returns: ``scope``, ``id``, ``datasets``, ``points``, ``maximum`` (405),
        ``rating`` (excellent, good, sufficient, bad), ``rating_label``,
        ``dimensions`` [{key, label, points, maximum}], ``history`` [{day, points,
        rating, datasets, dimensions {key: points}}]
    :rtype: dictionary
    :raises: ObjectNotFound, ValidationError
    """
    scope, scope_id = _group_id(data_dict)
    tk.check_access("vndata_quality_summary", context, data_dict)
    return vndata_quality_group_summary(scope, scope_id)
