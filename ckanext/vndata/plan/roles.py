"""Who a user is to an agency's plan: sysadmin, reviewer, admin, editor, member."""

from __future__ import annotations

import ckan.authz as authz
import ckan.plugins.toolkit as tk

SYSADMIN = "sysadmin"
REVIEWER = "reviewer"
ADMIN = "admin"
EDITOR = "editor"
MEMBER = "member"


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
