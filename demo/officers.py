"""The people who work on each provincial portal's plans, and their roles there.

An editor of the agency drafts its plan, an admin of the agency submits it, and the
province's reviewer (named in the portal's ``ckanext.vndata.plan.reviewers``, see
ckanext/vndata/plan/roles.py) approves and publishes it.

    python demo/officers.py reviewer PORTAL     prints the reviewer's user name
    python demo/officers.py logins              prints who is who, for the demo's notice
"""

from __future__ import annotations

import dataclasses
import os
import sys


@dataclasses.dataclass(frozen=True)
class Officer:
    name: str
    fullname: str
    organization: str | None = None  # None: not a member (the reviewer)
    capacity: str | None = None  # editor, admin


OFFICERS = {
    "danang": (
        Officer(
            "canbo-khcn-da-nang",
            "Nguyễn Thị Thu Hà (chuyên viên Sở KH&CN)",
            "so-khcn-da-nang",
            "editor",
        ),
        Officer(
            "lanhdao-khcn-da-nang",
            "Trần Văn Minh (Phó Giám đốc Sở KH&CN)",
            "so-khcn-da-nang",
            "admin",
        ),
        Officer(
            "canbo-xay-dung-da-nang",
            "Lê Quang Huy (chuyên viên Sở Xây dựng)",
            "so-xay-dung-da-nang",
            "editor",
        ),
        Officer("thamdinh-da-nang", "Tổ thẩm định kế hoạch dữ liệu mở Đà Nẵng"),
    ),
    "hue": (
        Officer(
            "canbo-ubnd-hue",
            "Phạm Thị Lan (chuyên viên Văn phòng UBND)",
            "ubnd-thanh-pho-hue",
            "editor",
        ),
        Officer(
            "lanhdao-ubnd-hue",
            "Hoàng Văn Nam (Chánh Văn phòng UBND)",
            "ubnd-thanh-pho-hue",
            "admin",
        ),
        Officer("thamdinh-hue", "Tổ thẩm định kế hoạch dữ liệu mở Huế"),
    ),
}


def reviewer(portal: str) -> str:
    return next(o.name for o in OFFICERS[portal] if o.organization is None)


def by_role(portal: str, organization: str, capacity: str) -> str:
    """The user name of the agency's editor or admin."""
    return next(
        o.name
        for o in OFFICERS[portal]
        if o.organization == organization and o.capacity == capacity
    )


def acting(portal: str, organization: str, role: str) -> str:
    """Who takes a workflow step: the reviewer, or the agency's editor or admin."""
    if role == "reviewer":
        return reviewer(portal)
    return by_role(portal, organization, role)


def password() -> str:
    """The demo's one password (demo.sh exports it): the officers', and the login the
    national portal gives Cần Thơ's JSON API (json_portal.py)."""
    return os.environ.get("VNDATA_DEMO_PASSWORD", "Quantri-Demo-2026")


def seed(portal, name: str) -> None:
    """Create the portal's officers and their memberships (what is there stays)."""
    login = password()
    members: dict[str, dict[str, str]] = {}
    for officer in OFFICERS[name]:
        if not portal.exists("user_show", officer.name):
            portal.call(
                "user_create",
                name=officer.name,
                fullname=officer.fullname,
                email=f"{officer.name}@demo.vndata",
                password=login,
            )
            print(f"  người dùng {officer.name}")
        if officer.organization is None:
            continue
        if officer.organization not in members:
            users = portal.call(
                "member_list", id=officer.organization, object_type="user"
            )
            members[officer.organization] = {
                user_id: capacity for user_id, _type, capacity in users
            }
        user_id = portal.call("user_show", id=officer.name)["id"]
        if members[officer.organization].get(user_id) != officer.capacity:
            portal.call(
                "organization_member_create",
                id=officer.organization,
                username=officer.name,
                role=officer.capacity,
            )


def logins() -> str:
    """One line per portal: each officer's user name and role."""
    return "\n".join(
        f"{portal}: "
        + ", ".join(f"{o.name} ({o.capacity or 'reviewer'})" for o in people)
        for portal, people in OFFICERS.items()
    )


if __name__ == "__main__":
    if sys.argv[1:2] == ["reviewer"]:
        print(reviewer(sys.argv[2]))
    elif sys.argv[1:] == ["logins"]:
        print(logins())
