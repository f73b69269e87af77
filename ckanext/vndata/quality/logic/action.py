"""The metadata quality actions."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Context, DataDict

from ckanext.vndata.lib.text import can_store
from ckanext.vndata.quality.breakdown import vndata_quality_breakdown
from ckanext.vndata.quality.dataset_score import (
    vndata_quality_facts,
    vndata_quality_stored,
    vndata_quality_unsaved,
)

__all__ = ["vndata_quality_show"]
ID_MAX = 200  # a dataset's id or name is at most 100 characters


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
    # A dataset written before this plugin was enabled is scored now, not saved.
    row = vndata_quality_stored(dataset["id"]) or vndata_quality_unsaved(dataset)
    shown = vndata_quality_breakdown(row)
    # Links not checked yet do not pass: the page says so rather than call them broken.
    facts = vndata_quality_facts(dataset["id"], [r["id"] for r in dataset["resources"]])
    shown["links_unchecked"] = sum(1 for ok in facts.reachable.values() if ok is None)
    return shown
