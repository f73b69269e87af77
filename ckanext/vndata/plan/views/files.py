"""Files of a plan: downloads (.xlsx, .csv, .json, DCAT), the blank template, and the
upload of a filled workbook (checked, previewed, then applied as a whole or not at all).
"""

from __future__ import annotations

import json
import pathlib
import re
import secrets
import tempfile
import time

from flask import Blueprint, Response

import ckan.plugins.toolkit as tk

from ckanext.vndata.plan import exchange_rdf, opendata, upload
from ckanext.vndata.plan.excel import guard
from ckanext.vndata.plan.excel.read import read_workbook
from ckanext.vndata.plan.excel.write import write_workbook
from ckanext.vndata.plan.views._common import (
    context,
    csrf_checked,
    load_local_plan,
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
UPLOAD_MAX_AGE = 3600  # seconds a previewed upload waits for its confirmation
UPLOAD_MAX_FILES = 200


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
        return _download(write_workbook(plan), XLSX, f"{name}.xlsx")
    rdf_format, mimetype = RDF_FORMATS[fmt]
    organization = load_organization(plan["organization_id"])
    graph = exchange_rdf.plan_graph(plan, organization)
    return Response(graph.serialize(format=rdf_format), mimetype=mimetype)


def plans_index(fmt: str):
    """The portal's published plans, for the portals that harvest it."""
    rdf_format, mimetype = RDF_FORMATS[fmt]
    graph = exchange_rdf.index_graph(exchange_rdf.published_plans())
    return Response(graph.serialize(format=rdf_format), mimetype=mimetype)


def template():
    return _download(write_workbook(), XLSX, "mau-ke-hoach-du-lieu-mo.xlsx")


def _uploads() -> pathlib.Path:
    """The folder of previewed uploads awaiting confirmation, cleared of expired ones.

    A preview that is never confirmed nor cancelled would otherwise stay for good: files
    older than UPLOAD_MAX_AGE go, then the oldest while there are more than
    UPLOAD_MAX_FILES, so the folder holds at most that many files of MAX_BYTES each."""
    folder = pathlib.Path(tempfile.gettempdir()) / "vndata-plan-uploads"
    folder.mkdir(mode=0o700, exist_ok=True)
    pending = []
    for path in folder.glob("*.xlsx"):
        try:
            pending.append((path.stat().st_mtime, path))
        except FileNotFoundError:  # confirmed or cleared by another request meanwhile
            continue
    pending.sort(reverse=True)
    oldest = time.time() - UPLOAD_MAX_AGE
    for index, (modified, path) in enumerate(pending):
        if modified < oldest or index >= UPLOAD_MAX_FILES - 1:
            path.unlink(missing_ok=True)
    return folder


def _pending(token: str) -> pathlib.Path:
    return _uploads() / f"{token}.xlsx"


def _read(plan: dict, data: bytes, filename: str | None = None):
    """(workbook, refusal message); the workbook's problems include its keys the plan
    does not know."""
    try:
        labels = [p["label"] for p in plan.get("phases") or []]
        book = read_workbook(data, filename, known_phases=labels)
    except guard.Refused as refusal:
        return None, str(refusal)
    if not book.problems:
        book.problems = upload.check(plan, book)
    return book, None


def _page(plan: dict, status: int = 200, **extra):
    values = {"plan": plan, "problems": [], "refusal": None, "changes": None}
    values["kept"] = []
    return tk.render("vndata_plan/upload.html", {**values, **extra}), status


@csrf_checked
def upload_form(plan_id: str):
    plan = load_local_plan(plan_id)
    if not tk.h.check_access("vndata_plan_update", {"id": plan_id}):
        return tk.abort(403, tk._("You may not edit this plan."))
    if tk.request.method != "POST":
        return _page(plan)
    token = tk.request.form.get("token", "")
    if TOKEN.match(token) and tk.request.form.get("cancel"):
        _pending(token).unlink(missing_ok=True)
        return tk.redirect_to("vndata_plan.read", plan_id=plan_id)
    if TOKEN.match(token) and tk.request.form.get("confirm"):
        return _confirm(plan, token)
    uploaded = tk.request.files.get("file")
    if uploaded is None or not uploaded.filename:
        return _page(plan, refusal=tk._("No file was chosen."))
    data = uploaded.read(guard.MAX_BYTES + 1)
    book, refusal = _read(plan, data, uploaded.filename)
    if book is None:
        return _page(plan, refusal=refusal)
    if book.problems:
        return _page(plan, problems=[str(p) for p in book.problems])
    token = secrets.token_hex(16)
    _pending(token).write_bytes(data)
    changes = upload.changes(plan, book)
    kept = [c for c in changes if c.operation == "keep"]
    written = [c for c in changes if c.operation in upload.WRITING]
    return _page(plan, changes=written, kept=kept, token=token)


def _confirm(plan: dict, token: str):
    try:
        data = _pending(token).read_bytes()
    except FileNotFoundError:  # expired, cancelled, or confirmed in another tab
        tk.h.flash_error(tk._("The upload has expired; upload the file again."))
        return tk.redirect_to("vndata_plan.upload", plan_id=plan["id"])
    _pending(token).unlink(missing_ok=True)
    book, refusal = _read(plan, data)
    if book is None or book.problems:
        problems = [str(p) for p in book.problems] if book else []
        return _page(plan, 409, refusal=refusal, problems=problems)
    remove_missing = bool(tk.request.form.get("remove_missing"))
    changes = upload.changes(plan, book, remove_missing)
    written = [c for c in changes if c.operation in upload.WRITING]
    try:
        upload.apply(context(), plan, changes)
    except upload.Failed as failure:
        return _page(plan, 409, problems=[str(p) for p in failure.problems])
    except tk.ObjectNotFound:  # a part was removed by someone else meanwhile
        refusal = tk._("The plan changed meanwhile: nothing was saved.")
        return _page(plan, 409, refusal=refusal)
    except tk.NotAuthorized:
        return tk.abort(403, tk._("You may not edit this plan."))
    tk.h.flash_success(
        tk._("{count} changes saved from the file.").format(count=len(written))
        if written
        else tk._("The file matches the plan: nothing changed.")
    )
    return tk.redirect_to("vndata_plan.read", plan_id=plan["id"])


def register(blueprint: Blueprint) -> None:
    # Before the plan's files: "catalog" is no plan id (Werkzeug prefers the static
    # part anyway; the order says it to the reader).
    blueprint.add_url_rule(
        "/ke-hoach/catalog.<any(ttl,rdf,jsonld):fmt>", view_func=plans_index,
        endpoint="plans_index",
    )  # fmt: skip
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
