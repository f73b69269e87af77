"""What the plan pages share: the user's context, loading a plan, refusing access."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.common import current_user


def context() -> dict[str, Any]:
    return {"user": current_user.name if current_user.is_authenticated else ""}


def allowed(action: str, data: dict[str, Any]) -> bool:
    return tk.h.check_access(action, data)


def load_plan(plan_id: str) -> dict[str, Any]:
    """The plan with its parts, or a 404/403 page."""
    try:
        return tk.get_action("vndata_plan_show")(context(), {"id": plan_id})
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Plan not found"))
    except tk.NotAuthorized:
        return tk.abort(403, tk._("You may not read this plan."))


def load_organization(organization_id: str) -> dict[str, Any]:
    try:
        return tk.get_action("organization_show")(
            context(), {"id": organization_id, "include_datasets": False}
        )
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return tk.abort(404, tk._("Organization not found"))
