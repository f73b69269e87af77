"""Reminders to agency contacts: who gets one, what it lists, and a failing mail server
costs only its own message (plan/reminders.py). The CLI and the background job that
run them are in tests/plan/test_cli.py."""

from __future__ import annotations

import datetime

import pytest

from ckan.lib import mailer

from ckanext.vndata.plan import reminders
from tests.plan.conftest import plan_in
from tests.plan.helpers import harvested_plan, published_plan_with_items

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

JULY_FIRST = datetime.date(2025, 7, 1)


def test_the_contact_of_a_published_plan_gets_what_is_due_or_late(agency):
    published_plan_with_items(agency)
    plan_in(agency, contact_email="khong-gui@danang.gov.vn")  # a draft: no reminder

    (message,) = reminders.reminders(JULY_FIRST, 14)

    assert message["to"] == "dulieumo@danang.gov.vn"
    assert sorted(i["title"] for i in message["items"]) == ["Giá đất", "Điểm wifi"]


def test_a_harvested_plan_is_left_to_its_own_portal(agency):
    harvested_plan(agency, contact_email="dulieumo@danang.gov.vn")  # items overdue

    assert reminders.reminders(JULY_FIRST, 14) == []


def test_an_item_not_yet_due_within_the_days_is_mentioned(agency):
    published_plan_with_items(agency)

    (message,) = reminders.reminders(datetime.date(2025, 5, 1), 31)

    assert [i["title"] for i in message["items"]] == ["Giá đất"]


def test_the_body_names_each_item_its_status_and_deadline(agency):
    published_plan_with_items(agency)
    (message,) = reminders.reminders(JULY_FIRST, 14)

    body = reminders.body(message)

    assert "Kế hoạch dữ liệu mở: " + message["plan"]["title"] in body
    assert "Giá đất - quá hạn / overdue (hạn / due date 31/05/2025)" in body
    assert "Các mục sau cần được xử lý: / These items need attention:" in body


def test_the_subject_is_in_both_languages():
    message = {"plan": {"title": "K"}, "items": []}

    assert reminders.subject(message) == (
        "[Dữ liệu mở] Nhắc việc kế hoạch: K / [Open data] Plan reminder: K"
    )


def test_an_item_not_yet_due_is_named_due_soon():
    message = {
        "plan": {"title": "K"},
        "items": [
            {"number": 1, "title": "A", "status": "not_due", "target_date": None}
        ],
    }

    assert "1. A - sắp đến hạn / due soon (hạn / due date -)" in reminders.body(message)


def test_a_failed_message_is_logged_and_the_others_are_sent(monkeypatch):
    sent = []

    def mail(name, address, subject, body):
        if address == "hong@x.vn":
            raise mailer.MailerException("550")
        sent.append(address)

    monkeypatch.setattr(mailer, "mail_recipient", mail)
    plan = {"title": "K"}
    messages = [
        {"to": to, "name": to, "plan": plan, "items": []}
        for to in ("hong@x.vn", "tot@x.vn")
    ]

    assert reminders.send(messages) == 1
    assert sent == ["tot@x.vn"]
