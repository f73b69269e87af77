"""A source's schedule at a fixed local time: validated (hostile input is a Vietnamese
error, nothing written), stored apart, shown and edited on the source's pages, and
started once per scheduled time by start_due (the scheduler's step)."""

from __future__ import annotations

import datetime
import re

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.tests import factories, helpers
from ckanext.harvest import queue
from ckanext.harvest.model import HarvestJob, HarvestSource

from ckanext.vndata.harvester import schedule
from tests.fuzz import FUZZ, HOSTILE
from tests.harvester.sources import create_job, harvest_source, post_source_form
from tests.helpers import token_headers

API = "/api/3/action/"
URL = "http://127.0.0.1:9/catalog.ttl"
# Monday 30/11/2026, 02:00 in Vietnam (UTC+7) is 29/11/2026 19:00 UTC.
MONDAY_0200 = datetime.datetime(2026, 11, 29, 19, 0)


def _utc(month: int, day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, minute)


def _row(source_id: str) -> schedule.SourceSchedule | None:
    model.Session.expire_all()
    return model.Session.get(schedule.SourceSchedule, source_id)


def _stored(source_id: str) -> tuple[str, str] | None:
    row = _row(source_id)
    return (row.time_of_day, row.weekdays) if row else None


def _jobs(source_id: str) -> int:
    model.Session.expire_all()
    return HarvestJob.filter(source_id=source_id).count()


def _finish_jobs(source_id: str) -> None:
    for job in HarvestJob.filter(source_id=source_id):
        job.status = "Finished"
    model.Session.commit()


def _context() -> dict:
    return {"user": helpers.call_action("get_site_user")["name"], "ignore_auth": True}


def _scheduled(time_of_day="02:00", days=(), slot=MONDAY_0200) -> dict:
    """A source scheduled at ``time_of_day``, its last started time ``slot``."""
    source = harvest_source(URL)
    helpers.call_action(
        "harvest_source_patch",
        context={"user": factories.Sysadmin()["name"]},
        id=source["id"],
        schedule_time=time_of_day,
        schedule_days=list(days),
    )
    _row(source["id"]).last_slot = slot
    model.Session.commit()
    return source


@pytest.fixture
def no_queued_jobs():
    """start_due puts its jobs on the gather queue: none is left for later tests."""
    yield
    queue.purge_queues()


@pytest.mark.usefixtures("with_request_context")
class TestParse:
    @pytest.mark.parametrize(
        ("given", "expected"),
        [
            (("2:00", ["3", "1"]), ("02:00", (1, 3))),
            (("23:59", ""), ("23:59", ())),
            ((" 07:30 ", "1, 2,3 4 5 6 7"), ("07:30", ())),  # every weekday: daily
            (("06:00", [5, 5]), ("06:00", (5,))),
            (("", None), (None, ())),
        ],
    )
    def test_a_time_and_weekdays_are_normalised(self, given, expected):
        assert schedule.parse(*given) == expected

    @pytest.mark.parametrize(
        "value",
        ["25:00", "24:00", "12:60", "2:00; drop", "02:00:00", "2h", "x" * 10_000, 2,
         ["02:00"], True, "٠٢:٠٠"],
    )  # fmt: skip
    def test_a_wrong_time_is_refused_in_vietnamese(self, value):
        with pytest.raises(tk.ValidationError) as error:
            schedule.parse(value, None)

        assert error.value.error_dict == {
            "schedule_time": ["Nhập giờ theo dạng GG:PP (đồng hồ 24 giờ), ví dụ 02:00."]
        }

    @pytest.mark.parametrize(
        "value",
        [[0], [8], ["1"] * 8, list(range(100_000)), "1;drop", [True], [1.0],
         {"1": 1}, "1" * 41, ["01"], [None], ["٢"]],
    )  # fmt: skip
    def test_wrong_weekdays_are_refused_in_vietnamese(self, value):
        with pytest.raises(tk.ValidationError) as error:
            schedule.parse("02:00", value)

        (message,) = error.value.error_dict["schedule_days"]
        assert message.startswith("Chọn các ngày trong tuần từ 1 (Thứ Hai)")

    def test_weekdays_without_a_time_are_no_schedule(self):
        assert schedule.parse("", [1]) == (None, ())


class TestLatestSlot:
    @pytest.mark.parametrize(
        ("now", "slot"),
        [
            # 02:30 in Vietnam on 01/12: today's 02:00.
            (_utc(11, 30, 19, 30), _utc(11, 30, 19)),
            # 01:59 in Vietnam on 01/12: yesterday's.
            (_utc(11, 30, 18, 59), MONDAY_0200),
            (_utc(11, 30, 19), _utc(11, 30, 19)),
        ],
    )  # fmt: skip
    def test_every_day_at_two_in_vietnam(self, now, slot):
        row = schedule.SourceSchedule(time_of_day="02:00", weekdays="")

        assert schedule.latest_slot(row, now) == slot

    def test_on_mondays_only_the_latest_monday(self):
        row = schedule.SourceSchedule(time_of_day="02:00", weekdays="1")
        sunday_night = datetime.datetime(2026, 12, 6, 12, 0)  # Sunday 19:00 in Vietnam

        assert schedule.latest_slot(row, sunday_night) == MONDAY_0200

    @pytest.mark.ckan_config("ckanext.vndata.harvester.schedule_timezone", "UTC")
    def test_the_time_zone_is_configurable(self):
        row = schedule.SourceSchedule(time_of_day="02:00", weekdays="")
        now = datetime.datetime(2026, 11, 30, 3, 0)

        assert schedule.latest_slot(row, now) == datetime.datetime(2026, 11, 30, 2)


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestStoredAndShown:
    def test_the_source_shows_its_schedule_in_vietnamese(self, app):
        source = _scheduled("02:00")

        shown = app.get(API + f"harvest_source_show?id={source['id']}").json["result"]

        assert (shown["schedule_time"], shown["schedule_days"]) == ("02:00", [])
        assert shown["schedule_label"] == "Lịch: hằng ngày lúc 02:00"
        assert "schedule_time" not in (shown.get("extras") or [])

    def test_weekdays_are_named(self, app):
        source = _scheduled("06:30", days=[1, 5])

        shown = app.get(API + f"harvest_source_show?id={source['id']}").json["result"]

        assert shown["schedule_label"] == "Lịch: Thứ Hai, Thứ Sáu lúc 06:30"

    def test_an_update_without_the_keys_keeps_it_and_empty_clears_it(self):
        source = _scheduled("02:00", days=[2])
        sysadmin = {"user": factories.Sysadmin()["name"]}

        helpers.call_action(
            "harvest_source_patch", context=dict(sysadmin), id=source["id"], notes="x"
        )
        assert _stored(source["id"]) == ("02:00", "2")
        assert _row(source["id"]).last_slot == MONDAY_0200  # unchanged: kept

        helpers.call_action(
            "harvest_source_patch", context=dict(sysadmin), id=source["id"],
            schedule_time="",
        )  # fmt: skip
        assert _stored(source["id"]) is None

    @pytest.mark.usefixtures("with_request_context")
    def test_a_time_with_a_frequency_other_than_manual_is_refused(self):
        """Both would start jobs: the source would be harvested twice."""
        source = harvest_source(URL)
        sysadmin = {"user": factories.Sysadmin()["name"]}
        said = (
            "Nguồn có giờ thu thập cố định chỉ được thu thập vào giờ đó: chọn tần "
            "suất Thủ công, hoặc xóa giờ."
        )

        with pytest.raises(tk.ValidationError) as error:
            helpers.call_action(
                "harvest_source_patch", context=dict(sysadmin), id=source["id"],
                schedule_time="02:00", frequency="DAILY",
            )  # fmt: skip
        assert error.value.error_dict == {"frequency": [said]}
        assert _stored(source["id"]) is None

        helpers.call_action(
            "harvest_source_patch", context=dict(sysadmin), id=source["id"],
            schedule_time="02:00",
        )  # fmt: skip
        with pytest.raises(tk.ValidationError) as error:  # the stored time stays
            helpers.call_action(
                "harvest_source_patch", context=dict(sysadmin), id=source["id"],
                frequency="WEEKLY",
            )  # fmt: skip
        assert error.value.error_dict == {"frequency": [said]}
        assert _stored(source["id"]) == ("02:00", "")
        assert HarvestSource.get(source["id"]).frequency in (None, "", "MANUAL")

    def test_the_overview_shows_the_schedule(self, app):
        source = _scheduled("02:00")
        headers = token_headers(factories.Sysadmin())

        (row,) = app.get(API + "vndata_harvest_overview", headers=headers).json[
            "result"
        ]

        assert (row["source_id"], row["schedule"]) == (
            source["id"],
            "Lịch: hằng ngày lúc 02:00",
        )

    def test_a_purged_source_leaves_no_schedule(self):
        source = _scheduled("02:00")

        helpers.call_action(
            "dataset_purge",
            context={"user": factories.Sysadmin()["name"]},
            id=source["id"],
        )

        assert _row(source["id"]) is None


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestSourceForm:
    def test_the_form_shows_and_saves_the_schedule(self, app):
        source = _scheduled("02:00", days=[3])
        headers = token_headers(factories.Sysadmin())

        page = app.get(f"/harvest/edit/{source['name']}", headers=headers)
        html = page.get_data(as_text=True)
        assert 'name="schedule_time"' in html and 'value="02:00"' in html
        assert re.search(r'name="schedule_days" value="3"\s+checked', html)
        assert not re.search(r'name="schedule_days" value="1"\s+checked', html)

        post_source_form(
            app,
            source,
            headers,
            title="Cổng đã sửa",
            schedule_time="3:15",
            schedule_days=["1", "5"],
        )

        assert _stored(source["id"]) == ("03:15", "1,5")
        read = app.get(f"/harvest/{source['name']}", headers=headers)
        assert "Lịch: Thứ Hai, Thứ Sáu lúc 03:15" in read.get_data(as_text=True)

    def test_a_wrong_time_is_shown_and_nothing_is_written(self, app):
        source = _scheduled("02:00")
        headers = token_headers(factories.Sysadmin())

        page = post_source_form(
            app, source, headers, title="Cổng đã sửa", schedule_time="25:00"
        )

        assert "Nhập giờ theo dạng GG:PP" in page.get_data(as_text=True)
        assert _stored(source["id"]) == ("02:00", "")
        assert model.Package.get(source["id"]).title != "Cổng đã sửa"


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestHostileInput:
    @FUZZ
    @given(
        # Hostile values, near misses and valid ones, so that both outcomes are
        # tried (--hypothesis-show-statistics counts each status).
        time_value=st.one_of(
            HOSTILE,
            st.from_regex(r"\d{1,3}:\d{1,3}", fullmatch=True),
            st.sampled_from(["02:00", "0:00", " 23:59 ", "7:05", ""]),
        ),
        days=st.one_of(
            HOSTILE,
            st.lists(st.one_of(st.integers(-2, 9), HOSTILE), max_size=9),
            st.lists(st.sampled_from([1, 7, "3", " 5"]), max_size=8),
        ),
    )
    def test_an_update_is_saved_whole_or_refused_whole(self, app, time_value, days):
        source = _fuzzed_source()
        before = (_stored(source["id"]), model.Package.get(source["id"]).notes)
        headers = token_headers(factories.Sysadmin())
        data = {"id": source["id"], "notes": "đã sửa", "schedule_time": time_value,
                "schedule_days": days}  # fmt: skip

        response = app.post(API + "harvest_source_patch", json=data, headers=headers,
                            status=None)  # fmt: skip

        assert response.status_code in (200, 400, 409), response.get_data(as_text=True)
        event(f"HTTP {response.status_code}")  # --hypothesis-show-statistics
        model.Session.expire_all()
        after = (_stored(source["id"]), model.Package.get(source["id"]).notes)
        if response.status_code == 200:
            time_text, weekdays = schedule.parse(time_value, days)  # valid, so no _()
            stored = (time_text, ",".join(map(str, weekdays))) if time_text else None
            assert after == (stored, "đã sửa")
        else:
            assert after == before


def _fuzzed_source() -> dict:
    """One source for all the examples (a clean database per example costs seconds)."""
    source = model.Package.get("cong-du-lieu-da-nang")
    if source is None:
        return _scheduled("02:00")
    return {"id": source.id}


@pytest.mark.usefixtures("with_plugins", "clean_db", "no_queued_jobs")
class TestStartDue:
    def test_a_source_starts_once_per_scheduled_time(self):
        source = _scheduled("02:00")
        after = MONDAY_0200 + datetime.timedelta(days=1, minutes=5)

        assert schedule.start_due(_context(), after) == [source["id"]]
        _finish_jobs(source["id"])
        # Every tick until the next day's 02:00 finds it started.
        for minutes in (0, 1, 600):
            later = after + datetime.timedelta(minutes=minutes)
            assert schedule.start_due(_context(), later) == []
        assert _jobs(source["id"]) == 1

    def test_before_its_time_nothing_starts(self):
        source = _scheduled("02:00")
        before = MONDAY_0200 + datetime.timedelta(days=1, minutes=-1)

        assert schedule.start_due(_context(), before) == []
        assert _jobs(source["id"]) == 0

    def test_missed_times_start_one_job(self):
        source = _scheduled("02:00")
        week_later = MONDAY_0200 + datetime.timedelta(days=7, hours=3)

        started = [schedule.start_due(_context(), week_later) for _ in range(3)]

        assert started == [[source["id"]], [], []]
        assert _row(source["id"]).last_slot == MONDAY_0200 + datetime.timedelta(days=7)

    def test_a_source_with_a_job_running_waits_for_it(self):
        source = _scheduled("02:00")
        create_job(source["id"])
        after = MONDAY_0200 + datetime.timedelta(days=1, minutes=5)

        assert schedule.start_due(_context(), after) == []
        assert _jobs(source["id"]) == 1
        _finish_jobs(source["id"])

        assert schedule.start_due(_context(), after) == [source["id"]]
        assert _jobs(source["id"]) == 2

    def test_a_deleted_source_is_not_started(self):
        source = _scheduled("02:00")
        helpers.call_action(
            "harvest_source_delete",
            context={"user": factories.Sysadmin()["name"]},
            id=source["id"],
        )

        after = MONDAY_0200 + datetime.timedelta(days=1, minutes=5)
        assert schedule.start_due(_context(), after) == []

    def test_a_new_schedule_counts_from_now(self):
        source = harvest_source(URL)
        helpers.call_action(
            "harvest_source_patch",
            context={"user": factories.Sysadmin()["name"]},
            id=source["id"],
            schedule_time="02:00",
        )
        now = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)

        assert schedule.start_due(_context(), now) == []
