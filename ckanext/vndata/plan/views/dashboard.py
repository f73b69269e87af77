"""The national dashboard: the headline figures, every obliged body and every agency's
plan against what it delivered, with filters, sorting, charts (and their text), and the
same rows as JSON and CSV."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.lib.pagination import Page

from ckanext.vndata.lib import text
from ckanext.vndata.lib.script_json import vndata_script_json
from ckanext.vndata.plan import metadata_quality
from ckanext.vndata.plan.body_kinds import KIND_LABELS, BodyKind
from ckanext.vndata.plan.national import CENTRAL_KINDS
from ckanext.vndata.plan.states import BodyStatus, status_label
from ckanext.vndata.plan.views import dashboard_csv
from ckanext.vndata.plan.views._common import context
from ckanext.vndata.quality.indicators import MAXIMUM

# What the agencies' table may be sorted by (dashboard_csv: the CSV's columns).
SORT_KEYS = (
    "agency",
    "province_code",
    "province_label",
    "agency_level",
    "agency_level_label",
    "plan_status",
    "plan_status_label",
    "planned",
    "published",
    "overdue",
    "due",
    "due_on_time",
    "due_on_time_percent",
    "current_phase",
    "levels_passed",
    "levels_failed",
    "last_harvest",
)
FILTERS = ("province_code", "agency_level", "current_phase", "plan_status")
# The per-body table's filters (the report's).
BODY_FILTERS = ("kind", "body", "status")


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


def _province_label(code: str | None) -> str | None:
    return tk.h.vndata_province_name(code) if code else None


def _level_label(code: str | None) -> str | None:
    """An agency level (vocabulary ``agency_level``) by its name in the reader's
    language."""
    return tk.h.vndata_term_label("agency_level", code) if code else None


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
                "province_label": _province_label(agency.get("province_code")),
                "agency_level": agency.get("agency_level"),
                "agency_level_label": _level_label(agency.get("agency_level")),
                "plan_status": row["plan"]["status"],
                "plan_status_label": status_label(row["plan"]["status"]),
                "planned": row["planned"],
                "published": row["published"],
                "overdue": row["overdue"],
                "due": row["due"],
                "due_on_time": row["due_on_time"],
                "due_on_time_percent": row["due_on_time_percent"],
                "current_phase": row.get("current_phase"),
                # None (not due, not measured) is neither passed nor failed.
                "levels_passed": sum(1 for v in row["levels"].values() if v),
                "levels_failed": sum(1 for v in row["levels"].values() if v is False),
                "levels": row["levels"],
                "verdicts": row["verdicts"],
                "last_harvest": harvests.get(agency.get("province_code") or "", None),
                "quality": metadata_quality.labelled(row["quality"]),
            }
        )
    return result


def _report(args, timeline: bool = False) -> dict[str, Any]:
    """The report with the body filters of the request; a bad filter is a 400."""
    filters = {name: args.get(name) for name in BODY_FILTERS if args.get(name)}
    try:
        return tk.get_action("vndata_compliance_report")(
            context(), {**filters, "timeline": timeline}
        )
    except tk.ValidationError as error:
        messages = (
            f"{key}: {' '.join(map(str, found))}"
            for key, found in error.error_dict.items()
        )
        return tk.abort(400, "; ".join(messages))


def body_rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The report's bodies with their labels in the reader's language."""
    return [
        {
            **row,
            "body": row["title"],
            "kind_label": tk._(KIND_LABELS.get(row["kind"], row["kind"])),
            "status_label": status_label(row["status"]),
            "province_label": _province_label(row["province_code"]),
            "quality": metadata_quality.labelled(row["quality"]),
        }
        for row in report["bodies"]
    ]


def _body_choices(report: dict[str, Any]) -> dict[str, list[tuple[str, str]]]:
    every = [*report["by_province"].values(), *report["by_ministry"].values()]
    return {
        "kind": [(k.value, tk._(KIND_LABELS[k])) for k in BodyKind]
        + [(CENTRAL_KINDS, tk._("ministries and central agencies"))],
        "status": [(s.value, status_label(s)) for s in BodyStatus],
        "body": [(group["body"], group["title"]) for group in every],
    }


def bodies(fmt: str):
    """The per-body table as JSON (with the headline figures) or CSV."""
    report = _report(tk.request.args)
    shown = body_rows(report)
    if fmt == "csv":
        return dashboard_csv.bodies(shown)
    headline = {
        **report["headline"],
        "quality": metadata_quality.labelled(report["headline"]["quality"]),
    }
    return Response(
        json.dumps(
            {"as_of": report["as_of"], "headline": headline, "rows": shown},
            ensure_ascii=False,
        ),
        mimetype="application/json",
    )


def _sort_key(value: Any) -> tuple:
    """Numbers by value, text by its folded form; never a number against a text."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (0, value, "")
    return (1, 0, text.fold(str(value)))


def _filtered(all_rows: list[dict], args) -> list[dict]:
    chosen = [r for r in all_rows if all(
        not args.get(f) or str(r.get(f) or "") == args.get(f) for f in FILTERS
    )]  # fmt: skip
    sort = args.get("sort") if args.get("sort") in SORT_KEYS else "agency"
    # Rows without the value (an agency with no province code) come last either way.
    present = [r for r in chosen if r.get(sort) not in (None, "")]
    missing = [r for r in chosen if r.get(sort) in (None, "")]
    present.sort(key=lambda r: _sort_key(r[sort]), reverse=args.get("order") == "desc")
    return present + missing


def _provinces(report: dict[str, Any]) -> dict[str, list]:
    codes = sorted(report["by_province"])
    groups = report["by_province"]
    return {
        "labels": [tk.h.vndata_province_name(c) or c for c in codes],
        "planned": [groups[c]["planned"] for c in codes],
        "published": [groups[c]["published"] for c in codes],
        "percent": [groups[c]["published_percent"] for c in codes],
    }


def _quality_trend(report: dict[str, Any]) -> dict[str, Any]:
    """The nation's daily metadata quality points, and the chosen body's (the body
    filter), on the days of the nation's snapshots; dates as the pages show them."""
    trend = report["quality_trend"]
    days = trend["nation"]["days"]
    series = [{"label": tk._("Nation"), "points": trend["nation"]["points"]}]
    if trend["body"]:
        by_day = dict(zip(trend["body"]["days"], trend["body"]["points"]))
        body = tk.request.args.get("body")
        title = next((b["title"] for b in report["bodies"] if b["code"] == body), body)
        series.append({"label": title, "points": [by_day.get(d) for d in days]})
    return {
        "labels": [tk.h.vndata_format_date(day) for day in days],
        "series": series,
        "maximum": MAXIMUM,
    }


def _page(shown: list[dict], args) -> Page:
    """One page of the agencies' table, the filters and sort kept in its links: the
    rows of 300 agencies were most of the page's time (half a megabyte of HTML), and
    a phone scrolled through all of them. The CSV and JSON hold every row."""
    kept = link_args(args)
    return Page(
        collection=shown,
        page=tk.h.get_page_number(args),
        item_count=len(shown),
        items_per_page=max(
            1, tk.config.get("ckanext.vndata.plan.dashboard_rows_per_page")
        ),
        url=lambda **link: tk.h.url_for("vndata_plan.dashboard", **kept, **link),
    )


def link_args(args) -> dict[str, str]:
    """What the page's links keep of the request: its filters and sort. Any other
    argument would reach url_for, where some (``_scheme``, ``endpoint``) are a 500
    or change the link's target."""
    kept = (*FILTERS, *BODY_FILTERS, "sort", "order")
    return {key: args[key] for key in kept if args.get(key)}


def dashboard(fmt: str | None = None):
    report = _report(tk.request.args, timeline=fmt is None)
    all_rows = rows(report)
    shown = _filtered(all_rows, tk.request.args)
    if fmt == "json":
        return Response(
            json.dumps({"as_of": report["as_of"], "rows": shown}, ensure_ascii=False),
            mimetype="application/json",
        )
    if fmt == "csv":
        return dashboard_csv.agencies(shown)
    charts = {
        "provinces": _provinces(report),
        "timeline": report["timeline"],
        "quality": _quality_trend(report),
        "text": {
            "planned": tk._("Planned"),
            "published": tk._("Published"),
            "scheduled": tk._("Scheduled (cumulative)"),
            "delivered": tk._("Delivered (cumulative)"),
        },
    }
    # Each filter's options: (value, label in the reader's language), by label.
    labels = {
        "province_code": _province_label,
        "agency_level": _level_label,
        "plan_status": status_label,
        "current_phase": str,
    }
    choices = {
        f: sorted(
            {(str(r[f]), labels[f](str(r[f]))) for r in all_rows if r.get(f)},
            key=lambda choice: text.fold(choice[1]),
        )
        for f in FILTERS
    }
    return tk.render(
        "vndata_plan/dashboard.html",
        {
            "report": report,
            "headline": report["headline"],
            "quality": metadata_quality.labelled(report["headline"]["quality"]),
            "bodies": body_rows(report),
            "body_choices": _body_choices(report),
            "rows": _page(shown, tk.request.args),
            "charts": charts,
            "charts_json": vndata_script_json(charts),
            "choices": choices,
            "args": link_args(tk.request.args),
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
    blueprint.add_url_rule(
        "/ke-hoach/tong-hop/doi-tuong.<any(json,csv):fmt>", view_func=bodies,
        endpoint="dashboard_bodies",
    )  # fmt: skip
