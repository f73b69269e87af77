"""CLI group vndata_plan: the national report and the reminders (cron-able)."""

from __future__ import annotations

import csv
import datetime
import json
import sys

import click

import ckan.plugins.toolkit as tk

from ckanext.vndata.lib import admin_units
from ckanext.vndata.plan import reminders
from ckanext.vndata.plan.spreadsheet import csv_row
from ckanext.vndata.plan.states import status_label

# Each code column is followed by its label (in the portal's default language).
REPORT_COLUMNS = (
    "agency",
    "province_code",
    "province_label",
    "plan_status",
    "plan_status_label",
    "planned",
    "published",
    "overdue",
    "due_soon",
    "update_overdue",
    "on_time_percent",
    "current_phase",
    "levels_passed",
    "levels_failed",
)


@click.group(name="vndata_plan", short_help="Open-data plans (vndata_plan)")
def vndata_plan():
    pass


def _site_context() -> dict:
    user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"user": user["name"], "ignore_auth": True}


def report_csv_rows(report: dict) -> list[list]:
    rows = []
    for row in report["rows"]:
        levels = row["levels"]
        province = row["agency"].get("province_code")
        rows.append(
            [
                row["agency"].get("title"),
                province or "",
                admin_units.provinces().get(province, province) if province else "",
                row["plan"]["status"],
                status_label(row["plan"]["status"]),
                row["planned"],
                row["published"],
                row["overdue"],
                row["due_soon"],
                row["update_overdue"],
                "" if row["on_time_percent"] is None else row["on_time_percent"],
                row["current_phase"] or "",
                sum(1 for v in levels.values() if v),
                sum(1 for v in levels.values() if v is False),
            ]
        )
    return rows


@vndata_plan.command(name="report", short_help="National plan-versus-actual report")
@click.option("--as-of", help="Date to evaluate on (yyyy-mm-dd); default today")
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv")
def report(as_of: str | None, fmt: str):
    """Print the national report (every agency's current plan) as CSV or JSON."""
    data = {"as_of": as_of} if as_of else {}
    result = tk.get_action("vndata_compliance_report")(_site_context(), data)
    if fmt == "json":
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    writer = csv.writer(sys.stdout)
    writer.writerow(REPORT_COLUMNS)
    # A command has no request, and outside one tk._ answers in English: the labels
    # are in the portal's default language, as its pages are (as vndata_harvester's
    # commands do).
    with click.get_current_context().meta["flask_app"].test_request_context():
        rows = report_csv_rows(result)
    writer.writerows(csv_row(row) for row in rows)


@vndata_plan.command(name="remind", short_help="E-mail agencies about due items")
@click.option("--days", type=int, help="Items due within this many days")
@click.option("--as-of", help="Date to evaluate on (yyyy-mm-dd); default today")
@click.option("--enqueue", is_flag=True, help="Run as a background job instead")
def remind(days: int | None, as_of: str | None, enqueue: bool):
    """E-mail each agency's contact the items due soon, overdue or not updated."""
    if as_of:
        try:
            datetime.date.fromisoformat(as_of)
        except ValueError:
            tk.error_shout(f"Invalid date: {as_of}")
            raise click.Abort()
    if enqueue:
        job = tk.enqueue_job(
            reminders.send_reminders,
            kwargs={"as_of": as_of, "days": days},
            title="vndata_plan reminders",
            queue="vndata:plan",
        )
        click.secho(f"Queued job {job.id}", fg="green")
        return
    sent = reminders.send_reminders(as_of, days)
    click.secho(f"{sent} reminder(s) sent", fg="green")


def get_commands() -> list:
    return [vndata_plan]
