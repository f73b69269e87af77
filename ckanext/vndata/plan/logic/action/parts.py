"""Phases and items of a plan, and the datasets that deliver the items."""

from __future__ import annotations

import datetime
import difflib
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.model import meta
from ckan.types import Context, DataDict

from ckanext.vndata.lib.text import fold, search_words
from ckanext.vndata.plan import fields, sync
from ckanext.vndata.plan.dictization import (
    Reader,
    dataset_identities,
    item_dictize,
    links_by_key,
    phase_dictize,
)
from ckanext.vndata.plan.logic import link_validators, schema
from ckanext.vndata.plan.logic.action._common import (
    assign,
    commit,
    ensure_editable,
    get_item,
    get_phase,
    get_plan,
    validate,
    validate_update,
)
from ckanext.vndata.plan.model import DatasetLink, Item, Phase
from ckanext.vndata.plan.provenance import ensure_local

__all__ = [
    "vndata_plan_phase_create",
    "vndata_plan_phase_show",
    "vndata_plan_phase_list",
    "vndata_plan_phase_update",
    "vndata_plan_phase_delete",
    "vndata_plan_item_create",
    "vndata_plan_item_show",
    "vndata_plan_item_list",
    "vndata_plan_item_update",
    "vndata_plan_item_delete",
    "vndata_plan_item_link",
    "vndata_plan_item_unlink",
    "vndata_plan_item_suggest",
]


def _today() -> datetime.date:
    return datetime.date.today()


def _item_with_links(context: Context, item: Item) -> dict[str, Any]:
    """An item as a dict, with its linked datasets (as the user may see them) and its
    status today."""
    links = links_by_key([item.key])[item.key]
    return item_dictize(item, links, _today(), Reader.of(context, item.plan_id))


def vndata_plan_phase_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Add a phase with its minimum levels to a draft or returned plan.

    Editors of the agency may call it. Any minimum level may be left out.

    :param plan_id: the plan
    :param label: e.g. "Giai đoạn 1 (2025)"
    :param start_date: first day of the phase
    :param end_date: last day of the phase
    :param position: order among the phases (default: after the last)
    {levels}    :rtype: dictionary
    """
    tk.check_access("vndata_plan_phase_create", context, data_dict)
    data = validate(context, data_dict, schema.vndata_plan_phase_create())
    plan = get_plan(data["plan_id"], "plan_id")
    ensure_editable(plan)
    if data.get("position") is None:
        data["position"] = (
            meta.Session.query(Phase).filter(Phase.plan_id == plan.id).count()
        )
    phase = Phase(plan_id=plan.id)
    assign(phase, data)
    meta.Session.add(phase)
    commit(context)
    return phase_dictize(phase)


# One :param: line per minimum level, from the registry (fields.LEVELS); no
# docstring at all under python -OO.
if vndata_plan_phase_create.__doc__:
    vndata_plan_phase_create.__doc__ = vndata_plan_phase_create.__doc__.format(
        levels=fields.levels_doc().lstrip()
    )


@tk.side_effect_free
def vndata_plan_phase_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """One phase of a plan.

    :param id: the phase's id
    :rtype: dictionary
    """
    tk.check_access("vndata_plan_phase_show", context, data_dict)
    data = validate(context, data_dict, schema.vndata_plan_id())
    return phase_dictize(get_phase(data["id"]))


@tk.side_effect_free
def vndata_plan_phase_list(context: Context, data_dict: DataDict) -> list[dict]:
    """The phases of a plan, in order.

    :param plan_id: the plan
    :rtype: list of dictionaries
    """
    tk.check_access("vndata_plan_phase_list", context, data_dict)
    data = validate(context, data_dict, schema.vndata_plan_parts())
    plan = get_plan(data["plan_id"], "plan_id")
    query = meta.Session.query(Phase).filter(Phase.plan_id == plan.id)
    return [phase_dictize(p) for p in query.order_by(Phase.position, Phase.start_date)]


def vndata_plan_phase_update(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Change a phase of a draft or returned plan (fields as in create; left out keep
    their value, optional ones sent empty are cleared).

    :param id: the phase's id
    :rtype: dictionary
    """
    tk.check_access("vndata_plan_phase_update", context, data_dict)
    phase = get_phase(data_dict.get("id"))
    ensure_editable(get_plan(phase.plan_id))
    update_schema = schema.vndata_plan_phase_update()
    data = validate_update(context, phase, data_dict, update_schema)
    assign(phase, data)
    commit(context)
    return phase_dictize(phase)


def vndata_plan_phase_delete(context: Context, data_dict: DataDict) -> None:
    """Remove a phase; its items stay on the list without a phase.

    :param id: the phase's id
    """
    tk.check_access("vndata_plan_phase_delete", context, data_dict)
    data = validate(context, data_dict, schema.vndata_plan_id())
    phase = get_phase(data["id"])
    ensure_editable(get_plan(phase.plan_id))
    meta.Session.delete(phase)
    commit(context)


def _check_item(plan_id: str, data: dict[str, Any], item_id: str | None) -> None:
    errors = {}
    phase_id = data.get("phase_id")
    if phase_id:
        phase = Phase.get(phase_id)
        if phase is None or phase.plan_id != plan_id:
            errors["phase_id"] = [tk._("The phase is not part of this plan.")]
    taken = (
        meta.Session.query(Item)
        .filter(Item.plan_id == plan_id, Item.number == data.get("number"))
        .filter(Item.id != (item_id or ""))
        .count()
    )
    if taken:
        errors["number"] = [
            tk._("Item number {number} is already on the list.").format(
                number=data.get("number")
            )
        ]
    if errors:
        raise tk.ValidationError(errors)


def vndata_plan_item_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Add an item (a row of the open-data list) to a draft or returned plan.

    Editors of the agency may call it.

    :param plan_id: the plan
    :param title: the data to publish
    :param number: its number on the list (default: the next one)
    :param description: what the data holds
    :param sector: one of the 12 national sectors
    :param lead_agency: the agency that provides it
    :param cooperating_agencies: list of cooperating agencies
    :param source_database: the database it comes from
    :param source_database_type: quoc_gia, bo_nganh, dia_phuong or khac
    :param formats: list of formats (CSV, API ...)
    :param channel: how it is published
    :param update_frequency: hang_ngay ... khong_dinh_ky
    :param priority: cao, trung_binh or thap
    :param demand_evidence: who asked for it
    :param target_date: when it is due to be published
    :param phase_id: the phase it belongs to
    :param importance_class: must be khac (other data)
    :param removed_reason: set to take the item off the list, with the reason
    :rtype: dictionary
    """
    tk.check_access("vndata_plan_item_create", context, data_dict)
    data = validate(context, data_dict, schema.vndata_plan_item_create())
    plan = get_plan(data["plan_id"], "plan_id")
    ensure_editable(plan)
    if data.get("number") is None:
        last = meta.Session.query(Item.number).filter(Item.plan_id == plan.id)
        data["number"] = max((n for (n,) in last), default=0) + 1
    _check_item(plan.id, data, None)
    item = Item(plan_id=plan.id)
    assign(item, data)
    meta.Session.add(item)
    commit(context)
    return item_dictize(item, [], _today(), Reader.of(context, plan.id))


@tk.side_effect_free
def vndata_plan_item_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """One item with its status today and its linked datasets.

    :param id: the item's id
    :rtype: dictionary
    """
    tk.check_access("vndata_plan_item_show", context, data_dict)
    item = get_item(validate(context, data_dict, schema.vndata_plan_id())["id"])
    return _item_with_links(context, item)


@tk.side_effect_free
def vndata_plan_item_list(context: Context, data_dict: DataDict) -> list[dict]:
    """The items of a plan's list, by number.

    :param plan_id: the plan
    :rtype: list of dictionaries
    """
    tk.check_access("vndata_plan_item_list", context, data_dict)
    data = validate(context, data_dict, schema.vndata_plan_parts())
    plan = get_plan(data["plan_id"], "plan_id")
    items = (
        meta.Session.query(Item).filter(Item.plan_id == plan.id).order_by(Item.number)
    )
    items = list(items)
    links = links_by_key(i.key for i in items)
    reader = Reader.of(context, plan.id)
    names = dataset_identities(link.package_id for i in items for link in links[i.key])
    return [item_dictize(i, links[i.key], _today(), reader, names) for i in items]


def vndata_plan_item_update(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Change an item of a draft or returned plan (fields as in create; left out keep
    their value, optional ones sent empty are cleared).

    :param id: the item's id
    :rtype: dictionary
    """
    tk.check_access("vndata_plan_item_update", context, data_dict)
    item = get_item(data_dict.get("id"))
    ensure_editable(get_plan(item.plan_id))
    update_schema = schema.vndata_plan_item_update()
    data = validate_update(context, item, data_dict, update_schema)
    data.setdefault("number", item.number)
    _check_item(item.plan_id, data, item.id)
    assign(item, data)
    commit(context)
    return _item_with_links(context, item)


def vndata_plan_item_delete(context: Context, data_dict: DataDict) -> None:
    """Delete an item from a draft or returned plan.

    To take an item off a published list, revise the plan and set removed_reason.

    :param id: the item's id
    """
    tk.check_access("vndata_plan_item_delete", context, data_dict)
    item = get_item(validate(context, data_dict, schema.vndata_plan_id())["id"])
    ensure_editable(get_plan(item.plan_id))
    meta.Session.delete(item)
    commit(context)


def _readable_dataset(context: Context, package_id: str) -> dict[str, Any]:
    """The dataset, if the user may read it: linking shows it on the plan, so a
    dataset the user may not see (a private one of another agency) is refused."""
    user_context = {
        "user": context.get("user"),
        "ignore_auth": context.get("ignore_auth", False),
    }
    try:
        tk.check_access("package_show", user_context, {"id": package_id})
        return tk.get_action("package_show")(
            {"user": context.get("user"), "ignore_auth": True, "use_cache": False},
            {"id": package_id},
        )
    except (tk.NotAuthorized, tk.ObjectNotFound):
        raise tk.ValidationError(
            {"package_id": [tk._("No dataset you may read has this id or name.")]}
        )


def vndata_plan_item_link(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Record that a dataset delivers an item (in any plan state: it follows delivery).

    Editors of the agency may call it, for a dataset they may read that belongs to the
    agency or to an agency the item names as cooperating. Setting the dataset's
    plan_item field does the same without this call.

    :param id: the item's id
    :param package_id: the dataset's id or name
    :rtype: dictionary (the item)
    :raises: ValidationError if the dataset cannot be read or may not deliver the item
    """
    tk.check_access("vndata_plan_item_link", context, data_dict)
    data = validate(context, data_dict, schema.vndata_plan_item_link())
    item = get_item(data["id"])
    ensure_local(get_plan(item.plan_id))
    package = _readable_dataset(context, data["package_id"])
    # The dataset form's rule (its plan_item field): same agency, item still listed.
    refusal = link_validators.refusal(item.key, package.get("owner_org"))
    if refusal:
        raise tk.ValidationError({"package_id": [refusal]})
    sync.link(item.key, package, "action", context.get("user"))
    commit(context)
    return _item_with_links(context, item)


def vndata_plan_item_unlink(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Remove the link between an item and a dataset.

    Editors of the agency may call it, also for a dataset they may not read (to take
    back a wrong link).

    :param id: the item's id
    :param package_id: the dataset's id or name
    :rtype: dictionary (the item)
    """
    tk.check_access("vndata_plan_item_unlink", context, data_dict)
    data = validate(context, data_dict, schema.vndata_plan_item_link())
    item = get_item(data["id"])
    ensure_local(get_plan(item.plan_id))
    package = context["model"].Package.get(data["package_id"])
    package_id = package.id if package else data["package_id"]
    meta.Session.query(DatasetLink).filter(
        DatasetLink.item_key == item.key, DatasetLink.package_id == package_id
    ).delete(synchronize_session=False)
    commit(context)
    return _item_with_links(context, item)


@tk.side_effect_free
def vndata_plan_item_suggest(context: Context, data_dict: DataDict) -> list[dict]:
    """Datasets of the agency whose title resembles an unlinked item's title.

    Titles are compared without accents or case. Already linked datasets are left out.

    :param id: the item's id
    :param limit: how many candidates (default 5)
    :rtype: list of {id, name, title, score}
    """
    tk.check_access("vndata_plan_item_suggest", context, data_dict)
    data = validate(context, data_dict, schema.vndata_plan_item_suggest())
    item = get_item(data["id"])
    plan = get_plan(item.plan_id)
    linked = {link.package_id for link in links_by_key([item.key])[item.key]}
    found = tk.get_action("package_search")(
        {"user": context.get("user")},
        {
            "q": search_words(item.title) or "*:*",
            "fq": f'owner_org:"{plan.organization_id}"',
            "rows": 50,
            "include_private": True,
        },
    )["results"]
    wanted = fold(item.title)
    candidates = [
        {
            "id": d["id"],
            "name": d["name"],
            "title": d["title"],
            "score": round(
                difflib.SequenceMatcher(None, wanted, fold(d["title"])).ratio(), 3
            ),
        }
        for d in found
        if d["id"] not in linked
    ]
    candidates.sort(key=lambda c: c["score"], reverse=True)
    return candidates[: data["limit"]]
