"""What the plan pages share: the user's context, loading a plan, refusing access."""

from __future__ import annotations

import functools
from typing import Any

from flask_wtf.csrf import ValidationError as CSRFError
from flask_wtf.csrf import validate_csrf

import ckan.plugins.toolkit as tk
from ckan.common import current_user

from ckanext.vndata.lib.text import can_store
from ckanext.vndata.plan import provenance

# Flask-WTF's default WTF_CSRF_HEADERS; CKAN's JavaScript module sends the first.
CSRF_HEADERS = ("X-CSRFToken", "X-CSRF-Token")


def context() -> dict[str, Any]:
    return {"user": current_user.name if current_user.is_authenticated else ""}


def allowed(action: str, data: dict[str, Any]) -> bool:
    return tk.h.check_access(action, data)


def load_plan(plan_id: str) -> dict[str, Any]:
    """The plan with its parts, or a 404/403 page."""
    try:
        return tk.get_action("vndata_plan_show")(context(), {"id": plan_id})
    except (tk.ObjectNotFound, tk.ValidationError):  # no plan has such an id
        return tk.abort(404, tk._("Plan not found"))
    except tk.NotAuthorized:
        return tk.abort(403, tk._("You may not read this plan."))


def load_local_plan(plan_id: str) -> dict[str, Any]:
    """The plan a form changes: a harvested plan is refused (403, naming its source)
    whoever asks, as its actions refuse it (provenance.ensure_local)."""
    plan = load_plan(plan_id)
    if plan["harvest_source"]:
        title = plan["harvest_source"]["title"]
        return tk.abort(403, provenance.refusal_message(title))
    return plan


def load_organization(organization_id: str) -> dict[str, Any]:
    if not can_store(organization_id):  # a NUL in the URL would break the query
        return tk.abort(404, tk._("Organization not found"))
    try:
        return tk.get_action("organization_show")(
            context(), {"id": organization_id, "include_datasets": False}
        )
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return tk.abort(404, tk._("Organization not found"))


def may(action: str, data: dict[str, Any], message: str) -> None:
    """A 403 page unless the user may call ``action``: a form shows only to those who
    may send it."""
    if not allowed(action, data):
        tk.abort(403, message)


def _sent_token() -> str | None:
    """The CSRF token from the form field, or from the header CKAN's JavaScript sends
    (X-CSRFToken, as Flask-WTF reads it)."""
    field = tk.config.get("WTF_CSRF_FIELD_NAME")
    return tk.request.form.get(field) or next(
        (
            tk.request.headers[name]
            for name in CSRF_HEADERS
            if tk.request.headers.get(name)
        ),
        None,
    )


def csrf_checked(view):
    """The form's CSRF token is checked here too, not only by CKAN.

    CKAN 2.12.0 exempts a view from CSRF for the life of the process once one request
    authenticated by an API token has reached it (``csrf.exempt`` in
    ``ckan_before_request``); 2.11 exempts that request only. A browser session must
    always send the token, in the form or in a header.
    """

    @functools.wraps(view)
    def checked(*args, **kwargs):
        if tk.request.method == "POST" and not tk.g.get("login_via_auth_header"):
            try:
                validate_csrf(_sent_token())
            except CSRFError:
                return tk.abort(
                    400,
                    tk._(
                        "The form has expired or did not come from this site; "
                        "reload the page and send it again."
                    ),
                )
        return view(*args, **kwargs)

    return checked
