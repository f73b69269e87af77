"""The plans index (/ke-hoach): every plan in force the reader may read, by agency,
narrowed by a word of the agency's or the plan's title; the main menu's "Plans"."""

from __future__ import annotations

from flask import Blueprint

import ckan.plugins.toolkit as tk

from ckanext.vndata.lib.text import QUERY_MAX, can_store, fold, search_words
from ckanext.vndata.plan.views._common import allowed, context


def _query() -> str:
    """The query as typed (shown again in the search box)."""
    text = str(tk.request.args.get("q") or "")[:QUERY_MAX]
    return text.strip() if can_store(text) else ""


def index():
    query = _query()
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
    return tk.render(
        "vndata_plan/index.html",
        {
            "plans": plans,
            "q": query,
            "dashboard": allowed("vndata_compliance_report", {}),
        },
    )


def register(blueprint: Blueprint) -> None:
    blueprint.add_url_rule("/ke-hoach", view_func=index, endpoint="index")
