"""Pages of vndata_plan: the agency's plans, a plan's three parts, the forms, the
files (Excel, CSV, JSON, DCAT), the national dashboard and the roster of obliged
bodies."""

from __future__ import annotations

from flask import Blueprint

from ckanext.vndata.plan.views import (
    dashboard,
    files,
    forms,
    index,
    links,
    list_editor,
    pages,
    roster,
)

vndata_plan = Blueprint("vndata_plan", __name__)

pages.register(vndata_plan)
forms.register(vndata_plan)
files.register(vndata_plan)
dashboard.register(vndata_plan)
list_editor.register(vndata_plan)
links.register(vndata_plan)
roster.register(vndata_plan)
index.register(vndata_plan)


def get_blueprints() -> list[Blueprint]:
    return [vndata_plan]
