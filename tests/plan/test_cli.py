"""ckan vndata_plan report / remind, with reminders sent to a real local SMTP server."""

from __future__ import annotations

import csv
import io
import json

import pytest

from ckan.cli.cli import ckan
from ckan.tests import factories

from tests.helpers import loopback_smtp
from tests.plan.conftest import call
from tests.plan.helpers import published_plan_with_items as _published_plan_with_items


@pytest.fixture
def smtp_inbox():
    with loopback_smtp() as inbox:
        yield inbox


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestNationalReport:
    def test_cli_report_as_csv(self, agency, cli):
        _published_plan_with_items(agency)

        result = cli.invoke(ckan, ["vndata_plan", "report", "--as-of", "2025-07-01"])

        assert result.exit_code == 0, result.output
        rows = list(csv.DictReader(io.StringIO(result.output)))
        assert rows[0]["agency"] == agency.org["title"]
        # Its phase runs to the end of 2025: its level is not due yet, not failed.
        assert (rows[0]["planned"], rows[0]["overdue"], rows[0]["levels_failed"]) == (
            "3",
            "1",
            "0",
        )
        assert (rows[0]["plan_status"], rows[0]["plan_status_label"]) == (
            "published",
            "đã công bố",
        )
        assert rows[0]["province_label"] == "Thành phố Đà Nẵng"

    def test_cli_report_as_json(self, agency, cli):
        _published_plan_with_items(agency)

        result = cli.invoke(ckan, ["vndata_plan", "report", "--format", "json"])

        assert json.loads(result.output)["rows"][0]["planned"] == 3


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestReminders:
    def test_agency_contact_gets_due_and_overdue_items(self, agency, cli, smtp_inbox):
        _published_plan_with_items(agency)

        result = cli.invoke(
            ckan, ["vndata_plan", "remind", "--as-of", "2025-07-01", "--days", "14"]
        )

        assert result.exit_code == 0, result.output
        assert "1 reminder(s) sent" in result.output
        (message,) = smtp_inbox.messages
        assert message["to"] == ["dulieumo@danang.gov.vn"]
        assert message["subject"].startswith("[Dữ liệu mở] Nhắc việc kế hoạch")
        assert "2. Giá đất - quá hạn / overdue" in message["body"]
        assert "3. Điểm wifi - sắp đến hạn / due soon" in message["body"]
        assert "Danh sách trường học" not in message["body"]  # already published

    def test_nothing_due_sends_nothing(self, agency, cli, smtp_inbox):
        _published_plan_with_items(agency)

        result = cli.invoke(
            ckan, ["vndata_plan", "remind", "--as-of", "2025-01-01", "--days", "7"]
        )

        assert "0 reminder(s) sent" in result.output
        assert smtp_inbox.messages == []

    def test_invalid_date_is_refused(self, cli):
        result = cli.invoke(ckan, ["vndata_plan", "remind", "--as-of", "01/07/2025"])

        assert result.exit_code != 0


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "clean_queues")
class TestReminderJob:
    def test_enqueued_job_is_run_by_a_real_worker_and_sends_mail(
        self, agency, cli, smtp_inbox
    ):
        _published_plan_with_items(agency)

        queued = cli.invoke(
            ckan, ["vndata_plan", "remind", "--enqueue", "--as-of", "2025-07-01"]
        )
        assert queued.exit_code == 0, queued.output
        jobs = call("job_list", factories.Sysadmin(), queues=["vndata:plan"])
        assert [j["title"] for j in jobs] == ["vndata_plan reminders"]

        worked = cli.invoke(ckan, ["jobs", "worker", "--burst", "vndata:plan"])

        assert worked.exit_code == 0, worked.output
        assert len(smtp_inbox.messages) == 1
        assert call("job_list", factories.Sysadmin(), queues=["vndata:plan"]) == []
