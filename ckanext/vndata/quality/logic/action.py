"""The metadata quality actions."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context, DataDict

from ckanext.vndata.lib.text import can_store
from ckanext.vndata.quality.summary import SCOPES, vndata_quality_group_summary

__all__ = ["vndata_quality_summary"]
ID_MAX = 200  # an organization's or a source's id or name is at most 100 characters


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
        raise tk.ValidationError({"id": [tk._("Not found")]})
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
