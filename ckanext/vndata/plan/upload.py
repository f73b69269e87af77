"""What an uploaded plan workbook would change, and applying it through the actions.

Rows are matched by the hidden key column of downloaded workbooks: an item by its key
(stable across the plan's versions, and what its linked datasets name), a phase by its
id, or by its label where a row has no id; an item row without a key is a new item.
What the file does not hold is kept, unless the officer asks for it to be removed
(``remove_missing``): a template filled with a few rows adds them, as the officer who
typed them expects, and never wipes the items entered on the web. Values are compared
as the actions store them (lists, dates, numbers, empty or missing), so uploading the
plan's own download, or the same file twice, changes nothing.
"""

from __future__ import annotations

import datetime
import json
import logging
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

import ckan.plugins.toolkit as tk
from ckan.model import meta

from ckanext.vndata.plan.excel import columns
from ckanext.vndata.plan.excel.workbook import Problem, Workbook

log = logging.getLogger(__name__)

GENERAL_FIELDS = [f for f, _ in columns.GENERAL_FIELDS]
ITEM_FIELDS = [f for f, _ in columns.ITEM_COLUMNS]  # "phase": the phase's label
PHASE_FIELDS = [f for f, _ in columns.PHASE_COLUMNS]
# Operations that write something (a "keep" is shown, not done).
WRITING = ("add", "change", "remove")


@dataclass
class Change:
    part: str  # plan, phase, item
    operation: str  # add, change, remove, keep (not in the file, kept)
    label: str
    fields: list[str]
    data: dict[str, Any]
    target_id: str | None = None
    row: int | None = None  # where the file has it (None: not in the file)
    old: dict[str, Any] = field(default_factory=dict)  # the changed fields' values now
    renumbered_from: int | None = None  # the STT the file gave, taken by a kept item


# Where each part's fields are, to name them when saving one fails.
SHEETS = {
    "plan": (columns.GENERAL, dict(columns.GENERAL_FIELDS)),
    "phase": (columns.PHASES, dict(columns.PHASE_COLUMNS)),
    "item": (columns.ITEMS, {**dict(columns.ITEM_COLUMNS), "phase_id": "Giai đoạn"}),
}


class Failed(Exception):
    """The changes were refused (by a rule or by the database); nothing was saved."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


def canonical(value: Any) -> Any:
    """A value as the tables store it, to compare a cell with the plan: a list and its
    JSON text or comma-separated text alike, a date and its ISO text, 5 and 5.0, and
    empty, blank and missing."""
    if isinstance(value, str):
        value = value.strip()
        if value.startswith("["):
            try:
                value = json.loads(value)
            except (ValueError, RecursionError):
                return value
    if isinstance(value, (list, tuple)):
        value = tuple(s for s in (str(v).strip() for v in value) if s)
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    return None if value in ("", ()) else value


def _differences(current: dict, wanted: dict, names: list[str]) -> list[str]:
    """The fields whose value in the file (missing: empty) is not the plan's."""
    return [f for f in names if canonical(current.get(f)) != canonical(wanted.get(f))]


def check(plan: dict[str, Any], book: Workbook) -> list[Problem]:
    """Keys the plan does not know, or a key on two rows: a key column edited or a row
    copied, whose row must not silently update another item or become a new one."""
    problems = []
    known = {
        "item": {i["key"] for i in plan.get("items") or []},
        "phase": {p["id"] for p in plan.get("phases") or []},
    }
    parts = (
        ("item", book.items, columns.ITEM_KEY, lambda r: ("item", r["number"])),
        ("phase", book.phases, columns.PHASE_KEY, lambda r: ("phase", r["label"])),
    )
    for part, rows, (name, header), where in parts:
        seen: set[str] = set()
        for row in rows:
            key = row.get(name)
            if not key:
                continue
            sheet, number = SHEETS[part][0], book.rows.get(where(row))
            if key not in known[part]:
                message = tk._(
                    "This key is not one of this plan's. Do not edit the key column; "
                    "to add a row as new, clear its key."
                )
                problems.append(Problem(sheet, number, header, message))
            elif key in seen:
                message = tk._(
                    "This key is on two rows: a copied row must have its key cleared."
                )
                problems.append(Problem(sheet, number, header, message))
            seen.add(key)
    return problems


def _general_changes(plan: dict, book: Workbook) -> list[Change]:
    if book.general is None:  # the sheet left blank
        return []
    fields = _differences(plan, book.general, GENERAL_FIELDS)
    if not fields:
        return []
    data = {f: book.general.get(f) for f in fields}
    old = {f: plan.get(f) for f in fields}
    return [Change("plan", "change", plan["title"], fields, data, old=old)]


def _phase_changes(plan: dict, book: Workbook, remove_missing: bool) -> list[Change]:
    result = []
    current = plan.get("phases") or []
    by_id = {p["id"]: p for p in current}
    by_label = {p["label"]: p for p in current}
    matched: set[str] = set()
    for phase in book.phases:
        row = book.rows.get(("phase", phase["label"]))
        found = by_id.get(phase.get("id") or "") or (
            None if phase.get("id") else by_label.get(phase["label"])
        )
        data = {k: v for k, v in phase.items() if k != "id"}
        if found is None or found["id"] in matched:
            data["position"] = len(current) + len(result)
            result.append(Change("phase", "add", phase["label"], [], data, row=row))
            continue
        matched.add(found["id"])
        fields = _differences(found, phase, PHASE_FIELDS)
        if fields:
            old = {f: found.get(f) for f in fields}
            data = {f: phase.get(f) for f in fields}
            result.append(
                Change("phase", "change", phase["label"], fields, data, found["id"],
                       row, old)
            )  # fmt: skip
    operation = "remove" if remove_missing else "keep"
    for phase in current:
        if phase["id"] not in matched:
            result.append(Change("phase", operation, phase["label"], [], {},
                                 phase["id"]))  # fmt: skip
    return result


def _item_changes(plan: dict, book: Workbook, remove_missing: bool) -> list[Change]:
    current = plan.get("items") or []
    labels = {p["id"]: p["label"] for p in plan.get("phases") or []}
    by_key = {i["key"]: i for i in current}
    in_file = {item.get("key") for item in book.items} - {None}
    missing = [i for i in current if i["key"] not in in_file]
    # The numbers that stay taken: the kept items' and those the file gives its rows.
    taken = {item["number"] for item in book.items if item.get("key") in by_key}
    if not remove_missing:
        taken |= {i["number"] for i in missing}
    result, added = [], []
    for item in book.items:
        row = book.rows.get(("item", item["number"]))
        data = {k: v for k, v in item.items() if k != "key"}
        found = by_key.get(item.get("key") or "")
        if found is None:
            added.append((item, data, row))
            continue
        found = {**found, "phase": labels.get(found.get("phase_id"))}
        fields = _differences(found, item, ITEM_FIELDS)
        if fields:
            label = f"{item['number']}. {item['title']}"
            old = {f: found.get(f) for f in fields}
            data = {f: item.get(f) for f in fields}
            result.append(
                Change("item", "change", label, fields, data, found["id"], row, old)
            )
    for item, data, row in added:
        renumbered = None
        if data["number"] in taken:  # a template's STT 1, 2 … beside the kept items
            renumbered = data["number"]
            data["number"] = max(taken) + 1
        taken.add(data["number"])
        label = f"{data['number']}. {data['title']}"
        result.append(Change("item", "add", label, [], data, row=row,
                             renumbered_from=renumbered))  # fmt: skip
    operation = "remove" if remove_missing else "keep"
    for item in missing:
        label = f"{item['number']}. {item['title']}"
        result.append(Change("item", operation, label, [], {}, item["id"]))
    return result


def changes(
    plan: dict[str, Any], book: Workbook, remove_missing: bool = False
) -> list[Change]:
    """Every change the file makes (call ``check`` first), and the parts it does not
    hold: kept ("keep"), or removed if ``remove_missing``."""
    return [
        *_general_changes(plan, book),
        *_phase_changes(plan, book, remove_missing),
        *_item_changes(plan, book, remove_missing),
    ]


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
    for the next request. A change list with nothing to write writes nothing.

    :raises Failed: a rule or the database refused a change (named by its sheet, row
        and column); ``ObjectNotFound`` and ``NotAuthorized`` pass through.
    """
    planned = [c for c in planned if c.operation in WRITING]
    if not planned:
        return
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
            phase_ids[change.label] = change.target_id  # its label, perhaps new
    return phase_ids


def _apply_items(call, plan: dict[str, Any], planned: list[Change], phase_ids) -> None:
    items = [c for c in planned if c.part == "item"]
    # Removed first and added last, so that a number freed is free to take.
    order = {"remove": 0, "change": 1, "add": 2}
    for change in sorted(items, key=lambda c: order[c.operation]):
        if change.operation == "remove":
            call(change, "vndata_plan_item_delete", {"id": change.target_id})
            continue
        data = dict(change.data)
        if "phase" in data:
            phase = data.pop("phase")
            data["phase_id"] = phase_ids.get(phase) if phase else None
        if change.operation == "add":
            data = {k: v for k, v in data.items() if v is not None}
            call(change, "vndata_plan_item_create", {**data, "plan_id": plan["id"]})
        else:  # an emptied cell (None) clears its field
            call(change, "vndata_plan_item_update", {**data, "id": change.target_id})
