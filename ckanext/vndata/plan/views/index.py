"""The plans index (/ke-hoach): every plan in force the reader may read, by agency,
narrowed by a word of the agency's or the plan's title; the main menu's "Plans".
Shown AGENCIES_PER_PAGE agencies a page (``page``, from 1), an agency's plans never
split across two pages."""

from __future__ import annotations

import math
import re

from flask import Blueprint

import ckan.plugins.toolkit as tk

from ckanext.vndata.lib.text import QUERY_MAX, can_store, fold, search_words
from ckanext.vndata.plan.views._common import allowed, context

AGENCIES_PER_PAGE = 50
_PAGE = re.compile(r"[0-9]{1,6}")


def _page_number() -> int:
    """The ``page`` asked for (1 when none); anything but a whole number from 1 is a
    400 page, never a 500."""
    raw = tk.request.args.get("page") or "1"
    if not _PAGE.fullmatch(raw) or int(raw) < 1:
        return tk.abort(400, tk._("The page must be a whole number from 1."))
    return int(raw)


def _query() -> str:
    """The query as typed (shown again in the search box)."""
    text = str(tk.request.args.get("q") or "")[:QUERY_MAX]
    return text.strip() if can_store(text) else ""


def index():
    query = _query()
    page = _page_number()
    plans = tk.get_action("vndata_plan_list")(context(), {})
    for plan in plans:
        plan["agency"] = tk.h.vndata_plan_agency_title(plan["organization_id"])
    wanted = fold(search_words(query))
    if wanted:
        plans = [
            plan
            for plan in plans
            if wanted in fold(search_words(f"{plan['agency']} {plan['title'] or ''}"))
        ]
    plans.sort(key=lambda plan: (fold(plan["agency"]), -plan["version"]))
    agencies = list(dict.fromkeys(plan["organization_id"] for plan in plans))
    pages = max(1, math.ceil(len(agencies) / AGENCIES_PER_PAGE))
    page = min(page, pages)  # past the end: the last page
    start = (page - 1) * AGENCIES_PER_PAGE
    shown = set(agencies[start : start + AGENCIES_PER_PAGE])
    return tk.render(
        "vndata_plan/index.html",
        {
            "plans": [plan for plan in plans if plan["organization_id"] in shown],
            "total": len(plans),
            "page": page,
            "pages": pages,
            "q": query,
            "dashboard": allowed("vndata_compliance_report", {}),
        },
    )


def register(blueprint: Blueprint) -> None:
    blueprint.add_url_rule("/ke-hoach", view_func=index, endpoint="index")
