"""What an uploaded plan workbook would change, and applying it through the actions.

Phases are matched by label and list items by number (STT), so an item keeps its key,
and with it its linked datasets, across uploads. A file identical to the plan changes
nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.model import meta

from ckanext.vndata.plan import excel

ITEM_FIELDS = [f for f, _ in excel.ITEM_COLUMNS if f != "phase"] + ["phase_id"]
PHASE_FIELDS = [f for f, _ in excel.PHASE_COLUMNS]


@dataclass
class Change:
    part: str  # plan, phase, item
    operation: str  # add, change, remove
    label: str
    fields: list[str]
    data: dict[str, Any]
    target_id: str | None = None


def _same(a: Any, b: Any) -> bool:
    def norm(value: Any) -> str:
        if value in (None, "", []):
            return ""
        if isinstance(value, list):
            return ",".join(str(v) for v in value)
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)

    return norm(a) == norm(b)


def _differences(current: dict, wanted: dict, fields: list[str]) -> list[str]:
    return [f for f in fields if f in wanted and not _same(current.get(f), wanted[f])]


def changes(plan: dict[str, Any], book: excel.Workbook) -> list[Change]:
    result = []
    general = _differences(plan, book.general, list(book.general))
    if general:
        result.append(Change("plan", "change", plan["title"], general, book.general))
    phases = {p["label"]: p for p in plan.get("phases") or []}
    for phase in book.phases:
        current = phases.pop(phase["label"], None)
        if current is None:
            result.append(Change("phase", "add", phase["label"], [], phase))
            continue
        fields = _differences(current, phase, PHASE_FIELDS + ["position"])
        if fields:
            result.append(
                Change("phase", "change", phase["label"], fields, phase, current["id"])
            )
    for label, phase in phases.items():
        result.append(Change("phase", "remove", label, [], {}, phase["id"]))
    labels = {p["id"]: p["label"] for p in plan.get("phases") or []}
    items = {i["number"]: i for i in plan.get("items") or []}
    for item in book.items:
        current = items.pop(item["number"], None)
        label = f"{item['number']}. {item['title']}"
        if current is None:
            result.append(Change("item", "add", label, [], item))
            continue
        current = {**current, "phase": labels.get(current.get("phase_id"))}
        fields = _differences(current, item, [*ITEM_FIELDS[:-1], "phase"])
        if fields:
            result.append(Change("item", "change", label, fields, item, current["id"]))
    for number, item in items.items():
        result.append(
            Change("item", "remove", f"{number}. {item['title']}", [], {}, item["id"])
        )
    return result


def apply(context: dict, plan: dict[str, Any], planned: list[Change]) -> None:
    """Carry out the changes with the user's rights (each action checks them), all or
    nothing: the actions' commits are deferred to one at the end, and an action that
    fails halfway rolls back the ones before it."""

    def call(action: str, data: dict) -> dict:
        return tk.get_action(action)({**context, "defer_commit": True}, data)

    try:
        for change in planned:
            if change.part == "plan":
                call("vndata_plan_update", {**change.data, "id": plan["id"]})
        phase_ids = _apply_phases(call, plan, planned)
        _apply_items(call, plan, planned, phase_ids)
        for change in planned:
            if change.part == "phase" and change.operation == "remove":
                call("vndata_plan_phase_delete", {"id": change.target_id})
    except Exception:
        meta.Session.rollback()
        raise
    meta.Session.commit()


def _apply_phases(call, plan: dict[str, Any], planned: list[Change]) -> dict:
    phase_ids = {p["label"]: p["id"] for p in plan.get("phases") or []}
    for change in planned:
        if change.part != "phase" or change.operation == "remove":
            continue
        if change.operation == "add":
            data = {**change.data, "plan_id": plan["id"]}
            phase_ids[change.label] = call("vndata_plan_phase_create", data)["id"]
        else:
            call("vndata_plan_phase_update", {**change.data, "id": change.target_id})
    return phase_ids


def _apply_items(call, plan: dict[str, Any], planned: list[Change], phase_ids) -> None:
    for change in planned:
        if change.part != "item":
            continue
        if change.operation == "remove":
            call("vndata_plan_item_delete", {"id": change.target_id})
            continue
        data = dict(change.data)
        phase = data.pop("phase", None)
        data["phase_id"] = phase_ids.get(phase) if phase else None
        data = {k: v for k, v in data.items() if v is not None}
        if change.operation == "add":
            call("vndata_plan_item_create", {**data, "plan_id": plan["id"]})
        else:
            call("vndata_plan_item_update", {**data, "id": change.target_id})
