"""The organization bulk page, which must show a refused publication, not a 500.

CKAN's bulk view (``/organization/bulk_process/<id>``) catches only NotAuthorized
from the bulk actions, so the gate's ValidationError from ``bulk_update_public``
would end in a 500. The same URL is registered here for POST (plugin blueprints are
registered before core's, and the first wins), runs CKAN's own view and turns a
refusal into a flash message on the page the officer came from.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint

import ckan.plugins.toolkit as tk
from ckan.views.group import BulkProcessView

from ckanext.vndata.metadata.web_guards import vndata_web_guards

vndata_metadata = Blueprint("vndata_metadata", __name__)
_core_bulk_process = BulkProcessView.as_view("bulk_process")


def organization_bulk_process(id: str) -> Any:
    try:
        return _core_bulk_process(
            id=id, group_type="organization", is_organization=True
        )
    except tk.ValidationError as error:
        for messages in error.error_dict.values():
            for message in messages if isinstance(messages, list) else [messages]:
                tk.h.flash_error(message)
        return tk.redirect_to("organization.bulk_process", id=id)


vndata_metadata.add_url_rule(
    "/organization/bulk_process/<id>",
    view_func=organization_bulk_process,
    methods=["POST"],
)


def get_blueprints() -> list[Blueprint]:
    return [vndata_metadata, vndata_web_guards]
