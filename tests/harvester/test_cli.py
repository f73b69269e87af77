"""`ckan vndata_harvester`: run one source now, the overview, the scheduler."""

from __future__ import annotations

import datetime
import json
import threading

import pytest
import sqlalchemy as sa

from ckan import model
from ckan.cli.cli import ckan
from ckan.tests import factories, helpers
from ckanext.harvest import queue
from ckanext.harvest.model import HarvestJob

from ckanext.vndata.harvester import cli as harvester_cli
from ckanext.vndata.harvester import consumers, retention, schedule
from tests.harvester.helpers import (
    TOO_LONG,
    catalogue,
    ckan_api_with_plans,
    ckan_record,
    ckan_source,
    connection_lost_in_activity,
    remote_plan,
)
from tests.harvester.sources import (
    create_job,
    harvest_source,
    turtle_catalogue,
    turtle_record,
)
from tests.helpers import ckan_process, ini_over_test_ini, run_harvest


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestRunCommand:
    def test_run_imports_with_progress_and_exits_zero(self, catalogue_server, cli):
        handler, url = catalogue_server
        handler.body = catalogue([1, 2])
        source = harvest_source(url)

        result = cli.invoke(ckan, ["vndata_harvester", "run", source["name"]])

        assert result.exit_code == 0, result.output
        assert "thêm mới 2, cập nhật 0" in result.output
        assert helpers.call_action("package_search")["count"] == 2

    def test_run_sends_a_record_again_when_the_database_connection_is_lost(
        self, catalogue_server, cli, monkeypatch
    ):
        # Review finding: the loss (let out of the import so that a consumer sends
        # the record again) ended `run` with a traceback, the job half done.
        handler, url = catalogue_server
        handler.body = turtle_catalogue({n: turtle_record(n) for n in (1, 2)})
        source = harvest_source(url)
        lost = connection_lost_in_activity(monkeypatch)
        monkeypatch.setattr(consumers, "_sleep", lambda seconds: None)

        result = cli.invoke(ckan, ["vndata_harvester", "run", source["name"]])

        assert lost, "the activity was not reached"
        assert result.exit_code == 0, result.output
        assert "thêm mới 2, cập nhật 0" in result.output
        assert helpers.call_action("package_search")["count"] == 2

    def test_run_counts_the_plans_apart_in_vietnamese(self, catalogue_server, cli):
        handler, url = catalogue_server
        handler.respond = ckan_api_with_plans([ckan_record(1)], [remote_plan()])
        source = ckan_source(url)

        result = cli.invoke(ckan, ["vndata_harvester", "run", source["name"]])

        assert result.exit_code == 0, result.output
        assert "thêm mới 1, cập nhật 0" in result.output  # the dataset
        assert (
            "kế hoạch: thêm mới 1, cập nhật 0, không đổi 0, rút 0, lỗi 0"
            in result.output
        )

    def test_run_prints_the_plans_line_when_no_plan_could_be_read(
        self, catalogue_server, cli
    ):
        handler, url = catalogue_server
        shown, organization = remote_plan()
        shown["items"] = "không phải danh sách"  # the only plan is unreadable
        handler.respond = ckan_api_with_plans([ckan_record(1)], [(shown, organization)])
        source = ckan_source(url)

        result = cli.invoke(ckan, ["vndata_harvester", "run", source["name"]])

        assert "kế hoạch: thêm mới 0, cập nhật 0" in result.output
        assert "Không đọc được kế hoạch" in result.output

    def test_run_of_a_failing_source_exits_non_zero_and_says_why(
        self, catalogue_server, cli
    ):
        handler, url = catalogue_server
        handler.pages = {"/khac": b""}  # 404 for the catalogue
        source = harvest_source(url)

        result = cli.invoke(ckan, ["vndata_harvester", "run", source["id"]])

        assert result.exit_code == 1
        assert "404" in result.output

    def test_run_of_an_unknown_source_is_refused(self, cli):
        result = cli.invoke(ckan, ["vndata_harvester", "run", "khong-co"])

        assert result.exit_code != 0
        assert "Không tìm thấy nguồn thu thập: khong-co" in result.output
        assert "Error" not in result.output  # click's English prefix

    def test_run_says_everything_in_vietnamese_naming_records_by_title(
        self, catalogue_server, cli
    ):
        handler, url = catalogue_server
        handler.body = turtle_catalogue(
            {1: turtle_record(1), 2: turtle_record(2, title=TOO_LONG)}
        )
        source = harvest_source(url)

        result = cli.invoke(ckan, ["vndata_harvester", "run", source["name"]])

        # A record held back (the harvest policy cannot make it a dataset) is for
        # review: the run itself succeeded.
        assert result.exit_code == 0, result.output
        assert "Đang đọc danh mục" in result.output
        assert "thêm mới 1, cập nhật 0" in result.output
        assert "chờ xem xét 1, lỗi 0, cảnh báo 0" in result.output
        refused = next(
            line for line in result.output.splitlines() if "(chờ xem xét)" in line
        )
        assert refused.startswith("«Tập dữ liệu có tên quá dài")
        assert "Tên tập dữ liệu:" in refused
        assert source["id"] not in result.output  # no guid
        for english in ("errored", "Invalid", "Error", "dataset", "[errors]"):
            assert english not in result.output

    def test_run_while_a_job_waits_is_refused_in_vietnamese(
        self, catalogue_server, cli
    ):
        _handler, url = catalogue_server
        source = harvest_source(url)
        create_job(source["id"])  # waiting for the queues

        result = cli.invoke(ckan, ["vndata_harvester", "run", source["name"]])

        assert result.exit_code == 1
        assert result.output.startswith(
            "Không thể bắt đầu phiên thu thập cho «cong-du-lieu-da-nang»: "
        )
        assert "đang chờ hoặc đang chạy" in result.output  # ckanext-harvest's reason
        assert "Error" not in result.output
        assert HarvestJob.filter(source_id=source["id"]).count() == 1


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_overview_prints_the_overview_as_json_in_vietnamese(catalogue_server, cli):
    handler, url = catalogue_server
    handler.body = catalogue([1])
    source = harvest_source(url, title="Cổng dữ liệu Đà Nẵng")
    run_harvest(source["id"], "vndata_dcat")

    result = cli.invoke(ckan, ["vndata_harvester", "overview"])

    assert result.exit_code == 0, result.output
    assert "Cổng dữ liệu Đà Nẵng" in result.output  # not \\u escapes
    (row,) = json.loads(result.output)
    assert (row["source_id"], row["province_code"], row["datasets"]) == (
        source["id"],
        "48",
        1,
    )


URL = "http://127.0.0.1:9/catalog.ttl"
_DAY = datetime.timedelta(days=1)
NOW = datetime.datetime(2026, 11, 30, 12, 0)


def _scheduled_source(name: str, last_slot: datetime.datetime) -> dict:
    """A source harvested every day at 02:00, last started at ``last_slot``."""
    source = harvest_source(URL, name=name)
    helpers.call_action(
        "harvest_source_patch",
        context={"user": factories.Sysadmin()["name"]},
        id=source["id"],
        schedule_time="02:00",
    )
    row = model.Session.get(schedule.SourceSchedule, source["id"])
    row.last_slot = last_slot
    model.Session.commit()
    return source


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestSchedulerCommand:
    def test_a_run_finishes_the_jobs_whose_records_are_done(self, cli):
        source = harvest_source("http://127.0.0.1:9/catalog.ttl")
        job = HarvestJob.get(create_job(source["id"])["id"])
        job.status = "Running"
        job.gather_finished = datetime.datetime.utcnow()  # it listed no record
        job.save()

        result = cli.invoke(ckan, ["vndata_harvester", "scheduler", "--runs", "1"])

        assert result.exit_code == 0, result.output
        model.Session.remove()
        assert HarvestJob.get(job.id).status == "Finished"

    def test_a_real_scheduler_starts_aborts_and_alerts_once(self, tmp_path, smtp_inbox):
        """Three runs of a real `ckan vndata_harvester scheduler` process whose clock
        starts at 02:05 in Vietnam on 01/12/2026 (--now, UTC): the source scheduled at
        02:00 starts once, the job running for 7 hours is aborted and its source's
        contacts and the operators are told once."""
        now = datetime.datetime(2026, 11, 30, 19, 5)
        scheduled = _scheduled_source("cong-ha-noi", last_slot=now - _DAY)
        admin = factories.User(email="quantri@danang.gov.vn")
        org = factories.Organization(
            users=[{"name": admin["name"], "capacity": "admin"}]
        )
        stuck_source = harvest_source(
            "http://127.0.0.1:10/catalog.ttl", owner_org=org["id"], title="Cổng Đà Nẵng"
        )
        stuck = HarvestJob.get(create_job(stuck_source["id"])["id"])
        stuck.status, stuck.gather_started = "Running", now - _DAY / 24 * 7
        stuck.save()
        ini = ini_over_test_ini(
            tmp_path / "scheduler.ini",
            **{"ckanext.vndata.harvester.operator_emails": "vanhanh@dulieu.gov.vn"},
        )
        args = ["--runs", "3", "--every", "1", "--now", now.isoformat()]

        try:
            with ckan_process(ini, "vndata_harvester", "scheduler", *args) as process:
                assert process.wait(timeout=120) == 0
        finally:
            queue.purge_queues()

        model.Session.remove()
        assert HarvestJob.filter(source_id=scheduled["id"]).count() == 1
        assert HarvestJob.get(stuck.id).status == "Finished"
        report = helpers.call_action("vndata_harvest_job_report", id=stuck.id)
        assert report["gather_errors"] == ["Dừng sau 6 giờ: quá thời gian cho phép"]
        told = [m for m in smtp_inbox.messages if "bị dừng" in m["subject"]]
        assert sorted(
            a for m in told for a in m["to"] if "@dulieu" in a or "@danang" in a
        ) == [
            "quantri@danang.gov.vn",
            "vanhanh@dulieu.gov.vn",
        ]

    @pytest.mark.parametrize("args", [["--every", "0"], ["--runs", "-1"]])
    def test_out_of_range_options_are_refused(self, cli, args):
        result = cli.invoke(ckan, ["vndata_harvester", "scheduler", *args])

        assert result.exit_code == 2


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestOneSchedulerAtATime:
    def test_a_run_while_another_scheduler_runs_does_nothing(self, monkeypatch):
        """Two runs at once, as two schedulers on two machines: the second acts not."""
        inside, release, ran = threading.Event(), threading.Event(), []

        def step(context, now):
            ran.append(threading.current_thread().name)
            if threading.current_thread().name == "first":
                inside.set()
                assert release.wait(30)

        monkeypatch.setattr(harvester_cli, "_steps", lambda hours: [step])
        monkeypatch.setattr(harvester_cli, "_context", lambda: {})
        results = {}
        first = threading.Thread(
            target=lambda: results.update(first=harvester_cli._run_once(NOW)),
            name="first",
        )
        first.start()
        try:
            assert inside.wait(30)
            assert harvester_cli._run_once(NOW) is False
        finally:
            release.set()
            first.join(30)
        assert (results, ran) == ({"first": True}, ["first"])
        assert harvester_cli._run_once(NOW) is True  # released at the run's end

    def test_the_lock_is_a_postgresql_advisory_lock(self, monkeypatch):
        monkeypatch.setattr(harvester_cli, "_steps", lambda hours: [])
        with model.meta.engine.connect().execution_options(
            isolation_level="AUTOCOMMIT"
        ) as other:
            lock = sa.select(sa.func.pg_try_advisory_lock(harvester_cli._LOCK))
            assert other.execute(lock).scalar()
            assert harvester_cli._run_once(NOW) is False
            other.execute(sa.select(sa.func.pg_advisory_unlock(harvester_cli._LOCK)))
        assert harvester_cli._run_once(NOW) is True


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestPruneFromTheScheduler:
    def test_prune_goes_to_the_jobs_worker_not_at_start(self, cli, monkeypatch):
        enqueued, pruned = [], []
        monkeypatch.setattr(
            retention.tk, "enqueue_job", lambda fn, **kw: enqueued.append(fn)
        )
        monkeypatch.setattr(retention, "prune", lambda *a, **kw: pruned.append(a))
        args = ["vndata_harvester", "scheduler", "--runs", "1", "--prune-hours", "6"]

        for _ in range(2):  # two starts: no prune, the clock starts once
            result = cli.invoke(ckan, [*args, "--now", "2026-11-30T12:00"])
            assert result.exit_code == 0, result.output
        assert (enqueued, pruned) == ([], [])

        result = cli.invoke(ckan, [*args, "--now", "2026-11-30T18:01"])
        assert result.exit_code == 0, result.output
        assert (enqueued, pruned) == ([retention.vndata_prune_job], [])
        result = cli.invoke(ckan, [*args, "--now", "2026-11-30T18:02"])
        assert enqueued == [retention.vndata_prune_job]  # once per 6 hours

        retention.vndata_prune_job()  # what the worker runs
        assert len(pruned) == 1
