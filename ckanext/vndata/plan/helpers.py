"""Template helpers of vndata_plan: labels in the user's language."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import model


def vndata_plan_status_label(status: str) -> str:
    labels = {
        "draft": tk._("draft"),
        "submitted": tk._("submitted"),
        "returned": tk._("returned"),
        "approved": tk._("approved"),
        "published": tk._("published"),
        "superseded": tk._("superseded"),
        "not_due": tk._("not due"),
        "due_soon": tk._("due soon"),
        "published_on_time": tk._("published on time"),
        "published_late": tk._("published late"),
        "overdue": tk._("overdue"),
        "update_overdue": tk._("update overdue"),
        "removed": tk._("removed"),
    }
    return labels.get(status, status)


def vndata_plan_transition_label(transition: str) -> str:
    labels = {
        "submit": tk._("Submit for review"),
        "return": tk._("Return for changes"),
        "approve": tk._("Approve"),
        "publish": tk._("Publish"),
        "revise": tk._("Start a revision"),
    }
    return labels.get(transition, transition)


def vndata_plan_event_label(transition: str) -> str:
    labels = {
        "create": tk._("created"),
        "submit": tk._("submitted"),
        "return": tk._("returned"),
        "approve": tk._("approved"),
        "publish": tk._("published"),
        "revise": tk._("revised"),
        "reopen": tk._("reopened for editing"),
        "supersede": tk._("superseded"),
    }
    return labels.get(transition, transition)


def vndata_plan_level_label(level: str) -> str:
    labels = {
        "min_datasets": tk._("Datasets published"),
        "min_percent_published": tk._("List published (%)"),
        "min_stars": tk._("Stars (lowest of the published)"),
        "min_percent_machine_readable": tk._("Machine-readable (%)"),
        "min_percent_api": tk._("With an API (%)"),
        "min_percent_complete_metadata": tk._("Complete metadata (%)"),
        "min_percent_updated_on_schedule": tk._("Updated on schedule (%)"),
    }
    return labels.get(level, level)


def vndata_plan_part_label(part: str) -> str:
    labels = {
        "plan": tk._("General information"),
        "phase": tk._("Phase"),
        "item": tk._("List item"),
    }
    return labels.get(part, part)


def vndata_plan_operation_label(operation: str) -> str:
    labels = {"add": tk._("add"), "change": tk._("change"), "remove": tk._("remove")}
    return labels.get(operation, operation)


def vndata_plan_priority_label(priority: str) -> str:
    labels = {"cao": tk._("high"), "trung_binh": tk._("medium"), "thap": tk._("low")}
    return labels.get(priority, priority)


def vndata_plan_dataset_title(package_id: str) -> str:
    package = model.Package.get(package_id)
    return (package.title or package.name) if package else package_id


def vndata_plan_user_name(user_id: str) -> str:
    user = model.User.get(user_id)
    return (user.fullname or user.name) if user else ""


def get_helpers() -> dict:
    return {
        name: function
        for name, function in globals().items()
        if name.startswith("vndata_plan_") and callable(function)
    }
