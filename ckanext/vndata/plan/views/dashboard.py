"""The national dashboard: every agency's plan against what it delivered, with
filters, sorting, charts (and their text), and the same rows as JSON and CSV."""

from __future__ import annotations

import csv
import datetime
import io
import json
from collections import defaultdict
from typing import Any

from flask import Blueprint, Response

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.vndata.lib import text
from ckanext.vndata.plan.spreadsheet import csv_cell
from ckanext.vndata.plan.views._common import context

COLUMNS = (
    "agency",
    "province_code",
    "agency_level",
    "plan_status",
    "planned",
    "published",
    "overdue",
    "on_time_percent",
    "current_phase",
    "levels_passed",
    "levels_failed",
    "last_harvest",
)
FILTERS = ("province_code", "agency_level", "current_phase", "plan_status")


def _last_harvests() -> dict[str, str]:
    """Per province code, the last successful harvest of its portal."""
    if not p.plugin_loaded("vndata_harvester"):
        return {}
    site = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    overview = tk.get_action("vndata_harvest_overview")(
        {"user": site["name"], "ignore_auth": True}, {}
    )
    latest: dict[str, str] = {}
    for source in overview:
        done, province = source["last_successful_harvest"], source["province_code"]
        if done and province and done > latest.get(province, ""):
            latest[province] = done
    return latest


def rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    harvests = _last_harvests()
    result = []
    for row in report["rows"]:
        agency = row["agency"]
        result.append(
            {
                "agency": agency.get("title"),
                "organization": agency.get("name"),
                "plan_id": row["plan"]["id"],
                "province_code": agency.get("province_code"),
                "agency_level": agency.get("agency_level"),
                "plan_status": row["plan"]["status"],
                "planned": row["planned"],
                "published": row["published"],
                "overdue": row["overdue"],
                "on_time_percent": row.get("on_time_percent"),
                "current_phase": row.get("current_phase"),
                "levels_passed": sum(1 for v in row["levels"].values() if v),
                "levels_failed": sum(1 for v in row["levels"].values() if not v),
                "levels": row["levels"],
                "last_harvest": harvests.get(agency.get("province_code") or "", None),
            }
        )
    return result


def _sort_key(value: Any) -> tuple:
    """Numbers by value, text by its folded form; never a number against a text."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (0, value, "")
    return (1, 0, text.fold(str(value)))


def _filtered(all_rows: list[dict], args) -> list[dict]:
    chosen = [r for r in all_rows if all(
        not args.get(f) or str(r.get(f) or "") == args.get(f) for f in FILTERS
    )]  # fmt: skip
    sort = args.get("sort") if args.get("sort") in COLUMNS else "agency"
    # Rows without the value (an agency with no province code) come last either way.
    present = [r for r in chosen if r.get(sort) not in (None, "")]
    missing = [r for r in chosen if r.get(sort) in (None, "")]
    present.sort(key=lambda r: _sort_key(r[sort]), reverse=args.get("order") == "desc")
    return present + missing


def _timeline(as_of: datetime.date) -> dict[str, list]:
    """Items scheduled and delivered, cumulated by month, over the current plans."""
    from ckanext.vndata.plan import compliance
    from ckanext.vndata.plan.dictization import load_facts
    from ckanext.vndata.plan.logic.action.report import current_plans
    from ckanext.vndata.plan.roles import is_reviewer

    plans = current_plans(is_reviewer(context()["user"]))
    scheduled: dict[str, int] = defaultdict(int)
    delivered: dict[str, int] = defaultdict(int)
    for _phases, items in load_facts([plan.id for plan in plans]).values():
        for item in items:
            if item.target_date:
                scheduled[item.target_date.strftime("%Y-%m")] += 1
            published = compliance.published_on(item, as_of)
            if published:
                delivered[published.strftime("%Y-%m")] += 1
    months = sorted(set(scheduled) | set(delivered))
    total_s = total_d = 0
    series: dict[str, list] = {"labels": months, "scheduled": [], "delivered": []}
    for month in months:
        total_s += scheduled[month]
        total_d += delivered[month]
        series["scheduled"].append(total_s)
        series["delivered"].append(total_d)
    return series


def _provinces(report: dict[str, Any]) -> dict[str, list]:
    codes = sorted(report["by_province"])
    groups = report["by_province"]
    return {
        "labels": [tk.h.vndata_province_name(c) or c for c in codes],
        "planned": [groups[c]["planned"] for c in codes],
        "published": [groups[c]["published"] for c in codes],
        "percent": [groups[c]["published_percent"] for c in codes],
    }


def dashboard(fmt: str | None = None):
    report = tk.get_action("vndata_compliance_report")(context(), {})
    all_rows = rows(report)
    shown = _filtered(all_rows, tk.request.args)
    if fmt == "json":
        return Response(
            json.dumps({"as_of": report["as_of"], "rows": shown}, ensure_ascii=False),
            mimetype="application/json",
        )
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, COLUMNS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows({k: csv_cell(v) for k, v in row.items()} for row in shown)
        return Response("\ufeff" + out.getvalue(), mimetype="text/csv; charset=utf-8")
    as_of = datetime.date.fromisoformat(report["as_of"])
    charts = {
        "provinces": _provinces(report),
        "timeline": _timeline(as_of),
        "text": {
            "planned": tk._("Planned"),
            "published": tk._("Published"),
            "scheduled": tk._("Scheduled (cumulative)"),
            "delivered": tk._("Delivered (cumulative)"),
        },
    }
    choices = {f: sorted({str(r[f]) for r in all_rows if r.get(f)}) for f in FILTERS}
    return tk.render(
        "vndata_plan/dashboard.html",
        {
            "report": report,
            "rows": shown,
            "charts": charts,
            "charts_json": json.dumps(charts, ensure_ascii=False),
            "choices": choices,
            "args": tk.request.args,
            "columns": COLUMNS,
            "harvest_overview": p.plugin_loaded("vndata_harvester")
            and tk.h.check_access("vndata_harvest_overview"),
        },
    )


def register(blueprint: Blueprint) -> None:
    blueprint.add_url_rule(
        "/ke-hoach/tong-hop", view_func=dashboard, endpoint="dashboard"
    )
    blueprint.add_url_rule(
        "/ke-hoach/tong-hop.<any(json,csv):fmt>", view_func=dashboard,
        endpoint="dashboard_data",
    )  # fmt: skip
