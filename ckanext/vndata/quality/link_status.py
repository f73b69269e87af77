"""What is known of a resource's link: for the score, whether it works (a verdict
counts only for the address it was given about); for the resource page, works or not,
since when, and why not, in the reader's language (the template is
templates/package/resource_read.html of this plugin)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.vndata.quality import link_check
from ckanext.vndata.quality.model import LinkCheck


def vndata_quality_link_status(resource: dict[str, Any]) -> dict[str, Any]:
    """{"ok": True/False/None, "label", "checked", "last_ok"} of ``resource``'s last
    check (times as stored, UTC; shown with vndata_format_datetime). ``ok`` is None,
    "Not checked yet", when it was never checked or its address changed since."""
    link = model.Session.get(LinkCheck, resource.get("id") or "")
    # The stored address (an uploaded file's name, not the download URL shown).
    row = model.Session.get(model.Resource, resource.get("id") or "")
    if link is None or link.checked is None or row is None or link.url != row.url:
        return {"ok": None, "label": tk._("Not checked yet")}
    if link.ok:
        label = tk._("Working")
        if link.status:
            label = tk._("Working (HTTP {status})").format(status=link.status)
    else:
        label = link_check.vndata_link_error(link.error, link.status) or tk._(
            "Not working"
        )
    return {
        "ok": bool(link.ok),
        "label": label,
        "checked": link.checked,
        "last_ok": link.last_ok,
    }


def vndata_quality_link_verdicts(package_ids: Iterable[str]) -> dict[str, bool]:
    """{resource id: whether its link works} for the resources of ``package_ids`` that
    have a verdict about their current address (Facts.reachable of the score; a
    resource absent here is "not checked yet"). One query for any number of datasets."""
    rows = (
        model.Session.query(LinkCheck.resource_id, LinkCheck.ok)
        .join(model.Resource, model.Resource.id == LinkCheck.resource_id)
        .filter(
            LinkCheck.package_id.in_(list(package_ids)),
            LinkCheck.checked.isnot(None),
            LinkCheck.ok.isnot(None),
            LinkCheck.url == model.Resource.url,
        )
    )
    return {resource_id: bool(ok) for resource_id, ok in rows}
