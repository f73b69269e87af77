"""The quality figures of an organization, a harvest source or the nation as JSON or
CSV downloads (vndata_quality_summary), as the national dashboard offers its own."""

from __future__ import annotations

import json

from flask import Blueprint, Response, request

import ckan.plugins.toolkit as tk

from ckanext.vndata.quality.summary import vndata_quality_summary_csv

vndata_quality = Blueprint("vndata_quality", __name__)


def summary(fmt: str) -> Response | str:
    if fmt not in ("json", "csv"):
        return tk.abort(404)
    data_dict = {"scope": request.args.get("scope"), "id": request.args.get("id")}
    try:
        result = tk.get_action("vndata_quality_summary")(
            {"user": tk.current_user.name}, data_dict
        )
    except tk.ObjectNotFound as error:
        return tk.abort(404, str(error.message or ""))
    except tk.ValidationError as error:
        messages = [m for ms in error.error_dict.values() for m in ms]
        return tk.abort(400, " ".join(str(m) for m in messages))
    name = "-".join(p for p in ("chat-luong", result["scope"], result["id"]) if p)
    if fmt == "json":
        return Response(
            json.dumps(result, ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
    return Response(
        vndata_quality_summary_csv(result),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )


vndata_quality.add_url_rule("/chat-luong/tong-hop.<fmt>", view_func=summary)
