"""The plan page's "link a dataset" and "unlink": an item's dataset picked by title.

Linking writes the dataset's plan_item through package_patch, as the dataset form
does, so the schema's check (logic/link_validators.py), the sync of the links and
compliance run as for any dataset write; no second way to link bypasses them. Only
a user who may edit both the plan's links (vndata_plan_item_link) and the dataset
(package_update) gets through. A dataset that delivers another item is moved only
once the user confirms it (the field holds one item: the other one loses it).
Unlinking follows helpers.vndata_plan_may_unlink, as the plan page's button does.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint

import ckan.plugins.toolkit as tk

from ckanext.vndata.lib.text import QUERY_MAX, can_store, search_words
from ckanext.vndata.plan import item_choices, sync
from ckanext.vndata.plan.views._common import (
    allowed,
    context,
    csrf_checked,
    load_local_plan,
    may,
)

RESULTS = 20
# The value of the "move it here" form's field (any other value confirms nothing).
CONFIRM = "move"


def _item(plan: dict[str, Any], item_id: str) -> dict[str, Any]:
    """The plan's item, or a 404 page (an item of another plan is not this plan's)."""
    for item in plan["items"]:
        if item["id"] == item_id:
            return item
    return tk.abort(404, tk._("Item not found"))


def _target(plan_id: str, item_id: str) -> tuple[dict, dict]:
    plan = load_local_plan(plan_id)
    item = _item(plan, item_id)
    may(
        "vndata_plan_item_link",
        {"id": item["id"]},
        tk._("Only editors of the agency may link datasets."),
    )
    return plan, item


def candidates(
    plan: dict[str, Any], item: dict[str, Any], query: str
) -> list[dict[str, Any]]:
    """The agency's datasets matching ``query`` (accent-insensitive, as the site
    search) that the user may edit, each with the other item it delivers now
    (``vndata_delivers``: {key, label}, or None)."""
    found = tk.get_action("package_search")(
        context(),
        {
            "q": search_words(query) or "*:*",
            "fq": f'owner_org:"{plan["organization_id"]}"',
            "rows": RESULTS,
            "include_private": True,
            "sort": "score desc, metadata_modified desc",
        },
    )["results"]
    datasets = [d for d in found if allowed("package_update", {"id": d["id"]})]
    for dataset in datasets:
        dataset["vndata_delivers"] = _other_item(dataset, item)
    return datasets


def _other_item(dataset: dict[str, Any], item: dict[str, Any]) -> dict | None:
    now = item_choices.delivered_now(dataset.get("plan_item"))
    return now if now and now["key"] != item["key"] else None


def _package_id() -> str | None:
    value = tk.request.form.get("package_id", "")
    return value if value and can_store(value) and len(value) <= 100 else None


def _page(plan, item, query: str, errors: list[str], status=200, confirm=None):
    return tk.render(
        "vndata_plan/link_dataset.html",
        {
            "plan": plan,
            "item": item,
            "query": query[:QUERY_MAX],
            "datasets": candidates(plan, item, query),
            "errors": errors,
            "confirm": confirm,
            "confirm_value": CONFIRM,
        },
    ), status


@csrf_checked
def link(plan_id: str, item_id: str):
    plan, item = _target(plan_id, item_id)
    query = tk.request.args.get("q", "")
    if not can_store(query):
        query = ""
    if tk.request.method != "POST":
        return _page(plan, item, query, [])
    package_id = _package_id()
    if package_id is None:
        return _page(plan, item, query, [tk._("Choose a dataset.")], 400)
    try:
        dataset = tk.get_action("package_show")(context(), {"id": package_id})
        other = _other_item(dataset, item)
        if other and tk.request.form.get("confirm") != CONFIRM:
            message = tk._(
                "Dataset {title} delivers item {other} now: linking it here takes "
                "it off that item. Confirm below to move it, or leave it there."
            ).format(title=dataset["title"], other=other["label"])
            confirm = {"dataset": dataset, "other": other}
            return _page(plan, item, query, [message], 409, confirm)
        dataset = tk.get_action("package_patch")(
            context(), {"id": dataset["id"], "plan_item": item["key"]}
        )
    except tk.ObjectNotFound:
        return _page(plan, item, query, [tk._("No such dataset.")], 404)
    except tk.NotAuthorized:
        return tk.abort(403, tk._("You may not edit this dataset."))
    except tk.ValidationError as error:
        messages = [str(m) for ms in error.error_dict.values() for m in _flat(ms)]
        return _page(plan, item, query, messages, 400)
    tk.h.flash_success(
        tk._("Dataset {title} now delivers item {number}.").format(
            title=dataset["title"], number=item["number"]
        )
    )
    return tk.redirect_to("vndata_plan.read", plan_id=plan["id"], _anchor="danh-muc")


def _flat(messages: Any) -> list[str]:
    if isinstance(messages, list):
        return [m for part in messages for m in _flat(part)]
    if isinstance(messages, dict):
        return [m for part in messages.values() for m in _flat(part)]
    return [str(messages)]


@csrf_checked
def unlink(plan_id: str, item_id: str):
    plan, item = _target(plan_id, item_id)
    package_id = _package_id()
    if package_id is None:
        return tk.abort(400, tk._("Choose a dataset."))
    link = next(
        (
            link
            for link in item["datasets"]
            if package_id in (link.get("package_id"), link.get("package_name"))
        ),
        None,
    )
    if link is None:
        return tk.abort(404, tk._("This dataset does not deliver this item."))
    package_id = link["package_id"]
    if not tk.h.vndata_plan_may_unlink(item, package_id):
        return tk.abort(403, tk._("You may not edit this dataset."))
    try:
        if sync.field_names(package_id, item["key"]):
            tk.get_action("package_patch")(
                context(), {"id": package_id, "plan_item": ""}
            )
        # A link made by the API or matched by title has no field to clear.
        tk.get_action("vndata_plan_item_unlink")(
            context(), {"id": item["id"], "package_id": package_id}
        )
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("No such dataset."))
    except tk.NotAuthorized:
        return tk.abort(403, tk._("You may not edit this dataset."))
    except tk.ValidationError as error:
        for message in _flat(error.error_dict):
            tk.h.flash_error(message)
        return tk.redirect_to("vndata_plan.read", plan_id=plan["id"])
    tk.h.flash_success(
        tk._("Dataset {title} no longer delivers item {number}.").format(
            title=tk.h.vndata_plan_dataset_title(package_id), number=item["number"]
        )
    )
    return tk.redirect_to("vndata_plan.read", plan_id=plan["id"], _anchor="danh-muc")


def register(blueprint: Blueprint) -> None:
    blueprint.add_url_rule(
        "/ke-hoach/<plan_id>/muc/<item_id>/gan-tap-du-lieu", view_func=link,
        methods=["GET", "POST"], endpoint="link",
    )  # fmt: skip
    blueprint.add_url_rule(
        "/ke-hoach/<plan_id>/muc/<item_id>/bo-gan", view_func=unlink,
        methods=["POST"], endpoint="unlink",
    )  # fmt: skip
