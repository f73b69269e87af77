"""The harvest overview page: every Vietnamese harvest source by province, with its
last job, what that job did and when the province was last harvested without error.

For the national portal's operators (sysadmins), who otherwise open each source's
job pages one by one.
"""

from __future__ import annotations

from itertools import groupby
from typing import Any

from flask import Blueprint, current_app
from flask.views import MethodView

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan import model
from ckanext.harvest import utils as harvest_views

from ckanext.vndata.harvester import source_deletion as deleting
from ckanext.vndata.lib import admin_units
from ckanext.vndata.quality.helpers import vndata_quality_by_source as by_source

vndata_harvester = Blueprint("vndata_harvester", __name__)


def overview() -> str:
    context = {"user": tk.current_user.name}
    try:
        tk.check_access("vndata_harvest_overview", context)
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only sysadmins may see the harvest overview."))
    sources = tk.get_action("vndata_harvest_overview")(context, {})
    # Each source's metadata quality, when vndata_quality scores the datasets (no
    # column while no source has a scored dataset).
    quality = by_source() if p.plugin_loaded("vndata_quality") else None
    return tk.render(
        "vndata_harvester/overview.html",
        {"provinces": by_province(sources), "totals": totals(sources),
         "quality": quality},
    )  # fmt: skip


def by_province(sources: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The sources (sorted by province code) in one group per province."""
    names = admin_units.provinces()
    groups = []
    for code, rows in groupby(sources, key=lambda s: s["province_code"]):
        rows = list(rows)
        failing = [r for r in rows if r["last_job"] and r["last_job"]["failed"]]
        groups.append(
            {
                "code": code,
                "name": names.get(code, code) if code else tk._("No province"),
                "sources": rows,
                "datasets": sum(r["datasets"] for r in rows),
                "failing": len(failing),
            }
        )
    return groups


def totals(sources: list[dict[str, Any]]) -> dict[str, int]:
    return {
        "sources": len(sources),
        "datasets": sum(s["datasets"] for s in sources),
        "failing": sum(1 for s in sources if s["last_job"] and s["last_job"]["failed"]),
        "duplicates": sum(s["duplicates"] for s in sources),
    }


vndata_harvester.add_url_rule("/thu-thap/tong-quan", view_func=overview)

# ckanext-harvest 1.6 changes state on GET (delete, reharvest, clear, and the job's
# "Stop" link), so a link or an image on any page could stop, clear or delete a
# national harvest in a logged-in operator's name. Those endpoints answer POST only
# here, with CKAN's CSRF check; delete and abort had no POST rule, so they get one
# that runs ckanext-harvest's own view.
POST_ONLY = {"harvester.delete", "harvester.refresh", "harvester.clear",
             "harvester.job_abort"}  # fmt: skip


# Checked for CSRF here whatever ckan.csrf_protection.ignore_extensions says: CKAN
# 2.11 defaults it to true, which exempts every extension's blueprint (ours and
# ckanext-harvest's) from its check, and a forged form could then delete a source.
CSRF_CHECKED = POST_ONLY | {
    "vndata_harvester.delete_source",
    "vndata_harvester._delete",
    "vndata_harvester._job_abort",
    "vndata_harvester.mapping_preview",  # reads a remote API with a stored login
}


@vndata_harvester.before_app_request
def _state_changes_only_by_post():
    if tk.request.endpoint in POST_ONLY and tk.request.method != "POST":
        return tk.abort(
            405, tk._("This action changes the harvest; use its button on the page.")
        )
    if tk.request.endpoint in CSRF_CHECKED and tk.request.method == "POST":
        _csrf_protect()
    if tk.request.endpoint == "harvester.clear":
        return _clear_refused((tk.request.view_args or {}).get("id"))
    return None


def _clear_refused(id: str | None):
    """ckanext-harvest's clear view shows any error as "An error occurred: [<the
    error's text>]", a refusal's dict of keys included: the refusals of
    source_deletion.py are checked first and said as they are, on the source's page.
    None lets ckanext-harvest's view answer (also its 404 and 403)."""
    try:
        source = model.Package.get(deleting.checked_id({"id": id}))
    except tk.ValidationError:  # a NUL in the address: no source has it
        return tk.abort(404, tk._("Harvest source not found"))
    if source is None:
        return None
    context = {"user": tk.current_user.name}
    try:
        tk.check_access("harvest_source_clear", dict(context), {"id": source.id})
        deleting.refuse_unsafe_clear(context, source.id)
    except tk.NotAuthorized:
        return None
    except tk.ValidationError as refused:
        _flash_refusal(refused)
        return tk.redirect_to("harvester.admin", id=id)
    return None


def _flash_refusal(refused: tk.ValidationError) -> None:
    for messages in refused.error_dict.values():
        for message in messages:
            tk.h.flash_error(message)


def _csrf_protect() -> None:
    """CKAN's own CSRF check (Flask-WTF's CSRFProtect, as CKAN registers it), which
    answers 400 without a valid token. Skipped as CKAN skips it: for an API token
    (a browser never sends one by itself) and where CSRF is disabled altogether."""
    if tk.g.get("login_via_auth_header") or not current_app.config.get(
        "WTF_CSRF_ENABLED", True
    ):
        return
    csrf = current_app.extensions.get("csrf")
    if csrf is None:  # no check to run: refuse rather than let it through
        tk.abort(400, tk._("The form could not be checked; reload the page."))
    csrf.protect()


def _delete(id: str):
    try:
        return harvest_views.delete_view(id)
    except tk.ValidationError as refused:
        # ckanext-harvest's view answers only NotFound and NotAuthorized: the
        # refusals of source_deletion.py would be a 500.
        _flash_refusal(refused)
        return tk.redirect_to("vndata_harvester.delete_source", id=id)


def _job_abort(source: str, id: str):
    return harvest_views.job_abort_view(source, id)


vndata_harvester.add_url_rule(
    "/harvest/delete/<id>", view_func=_delete, methods=["POST"]
)
vndata_harvester.add_url_rule(
    "/harvest/<source>/job/<id>/abort", view_func=_job_abort, methods=["POST"]
)


class DeleteSource(MethodView):
    """The delete page: what becomes of the source's datasets, chosen before the
    source goes (source_deletion.py; harvest_source_delete does it all)."""

    def _page(self, id: str, data: dict, errors: dict) -> str:
        context = {"user": tk.current_user.name}
        try:
            tk.check_access("harvest_source_delete", context, {"id": id})
            source = tk.get_action("harvest_source_show")(context, {"id": id})
        except tk.ObjectNotFound:
            return tk.abort(404, tk._("Harvest source not found"))
        except tk.NotAuthorized:
            return tk.abort(403, tk._("You may not delete this harvest source."))
        organizations = tk.get_action("organization_list_for_user")(
            context, {"permission": "create_dataset"}
        )
        return tk.render(
            "vndata_harvester/delete_source.html",
            {"source": source, "data": data, "errors": errors,
             "datasets": len(deleting.datasets_of(source["id"])),
             "choices": deleting.CHOICES, "organizations": organizations},
        )  # fmt: skip

    def get(self, id: str) -> str:
        return self._page(id, {deleting.DATASETS: deleting.DEFAULT}, {})

    def post(self, id: str):
        form = tk.request.form
        data = {
            key: form.get(key) for key in (deleting.DATASETS, deleting.ORGANIZATION)
        }
        context = {"user": tk.current_user.name}
        try:
            done = tk.get_action("harvest_source_delete")(context, {"id": id, **data})
        except tk.ValidationError as error:
            return self._page(id, data, error.error_dict)
        except tk.ObjectNotFound:
            return tk.abort(404, tk._("Harvest source not found"))
        except tk.NotAuthorized as refused:
            return tk.abort(
                403, str(refused) or tk._("You may not delete this harvest source.")
            )
        message = {
            deleting.HAND_OVER: tk._(
                "The source is deleted; its {count} datasets stay."
            ),
            deleting.WITHDRAW: tk._(
                "The source is deleted; its {count} datasets are withdrawn."
            ),
        }
        # None: the source was deleted already (another tab), nothing was settled.
        done = done or {deleting.DATASETS: deleting.DEFAULT, "datasets": 0}
        tk.h.flash_success(
            message[done[deleting.DATASETS]].format(count=done["datasets"])
        )
        return tk.redirect_to("harvest.search")


vndata_harvester.add_url_rule(
    "/thu-thap/nguon/<id>/xoa", view_func=DeleteSource.as_view("delete_source")
)


def mapping_preview(id: str | None = None) -> str:
    """ "Try the mapping" of the source form: the form's URL and config (and, editing
    a saved source, its stored login) read as a harvest would read them. The form's
    script asks for the result alone (``X-Requested-With``), to show it under the
    button; anything else gets it as a page."""
    form = tk.request.form
    keys = ("url", "config", "source_type", "owner_org", "title")
    data = {key: form.get(key) for key in keys}
    data["id"] = id
    context = {"user": tk.current_user.name}
    try:
        preview = tk.get_action("vndata_harvest_source_preview")(context, data)
    except tk.NotAuthorized:
        return tk.abort(
            403, tk._("You may not try the mapping of this harvest source.")
        )
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Harvest source not found"))
    except tk.ValidationError as refused:
        problems = [(k, m) for k, ms in refused.error_dict.items() for m in ms]
        preview = {"problems": problems, "error": None, "records": [], "on_page": 0}
    alone = tk.request.headers.get("X-Requested-With") == "XMLHttpRequest"
    return tk.render(
        "vndata_harvester/snippets/mapping_preview.html"
        if alone
        else "vndata_harvester/mapping_preview.html",
        {"preview": preview, "url": data["url"]},
    )


for _rule in ("/thu-thap/thu-anh-xa", "/thu-thap/thu-anh-xa/<id>"):
    vndata_harvester.add_url_rule(
        _rule, view_func=mapping_preview, methods=["POST"], endpoint="mapping_preview"
    )


def get_blueprints() -> list[Blueprint]:
    return [vndata_harvester]
