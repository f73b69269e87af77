"""A harvest source's schedule: a fixed local time of day, every day or on chosen
weekdays, stored apart from the source (as its secrets are, secrets.py).

ckanext-harvest's frequencies (DAILY, WEEKLY...) count the next run from the last
one, so a source drifts later each time a job starts late. Operators ask for "every
day at 02:00", Vietnam time (``ckanext.vndata.harvester.schedule_timezone``).

The input keys (the source form, harvest_source_create/update/patch) are
``schedule_time`` ("HH:MM"; empty clears the schedule) and ``schedule_days`` (ISO
weekdays 1 = Monday ... 7 = Sunday; none: every day). ``take`` checks them before
anything is written, ``save`` stores them in the action's own transaction (the
after-create/update hooks), ``show`` adds them and ``schedule_label`` to the shown
source.

``start_due`` (the scheduler, cli.py) starts one job for each source whose latest
scheduled time has come since the one it last started: once per time, however many
ticks or missed times (a scheduler that was down starts the missed run once). A
source with a job waiting or running is tried again on the next tick.
"""

from __future__ import annotations

import datetime
import logging
import re
import zoneinfo
from typing import Any

import sqlalchemy as sa

import ckan.plugins.toolkit as tk
from ckan import model
from ckanext.harvest.model import HarvestSource

from ckanext.vndata.lib.i18n import N_

log = logging.getLogger(__name__)

TIME, DAYS, LABEL = "schedule_time", "schedule_days", "schedule_label"
# The changes of one create/update, from ``take`` to ``save`` (as secrets._CHANGES).
_CHANGES = "vndata_harvest_schedule_changes"
_TIME_FORMAT = re.compile(r"([0-9]{1,2}):([0-9]{2})")  # not \d: "٠٢:٠٠" too
WEEKDAYS = {
    1: N_("Monday"),
    2: N_("Tuesday"),
    3: N_("Wednesday"),
    4: N_("Thursday"),
    5: N_("Friday"),
    6: N_("Saturday"),
    7: N_("Sunday"),
}


class SourceSchedule(tk.BaseModel):
    __tablename__ = "vndata_harvester_source_schedule"

    source_id = sa.Column(sa.Text, primary_key=True)
    time_of_day = sa.Column(sa.Text, nullable=False)  # "HH:MM", local time
    weekdays = sa.Column(sa.Text, nullable=False, default="")  # "1,3,5"; "": daily
    # The scheduled time (UTC) whose job was last started.
    last_slot = sa.Column(sa.DateTime, nullable=True)


def timezone() -> zoneinfo.ZoneInfo:
    name = tk.config.get("ckanext.vndata.harvester.schedule_timezone")
    return zoneinfo.ZoneInfo(name)


def parse(time_value: Any, days_value: Any) -> tuple[str | None, tuple[int, ...]]:
    """(``"HH:MM"`` or None for no schedule, weekdays) from the input, or a
    ValidationError naming each wrong field in the user's language.

    No time means no schedule, whatever the weekdays: a patch that empties the time
    sends back the weekdays harvest_source_show gave it."""
    errors: dict[str, list[str]] = {}
    time_text = None
    if time_value not in (None, ""):
        match = (
            _TIME_FORMAT.fullmatch(time_value.strip())
            if isinstance(time_value, str) and len(time_value) <= 10
            else None
        )
        if match and int(match[1]) < 24 and int(match[2]) < 60:
            time_text = f"{int(match[1]):02d}:{match[2]}"
        else:
            errors[TIME] = [
                tk._("Enter the time as HH:MM on a 24-hour clock, e.g. 02:00.")
            ]
    days = _days(days_value)
    if days is None:
        errors[DAYS] = [
            tk._(
                "Choose weekdays from 1 (Monday) to 7 (Sunday), or none for every day."
            )
        ]
    if errors:
        raise tk.ValidationError(errors)
    return time_text, (days or ()) if time_text else ()


def _days(value: Any) -> tuple[int, ...] | None:
    """Sorted weekdays, () for every day, None for anything else."""
    if value in (None, "", []):
        return ()
    if isinstance(value, str):
        if len(value) > 40:
            return None
        value = [part for part in re.split(r"[,\s]+", value.strip()) if part]
    if not isinstance(value, list) or len(value) > 7:
        return None
    days = set()
    for item in value:
        if isinstance(item, bool):
            return None
        if isinstance(item, str) and re.fullmatch("[1-7]", item.strip()):
            item = int(item)
        if not isinstance(item, int) or item not in WEEKDAYS:
            return None
        days.add(item)
    return tuple(sorted(days)) if len(days) < 7 else ()


def take(context: dict, data_dict: dict) -> None:
    """Check and take the schedule out of a source create/update (ckanext-harvest
    would keep unknown keys as extras). An update without the keys keeps it."""
    given = TIME in data_dict or DAYS in data_dict
    time_value, days_value = data_dict.pop(TIME, None), data_dict.pop(DAYS, None)
    data_dict.pop(LABEL, None)
    if given:
        context[_CHANGES] = parse(time_value, days_value)
    _check_frequency(context, data_dict)


def _check_frequency(context: dict, data_dict: dict) -> None:
    """Refuse a fixed time together with a frequency other than MANUAL: both would
    start jobs (ckanext-harvest's from the last run), so the source would be
    harvested twice, at times nobody chose. Refused rather than set to MANUAL behind
    the operator's back: the form shows which field to change."""
    source_id = data_dict.get("id") or data_dict.get("name")
    # Not a string (hostile input): ckanext-harvest's validators refuse it later.
    source = HarvestSource.get(source_id) if isinstance(source_id, str) else None
    if _CHANGES in context:
        scheduled = context[_CHANGES][0] is not None
    else:  # not given: the stored schedule stays
        scheduled = (
            source is not None
            and model.Session.get(SourceSchedule, source.id) is not None
        )
    if "frequency" in data_dict:
        frequency = data_dict["frequency"]
    else:
        frequency = source.frequency if source is not None else None
    if scheduled and str(frequency or "MANUAL").upper() != "MANUAL":
        raise tk.ValidationError(
            {
                "frequency": [
                    tk._(
                        "A source with a schedule time is harvested at that time "
                        "only: choose the frequency Manual, or clear the time."
                    )
                ]
            }
        )


def forget(context: dict) -> None:
    context.pop(_CHANGES, None)


def save(context: dict, pkg_dict: dict, now: datetime.datetime | None = None) -> None:
    """Store the schedule ``take`` checked. A new or changed schedule counts from
    now: its next time is the first one to come, not one already past."""
    changes = context.pop(_CHANGES, None)
    if changes is None or pkg_dict.get("type") != "harvest":
        return
    time_text, days = changes
    row = model.Session.get(SourceSchedule, pkg_dict["id"])
    if time_text is None:
        if row is not None:
            model.Session.delete(row)
            model.Session.flush()
        return
    weekdays = ",".join(map(str, days))
    if row is not None and (row.time_of_day, row.weekdays) == (time_text, weekdays):
        return
    if row is None:
        row = SourceSchedule(source_id=pkg_dict["id"])
        model.Session.add(row)
    row.time_of_day, row.weekdays = time_text, weekdays
    row.last_slot = latest_slot(row, now or _utcnow())
    model.Session.flush()


def purge(source_id: str) -> None:
    model.Session.query(SourceSchedule).filter(
        SourceSchedule.source_id == source_id
    ).delete()


def show(pkg_dict: dict) -> None:
    if pkg_dict.get("type") != "harvest" or not pkg_dict.get("id"):
        return
    row = model.Session.get(SourceSchedule, pkg_dict["id"])
    pkg_dict[TIME] = row.time_of_day if row else ""
    pkg_dict[DAYS] = list(_weekdays(row)) if row else []
    pkg_dict[LABEL] = describe(row)


def index(pkg_dict: dict) -> dict:
    """Solr keeps no copy: the table is the one home of a schedule."""
    for key in (TIME, DAYS, LABEL):
        pkg_dict.pop(key, None)
    return pkg_dict


def describe(row: SourceSchedule | None) -> str:
    """ "Lịch: hằng ngày lúc 02:00" (or on which weekdays), or no schedule."""
    if row is None:
        return tk._("Schedule: none (harvested by its update frequency or by hand)")
    days = _weekdays(row)
    if not days:
        return tk._("Schedule: every day at {time}").format(time=row.time_of_day)
    return tk._("Schedule: {days} at {time}").format(
        days=", ".join(tk._(WEEKDAYS[day]) for day in days), time=row.time_of_day
    )


def describe_source(source_id: str) -> str:
    return describe(model.Session.get(SourceSchedule, source_id))


def _weekdays(row: SourceSchedule) -> tuple[int, ...]:
    return tuple(int(day) for day in row.weekdays.split(",") if day)


def _utcnow() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


def latest_slot(row: SourceSchedule, now: datetime.datetime) -> datetime.datetime:
    """The latest scheduled time at or before ``now`` (both naive UTC)."""
    zone = timezone()
    local = now.replace(tzinfo=datetime.timezone.utc).astimezone(zone)
    hour, minute = map(int, row.time_of_day.split(":"))
    days = _weekdays(row)
    for back in range(8):
        day = local.date() - datetime.timedelta(days=back)
        if days and day.isoweekday() not in days:
            continue
        slot = datetime.datetime.combine(day, datetime.time(hour, minute), zone)
        if slot <= local:
            return slot.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    raise AssertionError("a weekly schedule has a time within 8 days")


def start_due(context: dict, now: datetime.datetime) -> list[str]:
    """Start a job for each active source whose time has come; their ids."""
    started = []
    rows = (
        model.Session.query(SourceSchedule)
        .join(HarvestSource, HarvestSource.id == SourceSchedule.source_id)
        .filter(HarvestSource.active.is_(True))
        .all()
    )
    for row in rows:
        slot = latest_slot(row, now)
        if row.last_slot is not None and slot <= row.last_slot:
            continue
        try:
            tk.get_action("harvest_job_create")(
                dict(context), {"source_id": row.source_id, "run": True}
            )
        except tk.ValidationError:
            log.info("Source %s has a job waiting or running", row.source_id)
            model.Session.rollback()
            continue
        row = model.Session.get(SourceSchedule, row.source_id)
        row.last_slot = slot
        model.Session.commit()
        started.append(row.source_id)
    return started
