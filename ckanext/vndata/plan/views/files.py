"""Files of a plan: downloads (.xlsx, .csv, .json, DCAT), the blank template, and the
upload of a filled workbook (checked, previewed, then applied as a whole or not at all).
"""

from __future__ import annotations

import json
import pathlib
import re
import secrets
import tempfile

from flask import Blueprint, Response

import ckan.plugins.toolkit as tk

from ckanext.vndata.plan import excel, opendata, upload
from ckanext.vndata.plan.views._common import (
    context,
    csrf_checked,
    load_organization,
    load_plan,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RDF_FORMATS = {
    "ttl": ("turtle", "text/turtle"),
    "rdf": ("xml", "application/rdf+xml"),
    "jsonld": ("json-ld", "application/ld+json"),
}
TOKEN = re.compile(r"^[0-9a-f]{32}$")


def _download(body, mimetype: str, filename: str) -> Response:
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def export(plan_id: str, fmt: str):
    plan = load_plan(plan_id)
    name = f"ke-hoach-{plan_id[:8]}-v{plan['version']}"
    if fmt == "json":
        return Response(
            json.dumps(plan, ensure_ascii=False, indent=1, default=str),
            mimetype="application/json",
        )
    if fmt == "csv":
        return _download(
            "\ufeff" + opendata.csv_text(plan), "text/csv; charset=utf-8", f"{name}.csv"
        )
    if fmt == "xlsx":
        return _download(excel.write(plan), XLSX, f"{name}.xlsx")
    rdf_format, mimetype = RDF_FORMATS[fmt]
    organization = load_organization(plan["organization_id"])
    graph = opendata.graph(plan, organization)
    return Response(graph.serialize(format=rdf_format), mimetype=mimetype)


def template():
    return _download(excel.write(), XLSX, "mau-ke-hoach-du-lieu-mo.xlsx")


def _uploads() -> pathlib.Path:
    folder = pathlib.Path(tempfile.gettempdir()) / "vndata-plan-uploads"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def _read(data: bytes):
    """(workbook, refusal message)."""
    try:
        return excel.read(data), None
    except excel.Refused as refusal:
        return None, str(refusal)


@csrf_checked
def upload_form(plan_id: str):
    plan = load_plan(plan_id)
    if not tk.h.check_access("vndata_plan_update", {"id": plan_id}):
        return tk.abort(403, tk._("You may not edit this plan."))
    extra = {"plan": plan, "problems": [], "refusal": None, "changes": None}
    if tk.request.method == "POST":
        token = tk.request.form.get("token", "")
        if TOKEN.match(token) and tk.request.form.get("confirm"):
            return _confirm(plan, token)
        uploaded = tk.request.files.get("file")
        data = uploaded.read(excel.MAX_BYTES + 1) if uploaded else b""
        book, refusal = _read(data)
        extra["refusal"] = refusal or (None if data else tk._("Choose a file."))
        if book is not None:
            extra["problems"] = [str(p) for p in book.problems]
            if not book.problems:
                extra["changes"] = upload.changes(plan, book)
                extra["token"] = secrets.token_hex(16)
                (_uploads() / f"{extra['token']}.xlsx").write_bytes(data)
    return tk.render("vndata_plan/upload.html", extra)


def _confirm(plan: dict, token: str):
    path = _uploads() / f"{token}.xlsx"
    if not path.exists():
        tk.h.flash_error(tk._("The upload has expired; upload the file again."))
        return tk.redirect_to("vndata_plan.upload", plan_id=plan["id"])
    book, refusal = _read(path.read_bytes())
    path.unlink()
    if book is None or book.problems:
        return tk.abort(400, refusal or tk._("The file is no longer valid."))
    changes = upload.changes(plan, book)
    try:
        upload.apply(context(), plan, changes)
    except tk.ValidationError as error:
        tk.h.flash_error(str(error.error_dict))
        return tk.redirect_to("vndata_plan.upload", plan_id=plan["id"])
    except tk.ObjectNotFound:  # a part was removed by someone else meanwhile
        tk.h.flash_error(tk._("The plan changed meanwhile: nothing was saved."))
        return tk.redirect_to("vndata_plan.upload", plan_id=plan["id"])
    except tk.NotAuthorized:
        return tk.abort(403, tk._("You may not edit this plan."))
    tk.h.flash_success(
        tk._("{count} changes saved from the file.").format(count=len(changes))
        if changes
        else tk._("The file matches the plan: nothing changed.")
    )
    return tk.redirect_to("vndata_plan.read", plan_id=plan["id"])


def register(blueprint: Blueprint) -> None:
    formats = "any(json,csv,xlsx,ttl,rdf,jsonld)"
    blueprint.add_url_rule(
        f"/ke-hoach/<plan_id>.<{formats}:fmt>", view_func=export, endpoint="export"
    )
    blueprint.add_url_rule(
        "/ke-hoach/mau-ke-hoach.xlsx", view_func=template, endpoint="template"
    )
    blueprint.add_url_rule(
        "/ke-hoach/<plan_id>/tai-len", view_func=upload_form, methods=["GET", "POST"],
        endpoint="upload",
    )  # fmt: skip
