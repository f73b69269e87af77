"""What an uploaded plan workbook would change, and applying it through the actions.

Phases are matched by label and list items by number (STT), so an item keeps its key,
and with it its linked datasets, across uploads. A file identical to the plan changes
nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

import ckan.plugins.toolkit as tk
from ckan.model import meta

from ckanext.vndata.plan.excel import columns
from ckanext.vndata.plan.excel.workbook import Problem, Workbook

log = logging.getLogger(__name__)

ITEM_FIELDS = [f for f, _ in columns.ITEM_COLUMNS if f != "phase"] + ["phase_id"]
PHASE_FIELDS = [f for f, _ in columns.PHASE_COLUMNS]


@dataclass
class Change:
    part: str  # plan, phase, item
    operation: str  # add, change, remove
    label: str
    fields: list[str]
    data: dict[str, Any]
    target_id: str | None = None
    row: int | None = None  # where the file has it (None: not in the file)


# Where each part's fields are, to name them when saving one fails.
SHEETS = {
    "plan": (columns.GENERAL, dict(columns.GENERAL_FIELDS)),
    "phase": (columns.PHASES, dict(columns.PHASE_COLUMNS)),
    "item": (columns.ITEMS, dict(columns.ITEM_COLUMNS)),
}


class Failed(Exception):
    """The changes were refused (by a rule or by the database); nothing was saved."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


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


def changes(plan: dict[str, Any], book: Workbook) -> list[Change]:
    result = []
    general = _differences(plan, book.general, list(book.general))
    if general:
        result.append(Change("plan", "change", plan["title"], general, book.general))
    phases = {p["label"]: p for p in plan.get("phases") or []}
    for phase in book.phases:
        current = phases.pop(phase["label"], None)
        row = book.rows.get(("phase", phase["label"]))
        if current is None:
            result.append(Change("phase", "add", phase["label"], [], phase, row=row))
            continue
        fields = _differences(current, phase, PHASE_FIELDS + ["position"])
        if fields:
            result.append(
                Change("phase", "change", phase["label"], fields, phase,
                       current["id"], row)
            )  # fmt: skip
    for label, phase in phases.items():
        result.append(Change("phase", "remove", label, [], {}, phase["id"]))
    labels = {p["id"]: p["label"] for p in plan.get("phases") or []}
    items = {i["number"]: i for i in plan.get("items") or []}
    for item in book.items:
        current = items.pop(item["number"], None)
        label = f"{item['number']}. {item['title']}"
        row = book.rows.get(("item", item["number"]))
        if current is None:
            result.append(Change("item", "add", label, [], item, row=row))
            continue
        current = {**current, "phase": labels.get(current.get("phase_id"))}
        fields = _differences(current, item, [*ITEM_FIELDS[:-1], "phase"])
        if fields:
            result.append(
                Change("item", "change", label, fields, item, current["id"], row)
            )
    for number, item in items.items():
        result.append(
            Change("item", "remove", f"{number}. {item['title']}", [], {}, item["id"])
        )
    return result


def _problems(change: Change | None, error_dict: dict) -> list[Problem]:
    sheet, headers = SHEETS[change.part if change else "plan"]
    row = change.row if change else None
    problems = []
    for key, messages in error_dict.items():
        for message in messages if isinstance(messages, list) else [messages]:
            column = headers.get(key, key) or tk._("all columns")
            problems.append(Problem(sheet, row, column, message))
    return problems


def apply(context: dict, plan: dict[str, Any], planned: list[Change]) -> None:
    """Carry out the changes with the user's rights (each action checks them), all or
    nothing: the actions' commits are deferred to one at the end, and whatever fails,
    before or at that commit, rolls back every change and leaves the session usable
    for the next request.

    :raises Failed: a rule or the database refused a change (named by its sheet, row
        and column); ``ObjectNotFound`` and ``NotAuthorized`` pass through.
    """
    doing: list[Change] = []

    def call(change: Change, action: str, data: dict) -> dict:
        doing[:] = [change]
        result = tk.get_action(action)({**context, "defer_commit": True}, data)
        # Written now rather than at the commit, so that a value the database refuses
        # is tied to the row that holds it.
        meta.Session.flush()
        return result

    try:
        for change in planned:
            if change.part == "plan":
                call(change, "vndata_plan_update", {**change.data, "id": plan["id"]})
        phase_ids = _apply_phases(call, plan, planned)
        _apply_items(call, plan, planned, phase_ids)
        for change in planned:
            if change.part == "phase" and change.operation == "remove":
                call(change, "vndata_plan_phase_delete", {"id": change.target_id})
        doing[:] = []
        meta.Session.commit()
    except tk.ValidationError as error:
        meta.Session.rollback()
        raise Failed(_problems(doing[0] if doing else None, error.error_dict)) from None
    except sa.exc.SQLAlchemyError as error:
        meta.Session.rollback()
        log.warning("Plan %s: the database refused a change: %s", plan["id"], error)
        message = tk._("The database refused this value; nothing was saved.")
        raise Failed(_problems(doing[0] if doing else None, {"": [message]})) from None
    except BaseException:
        meta.Session.rollback()
        raise


def _apply_phases(call, plan: dict[str, Any], planned: list[Change]) -> dict:
    phase_ids = {p["label"]: p["id"] for p in plan.get("phases") or []}
    for change in planned:
        if change.part != "phase" or change.operation == "remove":
            continue
        if change.operation == "add":
            data = {**change.data, "plan_id": plan["id"]}
            created = call(change, "vndata_plan_phase_create", data)
            phase_ids[change.label] = created["id"]
        else:
            data = {**change.data, "id": change.target_id}
            call(change, "vndata_plan_phase_update", data)
    return phase_ids


def _apply_items(call, plan: dict[str, Any], planned: list[Change], phase_ids) -> None:
    for change in planned:
        if change.part != "item":
            continue
        if change.operation == "remove":
            call(change, "vndata_plan_item_delete", {"id": change.target_id})
            continue
        data = dict(change.data)
        phase = data.pop("phase", None)
        data["phase_id"] = phase_ids.get(phase) if phase else None
        data = {k: v for k, v in data.items() if v is not None}
        if change.operation == "add":
            call(change, "vndata_plan_item_create", {**data, "plan_id": plan["id"]})
        else:
            call(change, "vndata_plan_item_update", {**data, "id": change.target_id})
