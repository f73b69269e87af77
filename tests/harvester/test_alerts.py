"""E-mail about a stuck job and a source failing N jobs in a row, sent over real SMTP
on loopback to the source's contacts and the operators, once each."""

from __future__ import annotations

import datetime
import socket
import time

import pytest

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.tests import factories, helpers
from ckanext.harvest.model import HarvestGatherError, HarvestJob, HarvestSource

from ckanext.vndata.harvester import alerts, retention
from tests.harvester.sources import harvest_source

NOW = datetime.datetime(2026, 11, 30, 12, 0)
OPERATORS = "vanhanh@dulieu.gov.vn truc-ban@dulieu.gov.vn"


def _context() -> dict:
    return {"user": helpers.call_action("get_site_user")["name"], "ignore_auth": True}


def _source() -> tuple[dict, str]:
    """A source whose organization has an admin with an e-mail: (source, address)."""
    admin = factories.User(email="quantri@danang.gov.vn")
    org = factories.Organization(users=[{"name": admin["name"], "capacity": "admin"}])
    source = harvest_source(
        "http://127.0.0.1:9/catalog.ttl", owner_org=org["id"], title="Cổng Đà Nẵng"
    )
    return source, admin["email"]


def _finished_job(source_id: str, minutes: int, failed: bool) -> str:
    """A finished job created ``minutes`` after NOW; failed: the catalogue unread."""
    job = HarvestJob(source_id=source_id, status="Finished")
    job.created = NOW + datetime.timedelta(minutes=minutes)
    job.save()
    if failed:
        HarvestGatherError(
            harvest_job_id=job.id, message="Không đọc được danh mục"
        ).save()
    return job.id


def _addressed(inbox) -> list[str]:
    return sorted(address for message in inbox.messages for address in message["to"])


@pytest.mark.ckan_config("ckanext.vndata.harvester.operator_emails", OPERATORS)
@pytest.mark.usefixtures("with_plugins", "clean_db", "with_request_context")
class TestStuck:
    def test_contacts_and_operators_are_told_once(self, smtp_inbox):
        source, admin = _source()
        job_id = _finished_job(source["id"], 0, failed=False)

        for _ in range(2):
            alerts.alert_stuck(_context(), job_id, "Dừng sau 6 giờ: quá...", NOW)

        sysadmins = [u.email for u in model.Session.query(model.User).filter_by(
            sysadmin=True) if u.email]  # fmt: skip
        assert _addressed(smtp_inbox) == sorted([admin, *OPERATORS.split(), *sysadmins])
        message = smtp_inbox.messages[0]
        assert message["subject"] == ("[Thu thập] Cổng Đà Nẵng: phiên thu thập bị dừng")
        assert "Lý do: Dừng sau 6 giờ" in message["body"]
        assert (
            f"http://test.ckan.net/harvest/{source['id']}/job/{job_id}"
            in (message["body"])
        )


@pytest.mark.ckan_config("ckanext.vndata.harvester.operator_emails", OPERATORS)
@pytest.mark.usefixtures("with_plugins", "clean_db", "with_request_context")
class TestFailing:
    def test_three_failures_in_a_row_are_told_once_per_streak(self, smtp_inbox):
        source, admin = _source()
        _finished_job(source["id"], 0, failed=False)
        for minute in (1, 2):
            _finished_job(source["id"], minute, failed=True)

        assert alerts.alert_failing(_context(), NOW) == []  # two are not three
        last = _finished_job(source["id"], 3, failed=True)
        assert alerts.alert_failing(_context(), NOW) == [source["id"]]
        assert alerts.alert_failing(_context(), NOW) == []  # not every tick

        to_admin = [m for m in smtp_inbox.messages if admin in m["to"]]
        (message,) = to_admin
        assert message["subject"] == (
            "[Thu thập] Cổng Đà Nẵng: 3 phiên thu thập liên tiếp bị lỗi"
        )
        assert f"/harvest/{source['id']}/job/{last}" in message["body"]

        _finished_job(source["id"], 4, failed=True)  # the same streak goes on
        assert alerts.alert_failing(_context(), NOW) == []

        _finished_job(source["id"], 5, failed=False)  # it ends; a new one begins
        for minute in (6, 7, 8):
            _finished_job(source["id"], minute, failed=True)
        assert alerts.alert_failing(_context(), NOW) == [source["id"]]
        assert len([m for m in smtp_inbox.messages if admin in m["to"]]) == 2

    @pytest.mark.ckan_config("ckanext.vndata.harvester.failure_alert_after", "1")
    def test_the_number_of_failures_is_configurable(self, smtp_inbox):
        source, _ = _source()
        _finished_job(source["id"], 0, failed=True)

        assert alerts.alert_failing(_context(), NOW) == [source["id"]]

    def test_a_mail_server_down_fails_no_tick_and_is_tried_again(
        self, monkeypatch, smtp_inbox
    ):
        source, admin = _source()
        for minute in (0, 1, 2):
            _finished_job(source["id"], minute, failed=True)
        monkeypatch.setitem(tk.config, "smtp.server", "127.0.0.1:9")  # nobody there

        assert alerts.alert_failing(_context(), NOW) == []
        assert model.Session.query(alerts.Alert).count() == 0

        monkeypatch.undo()  # the server is back: the alert is sent, once
        assert alerts.alert_failing(_context(), NOW) == [source["id"]]
        assert alerts.alert_failing(_context(), NOW) == []
        assert len([m for m in smtp_inbox.messages if admin in m["to"]]) == 1


@pytest.mark.ckan_config("ckanext.vndata.harvester.operator_emails", OPERATORS)
@pytest.mark.usefixtures("with_plugins", "clean_db", "with_request_context")
class TestRobust:
    def test_a_streak_whose_first_job_was_pruned_is_not_alerted_again(self, smtp_inbox):
        """Failed gathers have no objects: prune removes the streak's first job."""
        source, admin = _source()
        _finished_job(source["id"], 0, failed=False)
        for minute in (1, 2, 3, 4, 5):
            _finished_job(source["id"], minute, failed=True)
        assert alerts.alert_failing(_context(), NOW) == [source["id"]]

        assert retention.prune(3).jobs == 3  # the success and two failures go
        model.Session.expire_all()

        assert alerts.alert_failing(_context(), NOW) == []
        _finished_job(source["id"], 6, failed=True)
        assert alerts.alert_failing(_context(), NOW) == []
        assert len([m for m in smtp_inbox.messages if admin in m["to"]]) == 1

        _finished_job(source["id"], 7, failed=False)  # a new streak is told
        for minute in (8, 9, 10):
            _finished_job(source["id"], minute, failed=True)
        assert alerts.alert_failing(_context(), NOW) == [source["id"]]
        assert len([m for m in smtp_inbox.messages if admin in m["to"]]) == 2

    def test_a_title_with_line_breaks_reaches_everyone_on_one_line(self, smtp_inbox):
        source, admin = _source()
        row = HarvestSource.get(source["id"])
        row.title = "Cổng\r\nBcc: ke-gian@example.com\nĐà Nẵng"
        row.save()
        other = harvest_source("http://127.0.0.1:9/b.ttl", name="nguon-b", title="B")
        for source_id in (source["id"], other["id"]):
            for minute in (0, 1, 2):
                _finished_job(source_id, minute, failed=True)

        assert sorted(alerts.alert_failing(_context(), NOW)) == sorted(
            [source["id"], other["id"]]
        )

        told = [m for m in smtp_inbox.messages if "Cổng" in m["subject"]]
        assert sorted(a for m in told for a in m["to"]) == sorted(
            set(_addressed(smtp_inbox))
        )
        # (A reader joins the encoded words of the header without their space.)
        assert told[0]["subject"].replace(" ", "") == (
            "[Thuthập]CổngBcc:ke-gian@example.comĐàNẵng:3phiênthuthậpliêntiếpbịlỗi"
        )
        assert "ke-gian@example.com" not in _addressed(smtp_inbox)

    @pytest.mark.ckan_config("ckanext.vndata.harvester.alert_mail_timeout", "1")
    def test_a_stalled_mail_server_costs_the_timeout_and_is_tried_again(
        self, monkeypatch
    ):
        """A server that accepts the connection and never answers."""
        source, _ = _source()
        for minute in (0, 1, 2):
            _finished_job(source["id"], minute, failed=True)
        with socket.create_server(("127.0.0.1", 0)) as stalled:
            port = stalled.getsockname()[1]
            monkeypatch.setitem(tk.config, "smtp.server", f"127.0.0.1:{port}")
            began = time.monotonic()

            assert alerts.alert_failing(_context(), NOW) == []

            assert time.monotonic() - began < 4  # one wait, not one per recipient
        assert model.Session.query(alerts.Alert).count() == 0  # tried again
        assert socket.getdefaulttimeout() is None

    def test_a_stuck_alert_nobody_received_is_tried_again(
        self, monkeypatch, smtp_inbox
    ):
        source, admin = _source()
        job = HarvestJob.get(_finished_job(source["id"], 0, failed=False))
        job.finished = NOW
        job.save()
        reason = "Dừng sau 6 giờ: quá thời gian cho phép"
        HarvestGatherError(harvest_job_id=job.id, message=reason).save()
        monkeypatch.setitem(tk.config, "smtp.server", "127.0.0.1:9")  # nobody there

        assert alerts.unsent_stuck(reason, NOW) == [job.id]
        assert not alerts.alert_stuck(_context(), job.id, reason, NOW)
        assert alerts.unsent_stuck(reason, NOW) == [job.id]

        monkeypatch.undo()
        assert alerts.alert_stuck(_context(), job.id, reason, NOW)
        assert alerts.unsent_stuck(reason, NOW) == []
        assert alerts.unsent_stuck(reason, NOW + datetime.timedelta(days=2)) == []
        assert len([m for m in smtp_inbox.messages if admin in m["to"]]) == 1
