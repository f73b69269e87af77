"""The roster: which bodies must issue a plan, and which organizations belong to each.

An organization belongs to at most one body, so the national report never counts a plan
twice. It is, in this order:

1. the body that names it in ``organizations`` (by id or URL name);
2. the body whose agency code is the organization's ``agency_code`` or the longest
   leading groups of it (``G06`` owns ``G06.12.03``; Decision 20/2020 codes grow from
   left to right);
3. the province whose code is the organization's ``province_code`` (its People's
   Committee and departments), unless the organization says it is a central agency
   (``agency_level`` ``trung_uong``: a ministry's office located in the province).

A body merged into another lends its organizations to its successor (and to the
successor's successor...) and is not listed itself; an inactive body owns nothing.
"""

from __future__ import annotations

import dataclasses

import sqlalchemy as sa

from ckan.model import Group, GroupExtra, meta

from ckanext.vndata.plan.body_kinds import BodyKind
from ckanext.vndata.plan.model import Body

CENTRAL_LEVEL = "trung_uong"
_EXTRAS = ("province_code", "agency_code", "agency_level")
_KIND_ORDER = {kind: position for position, kind in enumerate(BodyKind)}


@dataclasses.dataclass
class ObligedBody:
    code: str
    kind: str
    title: str
    province_code: str | None
    agency_code: str | None
    organization_ids: list[str] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class _Organization:
    id: str
    name: str
    province_code: str | None = None
    agency_code: str | None = None
    agency_level: str | None = None


def _organizations() -> dict[str, _Organization]:
    """Every active organization with the extras the roster reads: two queries."""
    rows = meta.Session.execute(
        sa.select(Group.id, Group.name).where(
            Group.is_organization.is_(True), Group.state == "active"
        )
    )
    organizations = {id_: _Organization(id_, name) for id_, name in rows}
    extras = meta.Session.execute(
        sa.select(GroupExtra.group_id, GroupExtra.key, GroupExtra.value).where(
            GroupExtra.key.in_(_EXTRAS), GroupExtra.state == "active"
        )
    )
    for group_id, key, value in extras:
        if group_id in organizations and value:
            setattr(organizations[group_id], key, value)
    return organizations


def _successor(code: str, bodies: dict[str, Body]) -> Body | None:
    """The body that ``code`` stands for today: itself, or the end of its merges."""
    seen = set()
    body = bodies.get(code)
    while body is not None and body.merged_into and body.code not in seen:
        seen.add(body.code)
        body = bodies.get(body.merged_into)
    if body is None or body.merged_into or not body.active:
        return None
    return body


def _owner(
    organization: _Organization,
    named: dict[str, str],
    by_agency_code: dict[str, str],
    by_province: dict[str, str],
) -> str | None:
    """The code of the body (before merges) ``organization`` belongs to."""
    for key in (organization.id, organization.name):
        if key in named:
            return named[key]
    if organization.agency_code:
        groups = organization.agency_code.split(".")
        for length in range(len(groups), 0, -1):
            code = by_agency_code.get(".".join(groups[:length]))
            if code:
                return code
    if organization.province_code and organization.agency_level != CENTRAL_LEVEL:
        return by_province.get(organization.province_code)
    return None


def _resolve() -> tuple[list[ObligedBody], dict[str, str]]:
    rows = {body.code: body for body in meta.Session.query(Body)}
    named, by_agency_code, by_province = {}, {}, {}
    for body in rows.values():
        for organization in body.organizations or []:
            named.setdefault(str(organization), body.code)
        if body.agency_code:
            by_agency_code.setdefault(body.agency_code, body.code)
        if body.kind == BodyKind.PROVINCE and body.province_code:
            by_province.setdefault(body.province_code, body.code)

    listed = {
        body.code: ObligedBody(
            body.code,
            body.kind,
            body.title,
            body.province_code,
            body.agency_code,
        )
        for body in rows.values()
        if body.active and not body.merged_into
    }
    owners: dict[str, str] = {}
    for organization in _organizations().values():
        code = _owner(organization, named, by_agency_code, by_province)
        body = _successor(code, rows) if code else None
        if body is not None and body.code in listed:
            listed[body.code].organization_ids.append(organization.id)
            owners[organization.id] = body.code
    bodies = sorted(listed.values(), key=lambda b: (_KIND_ORDER.get(b.kind), b.code))
    for body in bodies:
        body.organization_ids.sort()
    return bodies, owners


def obliged_bodies() -> list[ObligedBody]:
    """The active bodies of the roster with their organizations' ids, provinces first
    (by code), then the ministries, ministerial-level and Government agencies."""
    return _resolve()[0]


def body_of_organization() -> dict[str, str]:
    """Organization id -> the code of the obliged body it belongs to (if any)."""
    return _resolve()[1]
