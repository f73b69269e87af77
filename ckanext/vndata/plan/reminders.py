"""E-mail reminders to agency contacts: items due soon, overdue, updates overdue."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.lib import mailer

from ckanext.vndata.lib.i18n import N_
from ckanext.vndata.plan.states import STATUS_LABELS, ItemStatus
from ckanext.vndata.translation import vndata_in_language

log = logging.getLogger(__name__)

MENTIONED = ("due_soon", "overdue", "update_overdue")


def _site_user() -> dict[str, Any]:
    return tk.get_action("get_site_user")({"ignore_auth": True}, {})


def reminders(as_of: datetime.date, days: int) -> list[dict[str, Any]]:
    """One message per agency with something to do, addressed to its plan contact."""
    context = {"user": _site_user()["name"], "ignore_auth": True}
    messages = []
    for plan in tk.get_action("vndata_plan_list")(context, {"status": "published"}):
        # A harvested plan: its own portal reminds the agency, a second e-mail
        # from here would only repeat it.
        if plan["harvest_source"]:
            continue
        shown = tk.get_action("vndata_plan_show")(
            context, {"id": plan["id"], "as_of": as_of.isoformat()}
        )
        pending = [
            item
            for item in shown["items"]
            if item["status"] in MENTIONED
            or (
                item["status"] == "not_due"
                and item["target_date"]
                and (datetime.date.fromisoformat(item["target_date"]) - as_of).days
                <= days
            )
        ]
        recipient = plan.get("contact_email") or _organization_email(
            context, plan["organization_id"]
        )
        if pending and recipient:
            messages.append(
                {
                    "to": recipient,
                    "name": plan.get("contact_name") or recipient,
                    "plan": plan,
                    "items": pending,
                }
            )
    return messages


def _organization_email(context: dict, organization_id: str) -> str | None:
    org = tk.get_action("organization_show")(
        context, {"id": organization_id, "include_datasets": False}
    )
    return org.get("contact_email")


# An agency's contact reads the reminder in Vietnamese, and its English after it for
# whoever else receives it: each text is the catalogue's, in both languages at once.
LANGUAGES = ("vi", "en")


def _both(message: str, **values: Any) -> str:
    texts = []
    for locale in LANGUAGES:
        text = vndata_in_language(message, locale).format(**values)
        if text not in texts:
            texts.append(text)
    return " / ".join(texts)


def _status(status: str) -> str:
    # An item not yet due is mentioned because it falls due within the window.
    shown = ItemStatus.DUE_SOON if status == ItemStatus.NOT_DUE else status
    return _both(STATUS_LABELS[shown])


def subject(message: dict[str, Any]) -> str:
    return _both(
        N_("[Open data] Plan reminder: {title}"), title=message["plan"]["title"]
    )


def body(message: dict[str, Any]) -> str:
    lines = [
        _both(N_("Open-data plan: {title}"), title=message["plan"]["title"]),
        "",
        _both(N_("These items need attention:")),
    ]
    for item in message["items"]:
        due = _due(item.get("target_date"))
        lines.append(
            f"  {item['number']}. {item['title']} - {_status(item['status'])}"
            f" ({_both(N_('due date'))} {due})"
        )
    lines += ["", tk.config.get("ckan.site_url") + "/"]
    return "\n".join(lines)


def _due(target_date: str | None) -> str:
    if not target_date:
        return "-"
    return datetime.date.fromisoformat(target_date).strftime("%d/%m/%Y")


def send(messages: Iterable[dict[str, Any]]) -> int:
    sent = 0
    for message in messages:
        try:
            mailer.mail_recipient(
                message["name"],
                message["to"],
                subject(message),
                body(message),
            )
            sent += 1
        except mailer.MailerException:
            log.exception("Reminder to %s failed", message["to"])
    return sent


def send_reminders(as_of: str | None = None, days: int | None = None) -> int:
    """The background job (queue vndata:plan) and the CLI both run this."""
    when = datetime.date.fromisoformat(as_of) if as_of else datetime.date.today()
    return send(
        reminders(
            when,
            days
            if days is not None
            else tk.config.get("ckanext.vndata.plan.reminder_days"),
        )
    )
