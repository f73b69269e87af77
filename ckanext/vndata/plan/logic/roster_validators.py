"""Validators of the roster of obliged bodies (messages in the user's language).

A module of its own beside ``validators.py`` (the plan fields' validators), which would
otherwise pass the 400-line limit.
"""

from __future__ import annotations

import re
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.model import meta
from ckan.types import Context, FlattenDataDict, FlattenErrorDict, FlattenKey

from ckanext.vndata.lib import admin_units, agency_codes
from ckanext.vndata.lib.navl import is_empty
from ckanext.vndata.lib.text import can_store
from ckanext.vndata.plan.body_kinds import CENTRAL, BodyKind
from ckanext.vndata.plan.logic.validators import vndata_plan_string, vndata_plan_text
from ckanext.vndata.plan.model import Body

# A body's code: what the shipped list uses (a province code "48", an agency code
# "G06", an abbreviation "TTXVN"), in capitals.
CODE = re.compile(r"^[A-Z0-9][A-Z0-9._-]{0,63}$")
MAX_TITLE_LENGTH = 500
MAX_ORGANIZATIONS = 500


def vndata_roster_code(value: Any, context: Context) -> Any:
    """A body's code: letters, digits, ``.``, ``_``, ``-``; stored in capitals."""
    code = vndata_plan_string(value, context)
    if is_empty(code):
        return code
    code = code.strip().upper()
    if not CODE.match(code):
        raise tk.Invalid(
            tk._(
                "Invalid code {value}: use letters, digits, '.', '_' or '-' "
                "(at most 64 characters), e.g. G06 or 48."
            ).format(value=value)
        )
    return code


def vndata_roster_new_code(value: Any, context: Context) -> Any:
    """A code no body of the roster has yet."""
    if Body.get(value) is not None:
        raise tk.Invalid(
            tk._("A body with the code {code} is already on the roster.").format(
                code=value
            )
        )
    return value


def vndata_roster_kind(value: Any, context: Context) -> Any:
    if not isinstance(value, str) or value not in set(BodyKind):
        raise tk.Invalid(
            tk._("Unknown value {value}; allowed: {allowed}.").format(
                value=value if can_store(value) else "?",
                allowed=", ".join(BodyKind),
            )
        )
    return value


def vndata_roster_title(value: Any, context: Context) -> Any:
    title = vndata_plan_text(value, context)
    if title and len(title) > MAX_TITLE_LENGTH:
        raise tk.Invalid(
            tk._("The text is too long: at most {max} characters.").format(
                max=MAX_TITLE_LENGTH
            )
        )
    return title


def vndata_roster_province_code(value: Any, context: Context) -> Any:
    """A province code of Decision 19/2025 (two digits, e.g. 48)."""
    code = vndata_plan_text(value, context)
    if code is None:
        return None
    code = code.zfill(2) if code.isascii() and code.isdigit() else code
    if code not in admin_units.provinces():
        raise tk.Invalid(
            tk._(
                "Unknown province code {value}: use a code of Decision 19/2025/QĐ-TTg "
                "(e.g. 48 for Đà Nẵng)."
            ).format(value=code)
        )
    return code


def vndata_roster_agency_code(value: Any, context: Context) -> Any:
    """A level-1 agency code of Decision 20/2020 (a legacy QCVN 102 code converted)."""
    code = vndata_plan_text(value, context)
    if code is None:
        return None
    try:
        return agency_codes.parse(code).code
    except agency_codes.InvalidAgencyCode:
        raise tk.Invalid(
            tk._(
                "Invalid agency code {code}: use the form of Decision 20/2020/QĐ-TTg "
                "(e.g. G06 or H46.14)."
            ).format(code=code)
        )


def vndata_roster_organizations(value: Any, context: Context) -> Any:
    """Organizations by id or URL name (a list, or text separated by commas or lines),
    stored as their ids."""
    if is_empty(value):
        return []
    if isinstance(value, str):
        value = re.split(r"[,\s]+", vndata_plan_string(value, context))
    if not isinstance(value, list) or len(value) > MAX_ORGANIZATIONS:
        raise tk.Invalid(
            tk._("A list of at most {max} organizations is expected.").format(
                max=MAX_ORGANIZATIONS
            )
        )
    ids, unknown = [], []
    for given in value:
        if is_empty(given) or (isinstance(given, str) and not given.strip()):
            continue
        readable = isinstance(given, str) and can_store(given)
        group = context["model"].Group.get(given.strip()) if readable else None
        if group is None or not group.is_organization or group.state != "active":
            unknown.append(given if readable else "?")
        elif group.id not in ids:
            ids.append(group.id)
    if unknown:
        raise tk.Invalid(
            tk._("Organization not found: {value}").format(value=", ".join(unknown))
        )
    return ids


def vndata_roster_body(value: Any, context: Context) -> Any:
    """The code of a body on the roster (a body merged into another names it)."""
    code = vndata_roster_code(value, context)
    if is_empty(code):
        return None
    if Body.get(code) is None:
        raise tk.Invalid(
            tk._("No body on the roster has the code {code}.").format(code=code)
        )
    return code


def _error(errors: FlattenErrorDict, key: str, message: str) -> None:
    errors.setdefault((key,), []).append(message)


def _merge_cycle(code: str, successor: str) -> bool:
    """Whether merging ``code`` into ``successor`` leads back to ``code``."""
    seen = {code}
    while successor:
        if successor in seen:
            return True
        seen.add(successor)
        body = Body.get(successor)
        successor = body.merged_into if body else None
    return False


def _taken(column: str, value: str, code: str, **where: Any) -> str | None:
    """The code of another body whose ``column`` is ``value`` (if any)."""
    query = meta.Session.query(Body.code).filter(
        getattr(Body, column) == value, Body.code != code
    )
    for key, wanted in where.items():
        query = query.filter(getattr(Body, key) == wanted)
    return query.limit(1).scalar()


def _compatible(kind: str | None, other: str | None) -> bool:
    """Whether a body of ``kind`` may be merged into one of ``other`` (or the
    reverse): a province only with a province, a central body only with a central
    body (a ministry may be absorbed by a Government agency and the like). The roster
    counts a merged body's organizations for its successor, so a ministry merged into
    a province would make the province answer for the ministry."""
    return (kind == BodyKind.PROVINCE) == (other == BodyKind.PROVINCE) and (
        kind in CENTRAL or kind == BodyKind.PROVINCE
    )


def _incompatible_merges(code: str, kind: str | None, successor: str | None) -> bool:
    """Whether the body's merge, or a merge into it, joins incompatible kinds."""
    target = Body.get(successor) if successor else None
    if target is not None and not _compatible(kind, target.kind):
        return True
    merged = meta.Session.query(Body.kind).filter(Body.merged_into == code)
    return any(not _compatible(other, kind) for (other,) in merged)


def vndata_roster_consistent(
    key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
) -> None:
    """An ``__after`` check of a whole body: a province has its province code, codes
    are not another body's, and a merge neither names the body itself nor loops, nor
    joins a province and a central body."""
    if any(errors.get(k) for k in errors):
        return
    code = data.get(("code",))
    kind = data.get(("kind",))
    province_code = data.get(("province_code",))
    if kind == BodyKind.PROVINCE and not province_code:
        _error(errors, "province_code", tk._("A province needs its province code."))
    if province_code and kind == BodyKind.PROVINCE:
        other = _taken("province_code", province_code, code, kind=BodyKind.PROVINCE)
        if other:
            _error(
                errors,
                "province_code",
                tk._("This code is already the body {code}'s.").format(code=other),
            )
    agency_code = data.get(("agency_code",))
    other = agency_code and _taken("agency_code", agency_code, code)
    if other:
        _error(
            errors,
            "agency_code",
            tk._("This code is already the body {code}'s.").format(code=other),
        )
    successor = data.get(("merged_into",))
    if successor and (successor == code or _merge_cycle(code, successor)):
        _error(
            errors,
            "merged_into",
            tk._("A body cannot be merged into itself, even through other bodies."),
        )
    elif _incompatible_merges(code, kind, successor):
        _error(
            errors,
            "merged_into",
            tk._(
                "A province can only be merged into a province, and a ministry or "
                "agency only into a central body."
            ),
        )
