"""Who a user is to an agency's plan: sysadmin, reviewer, admin, editor, member."""

from __future__ import annotations

import ckan.authz as authz
import ckan.plugins.toolkit as tk

from ckanext.vndata.lib.i18n import N_

SYSADMIN = "sysadmin"
REVIEWER = "reviewer"
ADMIN = "admin"
EDITOR = "editor"
MEMBER = "member"

# Who takes each step of the workflow (logic/auth.py grants exactly these; the plan
# page names them as the next step's actors). Sysadmins pass every one of them.
STEP_ROLES: dict[str, frozenset[str]] = {
    "submit": frozenset({ADMIN}),
    "return": frozenset({REVIEWER}),
    "approve": frozenset({REVIEWER}),
    "publish": frozenset({ADMIN, REVIEWER}),
    "revise": frozenset({EDITOR}),
}

# Who holds a role, as a sentence names them, in the user's language.
ROLE_LABELS: dict[str, str] = {
    ADMIN: N_("the agency's administrators"),
    EDITOR: N_("the agency's editors"),
    REVIEWER: N_("the national reviewers"),
}


def step_actors(step: str) -> str:
    """Who may take ``step``, in the user's language ("a or b")."""
    names = [tk._(ROLE_LABELS[role]) for role in sorted(STEP_ROLES[step])]
    return tk._(" or ").join(names)


def user_roles(user_name: str | None, organization_id: str) -> set[str]:
    """The roles ``user_name`` has for plans of ``organization_id``."""
    if not user_name:
        return set()
    roles: set[str] = set()
    if authz.is_sysadmin(user_name):
        roles |= {SYSADMIN, REVIEWER}
    if user_name in tk.config.get("ckanext.vndata.plan.reviewers"):
        roles.add(REVIEWER)
    capacity = authz.users_role_for_group_or_org(organization_id, user_name)
    if capacity == "admin":
        roles |= {ADMIN, EDITOR, MEMBER}
    elif capacity == "editor":
        roles |= {EDITOR, MEMBER}
    elif capacity == "member":
        roles.add(MEMBER)
    return roles


def is_reviewer(user_name: str | None) -> bool:
    if not user_name:
        return False
    return authz.is_sysadmin(user_name) or user_name in tk.config.get(
        "ckanext.vndata.plan.reviewers"
    )
