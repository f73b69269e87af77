"""The roster of obliged bodies: read by anyone, edited by sysadmins."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

import ckan.plugins.toolkit as tk
from ckan.model import Group, meta
from ckan.types import Context, DataDict

from ckanext.vndata.plan import roster
from ckanext.vndata.plan.body_kinds import KIND_LABELS, BodyKind
from ckanext.vndata.plan.logic import schema
from ckanext.vndata.plan.logic.action._common import validate
from ckanext.vndata.plan.model import Body, row_dict

__all__ = [
    "vndata_roster_list",
    "vndata_roster_body_create",
    "vndata_roster_body_update",
    "vndata_roster_body_delete",
]

_KIND_ORDER = {kind: position for position, kind in enumerate(BodyKind)}
# What a client may send of a body (the rest is the table's own bookkeeping).
_EDITABLE = (
    "code", "kind", "title", "province_code", "agency_code", "organizations",
    "merged_into", "active", "source", "note",
)  # fmt: skip


def _organizations(ids: set[str]) -> dict[str, dict[str, Any]]:
    rows = meta.Session.execute(
        sa.select(Group.id, Group.name, Group.title).where(
            Group.id.in_(ids), Group.state == "active"
        )
    )
    return {id_: {"id": id_, "name": name, "title": title} for id_, name, title in rows}


@tk.side_effect_free
def vndata_roster_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """The bodies obliged to issue an open-data plan, each with its organizations.

    Anyone may call it. Provinces come first (by code), then the ministries,
    ministerial-level and Government agencies. Each body carries its kind's label and
    ``resolved_organizations``: every organization of the portal that belongs to it
    (by province code, agency code, the explicit ``organizations`` and the bodies
    merged into it).

    :param all: also the inactive bodies and those merged into another (default false)
    :type all: bool
    :rtype: list of dictionaries
    """
    tk.check_access("vndata_roster_list", context, data_dict)
    data = validate(context, data_dict, schema.vndata_roster_list())
    listed = {body.code: body for body in roster.obliged_bodies()}
    rows = [
        body for body in meta.Session.query(Body) if data["all"] or body.code in listed
    ]
    rows.sort(key=lambda b: (_KIND_ORDER.get(b.kind, len(_KIND_ORDER)), b.code))
    organization_ids = {i for body in listed.values() for i in body.organization_ids}
    organizations = _organizations(organization_ids)
    result = []
    for row in rows:
        body = row_dict(row)
        body["kind_label"] = tk._(KIND_LABELS.get(row.kind, row.kind))
        body["listed"] = row.code in listed
        ids = listed[row.code].organization_ids if row.code in listed else []
        body["resolved_organizations"] = [organizations[i] for i in ids]
        result.append(body)
    return result


def _save(context: Context, body: Body, data: dict[str, Any]) -> dict[str, Any]:
    for key in _EDITABLE:
        if key in data:
            setattr(body, key, data[key])
    if body.merged_into:
        body.active = False  # a body merged into another is obliged no more
    meta.Session.add(body)
    meta.Session.flush()
    if not context.get("defer_commit"):
        meta.Session.commit()
    return row_dict(body)


def vndata_roster_body_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Add a body to the roster of obliged bodies.

    Only sysadmins may call it.

    :param code: the body's code (capitals, digits, ``.``, ``_``, ``-``), e.g. ``G06``
    :param kind: ``province``, ``ministry``, ``ministerial_agency`` or
        ``government_agency``
    :param title: its name in Vietnamese
    :param province_code: a province's code of Decision 19/2025 (required for one)
    :param agency_code: its level-1 agency code of Decision 20/2020 (optional); the
        organizations whose code starts with it belong to the body
    :param organizations: more organizations of the body (ids or names; a list, or
        text separated by commas)
    :param merged_into: the code of the body it merged into (it is then inactive)
    :param active: whether it must issue a plan (default true)
    :param source: where the entry comes from (a legal text)
    :param note: a note
    :rtype: dictionary
    :raises: ValidationError
    """
    tk.check_access("vndata_roster_body_create", context, data_dict)
    data = validate(context, data_dict, schema.vndata_roster_body_create())
    return _save(context, Body(), data)


def _get_body(context: Context, data_dict: DataDict) -> Body:
    code = validate(context, data_dict, schema.vndata_roster_body_code())["code"]
    body = Body.get(code)
    if body is None:
        raise tk.ObjectNotFound(
            tk._("No body on the roster has the code {code}.").format(code=code)
        )
    return body


def vndata_roster_body_update(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Change a body of the roster: only the fields sent change.

    Only sysadmins may call it. Merging two ministries is an update of the one that
    disappears: ``merged_into`` the code of the other; its organizations then count
    for the other, and it is no longer listed.

    :param code: the body's code (it cannot be changed)
    :param kind, title, province_code, agency_code, organizations, merged_into, active,
        source, note: as in ``vndata_roster_body_create``
    :rtype: dictionary
    :raises: ObjectNotFound, ValidationError
    """
    tk.check_access("vndata_roster_body_update", context, data_dict)
    body = _get_body(context, data_dict)
    current = {key: getattr(body, key) for key in _EDITABLE}
    if "organizations" not in data_dict:
        # An organization deleted since it was named would refuse every other change.
        named = list(body.organizations or [])
        found = _organizations(set(named))
        current["organizations"] = [i for i in named if i in found]
    data = validate(
        context,
        {**{k: v for k, v in current.items() if v is not None}, **data_dict},
        schema.vndata_roster_body_update(),
    )
    return _save(context, body, data)


def vndata_roster_body_delete(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Remove a body from the roster (to stop counting one, prefer ``active`` false).

    Only sysadmins may call it. A body others are merged into cannot be removed.

    :param code: the body's code
    :rtype: dictionary (the removed body)
    :raises: ObjectNotFound, ValidationError
    """
    tk.check_access("vndata_roster_body_delete", context, data_dict)
    body = _get_body(context, data_dict)
    merged = [
        code
        for (code,) in meta.Session.query(Body.code).filter(
            Body.merged_into == body.code
        )
    ]
    if merged:
        raise tk.ValidationError(
            {
                "code": [
                    tk._(
                        "These bodies are merged into this one: {codes}. Change them "
                        "first."
                    ).format(codes=", ".join(sorted(merged)))
                ]
            }
        )
    removed = row_dict(body)
    meta.Session.delete(body)
    if not context.get("defer_commit"):
        meta.Session.commit()
    return removed
