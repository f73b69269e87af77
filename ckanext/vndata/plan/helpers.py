"""Template helpers of vndata_plan: labels in the user's language, and the address
of the plans index."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.vndata.plan import (
    exchange_rdf,
    fields,
    link_status,
    states,
    sync,
    upload,
)
from ckanext.vndata.plan.excel import columns
from ckanext.vndata.plan.item_choices import vndata_plan_item_choices  # noqa: F401


def vndata_plan_status_label(status: str) -> str:
    return states.status_label(status)


def vndata_plan_transition_label(transition: str) -> str:
    return states.transition_label(transition)


def vndata_plan_event_label(event: str) -> str:
    return states.event_label(event)


def vndata_plan_field_label(key: str) -> str:
    """The label of a plan, phase or item field (plan/fields.py)."""
    label = fields.labels().get(key)
    return tk._(label) if label else key


def vndata_plan_level_label(level: str) -> str:
    known = fields.LEVEL_BY_KEY.get(level)
    if known is None:
        return level
    return known.describe() if known.describe else tk._(known.report_label)


def vndata_plan_level_labels() -> dict[str, str]:
    """Every minimum level's label, once for a page that names them in each row."""
    return {level: vndata_plan_level_label(level) for level in fields.LEVEL_BY_KEY}


def vndata_plan_verdict_words() -> dict[str, str]:
    """A minimum level's verdicts (compliance.verdict) in the reader's words."""
    return {
        "pass": tk._("Pass"),
        "fail": tk._("Fail"),
        "not_due": tk._("Not yet due"),
        "not_judged": tk._("Not measured"),
    }


def vndata_plan_level_help(level: str) -> str:
    """How a minimum level is measured, when its label does not say it all."""
    known = fields.LEVEL_BY_KEY.get(level)
    return known.explain() if known and known.explain else ""


def vndata_plan_part_label(part: str) -> str:
    labels = {
        "plan": tk._("General information"),
        "phase": tk._("Phase"),
        "item": tk._("List item"),
    }
    return labels.get(part, part)


def vndata_plan_operation_label(operation: str) -> str:
    labels = {
        "add": tk._("add"),
        "change": tk._("change"),
        "remove": tk._("remove"),
        "keep": tk._("not in the file: kept"),
    }
    return labels.get(operation, operation)


def _shown(key: str, value) -> str:
    """A value of the upload preview as the plan page shows it: a label for a code, a
    date dd/mm/yyyy, a list joined, "—" for empty."""
    value = upload.canonical(value)
    if value is None:
        return "—"
    if key == "priority":
        return vndata_plan_priority_label(value)
    if key in dict(columns.CODED):
        return tk.h.vndata_term_label(dict(columns.CODED)[key], value)
    if key in columns.DATES:
        return tk.h.vndata_format_date(value)
    if isinstance(value, tuple):
        return ", ".join(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    return str(value)


def vndata_plan_change_rows(change: upload.Change) -> list[tuple[str, str, str]]:
    """(field label, value now, value in the file) of each field an upload changes."""
    return [
        (
            vndata_plan_field_label("phase_id" if key == "phase" else key),
            _shown(key, change.old.get(key)),
            _shown(key, change.data.get(key)),
        )
        for key in change.fields
    ]


def vndata_plan_priorities() -> list[dict[str, str]]:
    """The priorities of a list item: code and label in the user's language."""
    return [{"code": c.code, "label": tk._(c.label)} for c in fields.PRIORITIES]


def vndata_plan_priority_label(priority: str) -> str:
    labels = {choice.code: choice.label for choice in fields.PRIORITIES}
    return tk._(labels[priority]) if priority in labels else priority


def vndata_plan_dataset_title(package_id: str) -> str:
    package = model.Package.get(package_id)
    return (package.title or package.name) if package else package_id


def vndata_plan_link_pending(link: dict) -> list[str]:
    """Why a linked dataset does not count towards its item yet (empty: it counts)."""
    return link_status.reasons(link)


def vndata_plan_may_unlink(item: dict, package_id: str) -> bool:
    """Whether the current user may take the dataset off the item (the plan page's
    button and the unlink view ask this alone): the plan's rule
    (vndata_plan_item_unlink: its editors, also for a link made through the API or
    to a dataset of a cooperating agency), and, when the dataset's own plan_item
    field names the item, the right to change the dataset too."""
    if not tk.h.check_access("vndata_plan_item_unlink", {"id": item["id"]}):
        return False
    if sync.field_names(package_id, item["key"]):
        return tk.h.check_access("package_update", {"id": package_id})
    return True


def vndata_plan_user_name(user_id: str) -> str:
    user = model.User.get(user_id)
    return (user.fullname or user.name) if user else ""


def vndata_plan_agency_title(organization_id: str) -> str:
    """The title of the agency a plan belongs to (its id if it is gone)."""
    group = model.Group.get(organization_id)
    return (group.title or group.name) if group else organization_id


def vndata_plan_menu() -> list[tuple]:
    """The main menu's entries of the plans (metadata/home.py vndata_main_menu)."""
    return [
        ("vndata_plan.index", tk._("Plans")),
        ("vndata_plan.dashboard", tk._("National overview")),
    ]


def vndata_plan_home_headline() -> dict:
    """The national report's headline as anyone sees it (published plans only), for
    the home page; report_cache keeps the evaluation while no plan changes, so an
    anonymous visit costs one stamp query, not a national evaluation."""
    report = tk.get_action("vndata_compliance_report")({"user": ""}, {})
    return report["headline"]


def vndata_plan_index_url() -> str:
    """The address of the portal's plans index, which the DCAT catalogue advertises
    (dcat/profiles.py asks for this helper: it imports nothing of the plan layer)."""
    return exchange_rdf.index_url()


def get_helpers() -> dict:
    return {
        name: function
        for name, function in globals().items()
        if name.startswith("vndata_plan_") and callable(function)
    }
